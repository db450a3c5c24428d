"""Inviting colleagues: the email's link, acceptance by the right person only, expiry,
withdrawal, and the audit trail."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.invitations import services
from portal.invitations.delivery import send_invitation_email
from portal.models import AuditLog, Invitation
from portal.roles import CsoRole, Role
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _invite(inviter, email="new@example.org", role="member", **where):
    if not where:
        where = {"cso_id": inviter.cso_id}
    return services.invitation_create(inviter=inviter, email=email, role=role, **where)


def test_the_registering_member_is_the_signatory_and_invites_by_email(
    cso_member, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://portal.example.go.th"
    assert cso_member.cso_role == CsoRole.SIGNATORY
    with django_capture_on_commit_callbacks() as callbacks:
        invitation, token = _invite(cso_member)
    assert len(callbacks) == 1
    # The worker's task, called directly, sends the email.
    assert send_invitation_email(invitation.pk, token, "th") == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert f"https://portal.example.go.th/invitations/{token}/" in message.body
    assert cso_member.cso.name_th in message.subject
    # Only the hash is kept.
    assert (
        token
        not in Invitation.objects.filter(pk=invitation.pk).values_list("token_hash", flat=True)[0]
    )
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)
    assert AuditLog.objects.filter(object_id=str(invitation.pk), action="invite").exists()


def test_a_withdrawn_invitation_sends_no_email(cso_member):
    invitation, token = _invite(cso_member)
    services.invitation_revoke(invitation=invitation, user=cso_member)
    assert send_invitation_email(invitation.pk, token) == 0
    assert mail.outbox == []


def test_accepting_joins_the_organisation_as_the_invited_role(cso_member):
    _invitation, token = _invite(cso_member, email="Somsri@Example.org", role="signatory")
    somsri = factories.MemberFactory(email="somsri@example.org")
    services.invitation_accept(token=token, user=somsri)
    somsri.refresh_from_db()
    assert somsri.cso_id == cso_member.cso_id
    assert somsri.cso_role == CsoRole.SIGNATORY
    assert AuditLog.objects.filter(actor=somsri, action="accept").exists()
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(token=token, user=somsri)


def test_only_the_invited_address_may_accept(cso_member):
    _invitation, token = _invite(cso_member)
    stranger = factories.MemberFactory(email="stranger@example.org")
    with pytest.raises(PermissionDenied, match="another email address"):
        services.invitation_accept(token=token, user=stranger)
    stranger.refresh_from_db()
    assert stranger.cso_id is None


def test_an_expired_invitation_is_refused(cso_member):
    invitation, token = _invite(cso_member)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_sign_up(token=token, username="late", password="Ruam-Tham-2568!")


def test_a_withdrawn_invitation_is_refused_and_audited(cso_member):
    invitation, token = _invite(cso_member)
    services.invitation_revoke(invitation=invitation, user=cso_member)
    assert AuditLog.objects.filter(object_id=str(invitation.pk), action="revoke").exists()
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_sign_up(token=token, username="late", password="Ruam-Tham-2568!")


def test_a_made_up_token_is_refused(db):
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_sign_up(token="made-up", username="x", password="Ruam-Tham-2568!")


def test_signing_up_from_an_invitation_takes_the_invited_email(cso_member):
    _invitation, token = _invite(cso_member, email="malee@example.org")
    user = services.invitation_sign_up(
        token=token, username="malee", password="Ruam-Tham-2568!", first_name="มาลี"
    )
    assert user.email == "malee@example.org"
    assert user.cso_id == cso_member.cso_id
    assert user.cso_role == CsoRole.MEMBER
    assert Role.CSO_MEMBER in user.roles


def test_a_member_cannot_invite_a_signatory_nor_another_organisation(cso_member, other_member):
    _invitation, token = _invite(cso_member, email="plain@example.org")
    plain = services.invitation_sign_up(token=token, username="plain", password="Ruam-Tham-2568!")
    with pytest.raises(PermissionDenied, match="Only a signatory"):
        _invite(plain, email="x@example.org", role="signatory")
    _invite(plain, email="x@example.org", role="member")  # members may invite members
    with pytest.raises(PermissionDenied):
        _invite(other_member, email="y@example.org", cso_id=cso_member.cso_id)


def test_the_same_address_is_not_invited_twice_while_waiting(cso_member):
    _invite(cso_member, email="twice@example.org")
    with pytest.raises(ValidationError) as caught:
        _invite(cso_member, email="TWICE@example.org")
    assert "still waiting" in caught.value.message_dict["email"][0]


def test_a_bad_address_and_role_are_named(cso_member):
    with pytest.raises(ValidationError) as caught:
        _invite(cso_member, email="not-an-address", role="officer")
    assert set(caught.value.message_dict) == {"email", "role"}


def test_an_agency_admin_invites_officers_and_a_plain_officer_may_not(agency):
    admin = factories.OfficerFactory(agency=agency, agency_admin=True)
    plain = factories.OfficerFactory(agency=agency)
    with pytest.raises(PermissionDenied, match="agency's admin"):
        _invite(plain, role="officer", agency_id=agency.pk)
    _invitation, token = _invite(
        admin, email="officer@example.go.th", role="officer", agency_id=agency.pk
    )
    newcomer = services.invitation_sign_up(
        token=token, username="newofficer", password="Ruam-Tham-2568!"
    )
    assert newcomer.agency_id == agency.pk
    assert not newcomer.agency_admin
    assert Role.AGENCY_OFFICER in newcomer.roles
    assert Role.CSO_MEMBER not in newcomer.roles
