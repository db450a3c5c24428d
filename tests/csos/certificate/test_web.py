"""The public page a certificate's QR code opens: /verify/<certificate number>/."""

import zoneinfo

import pytest

from csos.models import CSO
from tests import factories

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def be_year(cso):
    return cso.approved_at.astimezone(BANGKOK).year + 543


@pytest.mark.django_db
def test_a_valid_certificate_shows_the_organisation_and_its_date_in_be_to_anyone(client):
    cso = factories.CSOFactory(status=CSO.Status.APPROVED, name_th="มูลนิธิรักษ์ชุมชน")

    response = client.get(f"/verify/{cso.certificate_number}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"หนังสือรับรองเลขที่ {cso.certificate_number} ยังมีผลใช้ได้" in page
    assert "มูลนิธิรักษ์ชุมชน" in page
    assert f"พ.ศ. {be_year(cso)}" in page
    # Nothing personal, nor the organisation's contacts.
    member = cso.members.get()
    for private in (member.username, member.email, cso.contact_email, cso.contact_phone):
        assert private not in page


@pytest.mark.django_db
def test_a_suspended_certificate_says_so(client):
    cso = factories.CSOFactory(status=CSO.Status.SUSPENDED)

    page = client.get(f"/verify/{cso.certificate_number}/").content.decode()

    assert f"หนังสือรับรองเลขที่ {cso.certificate_number} ถูกพักใช้" in page
    assert "ยังมีผลใช้ได้" not in page


@pytest.mark.django_db
def test_a_certificate_whose_registration_is_no_longer_approved_is_revoked(client):
    cso = factories.CSOFactory(status=CSO.Status.APPROVED)
    # No committee decision leads here yet (approved moves only to suspended); a number
    # issued to a registration that is neither approved nor suspended reads as revoked.
    CSO.objects.filter(pk=cso.pk).update(status=CSO.Status.REJECTED)

    page = client.get(f"/verify/{cso.certificate_number}/").content.decode()

    assert f"หนังสือรับรองเลขที่ {cso.certificate_number} ถูกเพิกถอนแล้ว" in page


@pytest.mark.django_db
def test_the_number_is_found_whatever_its_case_and_typed_in_the_form(client):
    cso = factories.CSOFactory(status=CSO.Status.APPROVED)

    typed = client.get("/verify/", {"number": f"  {cso.certificate_number.lower()} "})

    assert typed.status_code == 302
    assert typed["Location"] == f"/verify/{cso.certificate_number.lower()}/"
    page = client.get(typed["Location"]).content.decode()
    assert f"หนังสือรับรองเลขที่ {cso.certificate_number} ยังมีผลใช้ได้" in page


@pytest.mark.django_db
def test_an_unknown_number_or_none_is_told_plainly(client):
    factories.CSOFactory(status=CSO.Status.APPROVED)
    draft = factories.CSOFactory(status=CSO.Status.DRAFT)  # no certificate number yet
    assert draft.certificate_number == ""

    unknown = client.get("/verify/NCCS-2500-999999/")
    empty = client.get("/verify/", {"number": "   "})

    assert unknown.status_code == 200
    assert "ไม่พบหนังสือรับรองเลขที่ NCCS-2500-999999" in unknown.content.decode()
    assert empty.status_code == 200
    assert "โปรดพิมพ์เลขที่หนังสือรับรอง" in empty.content.decode()
