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
