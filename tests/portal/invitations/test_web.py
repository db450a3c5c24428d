"""The Colleagues page and the invitation link as people use them."""

import pytest

from portal.invitations import services
from portal.models import Invitation
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_colleagues_page_lists_people_roles_and_waiting_invitations(
    client, cso_member, django_assert_max_num_queries
):
    for n in range(3):
        services.invitation_create(
            inviter=cso_member, email=f"p{n}@example.org", role="member", cso_id=cso_member.cso_id
        )
    client.force_login(cso_member)
    with django_assert_max_num_queries(15):
        page = client.get("/colleagues/").content.decode()
    assert cso_member.email in page
    assert "ผู้มีอำนาจลงนาม" in page  # "Signatory"
    assert "p2@example.org" in page
    assert 'href="/privacy/"' in page


def test_an_invitation_form_error_keeps_what_was_typed(client, cso_member):
    client.force_login(cso_member)
    response = client.post("/colleagues/", {"email": "not-an-address", "role": "member"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert 'value="not-an-address"' in page


def test_withdraw_asks_on_a_page_then_withdraws(client, cso_member):
    invitation, _token = services.invitation_create(
        inviter=cso_member, email="w@example.org", role="member", cso_id=cso_member.cso_id
    )
    client.force_login(cso_member)
    path = f"/colleagues/invitations/{invitation.pk}/withdraw/"
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_another_organisation_cannot_withdraw_it(client, cso_member, other_member):
    invitation, _token = services.invitation_create(
        inviter=cso_member, email="w@example.org", role="member", cso_id=cso_member.cso_id
    )
    client.force_login(other_member)
    assert client.post(f"/colleagues/invitations/{invitation.pk}/withdraw/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_used_link_shows_a_clear_message(client, cso_member):
    invitation, token = services.invitation_create(
        inviter=cso_member, email="u@example.org", role="member", cso_id=cso_member.cso_id
    )
    services.invitation_revoke(invitation=invitation, user=cso_member)
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410
    assert "ถูกถอน" in response.content.decode()  # "withdrawn"


def test_sign_up_from_the_link_keeps_what_was_typed_on_error(client, cso_member):
    _invitation, token = services.invitation_create(
        inviter=cso_member, email="k@example.org", role="member", cso_id=cso_member.cso_id
    )
    response = client.post(
        f"/invitations/{token}/",
        {"username": "kanya", "password1": "short", "password2": "short"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="kanya"' in page
    assert 'value="k@example.org"' in page
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_a_signed_in_person_with_the_invited_email_accepts(client, cso_member):
    _invitation, token = services.invitation_create(
        inviter=cso_member, email="s@example.org", role="member", cso_id=cso_member.cso_id
    )
    person = factories.MemberFactory(email="s@example.org")
    client.force_login(person)
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.cso_id == cso_member.cso_id


def test_only_the_agency_admin_sees_and_uses_the_invite_form(client, agency):
    admin = factories.OfficerFactory(agency=agency, agency_admin=True)
    plain = factories.OfficerFactory(agency=agency)
    client.force_login(plain)
    page = client.get("/colleagues/").content.decode()
    assert admin.email in page and "ผู้ดูแลของหน่วยงาน" in page  # "Agency admin"
    assert 'name="email"' not in page
    response = client.post("/colleagues/", {"email": "x@example.go.th", "role": "officer"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()

    client.force_login(admin)
    assert 'name="email"' in client.get("/colleagues/").content.decode()
    response = client.post("/colleagues/", {"email": "x@example.go.th", "role": "officer"})
    assert response.status_code == 302
    assert Invitation.objects.get().agency_id == agency.pk


def test_a_person_of_no_organisation_has_no_colleagues_page(client, member):
    client.force_login(member)
    assert client.get("/colleagues/").status_code == 403
