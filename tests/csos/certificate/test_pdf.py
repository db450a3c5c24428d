"""The certificate a CSO downloads."""

import shutil
import subprocess
import zoneinfo

import pytest

from csos.models import CSO
from tests import factories

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed; .ci/run installs it")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    # -raw keeps Thai vowel and tone marks in reading order.
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    return fonts.stdout


@pytest.mark.django_db
def test_certificate_pdf_gives_back_thai_name_and_buddhist_era_year(client, tmp_path):
    cso = factories.CSOFactory(status=CSO.Status.APPROVED, name_th="มูลนิธิพัฒนาผู้สูงอายุไทย")
    response = client.get(f"/csos/{cso.pk}/certificate.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "มูลนิธิพัฒนาผู้สูงอายุไทย" in text
    be_year = cso.approved_at.astimezone(BANGKOK).year + 543
    assert f"พ.ศ. {be_year}" in text
    assert str(cso.approved_at.year) not in text.replace(cso.certificate_number, "")
    assert cso.certificate_number in text
    # The Thai font travels inside the file.
    assert "Sarabun" in pdf_fonts(response.content, tmp_path)


@pytest.mark.django_db
def test_certificate_is_only_for_approved_csos(client):
    submitted = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    suspended = factories.CSOFactory(status=CSO.Status.SUSPENDED)
    assert client.get(f"/csos/{submitted.pk}/certificate.pdf").status_code == 404
    assert client.get(f"/csos/{suspended.pk}/certificate.pdf").status_code == 404


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


@pytest.mark.django_db
def test_certificate_stays_on_one_page_for_a_300_character_name_and_every_province(tmp_path):
    from csos.certificate.pdf import certificate_pdf
    from portal.models import Province

    reviewer = factories.ReviewerFactory(first_name="สมศรี", last_name="ใจดี", position="กรรมการ")
    cso = factories.CSOFactory(status=CSO.Status.APPROVED, reviewer=reviewer)
    cso.service_provinces.set(Province.objects.all())
    # Longer than a registration may be (255): the layout must not depend on the limit.
    cso.name_th = ("มูลนิธิเพื่อการพัฒนาคุณภาพชีวิตผู้สูงอายุและคนพิการในชุมชน" * 6)[:300]
    cso.name_en = ("Foundation for the Quality of Life of Older and Disabled People " * 4)[:255]
    assert len(cso.name_th) == 300

    content = certificate_pdf(cso)

    assert pdf_pages(content, tmp_path) == 1
    text = pdf_text(content, tmp_path)
    assert "สมศรี ใจดี" in text
    assert "กรรมการ" in text


@pytest.mark.django_db
def test_certificate_is_signed_by_the_approving_reviewer_with_a_qr_code_to_verify_it(
    client, tmp_path, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.go.th/"
    reviewer = factories.ReviewerFactory(
        first_name="ประเสริฐ", last_name="มั่นคง", position="ผู้ทรงคุณวุฒิด้านสังคม"
    )
    cso = factories.CSOFactory(status=CSO.Status.APPROVED, reviewer=reviewer)
    client.force_login(cso.members.get())

    response = client.get(f"/csos/{cso.pk}/certificate.pdf")

    text = pdf_text(response.content, tmp_path)
    assert "(ประเสริฐ มั่นคง)" in text
    assert "ผู้ทรงคุณวุฒิด้านสังคม" in text
    assert reviewer.username not in text
    url = f"https://portal.example.go.th/verify/{cso.certificate_number}/"
    assert url in text
    # No QR decoder is installed here: the address the QR code holds is printed beside it.
    assert pdf_pages(response.content, tmp_path) == 1
