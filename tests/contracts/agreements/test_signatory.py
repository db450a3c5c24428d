"""Only the organisation's signatory signs its agreements; a plain member is refused,
with the reason, both by the service and on the agreement's page."""

import pytest
from django.core.exceptions import PermissionDenied

from contracts.agreements import permissions
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement
from portal.invitations import services as invitation_services
from tests.factories import award
from tests.helpers import fresh, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _plain_member(agreement):
    signatory = member_of(agreement)
    _invitation, token = invitation_services.invitation_create(
        inviter=signatory, email="plain@example.org", role="member", cso_id=agreement.cso_id
    )
    return invitation_services.invitation_sign_up(
        token=token, username="plainmember", password="Ruam-Tham-2568!"
    )


def test_a_member_who_is_not_the_signatory_cannot_sign():
    agreement = award(sign=False)
    plain = _plain_member(agreement)
    assert permissions.can_sign(plain, agreement) == (
        False,
        "Only the organisation's signatory signs agreements.",
    )
    for name, confirm in (("สมใจ ทดลอง", True), ("", False)):
        with pytest.raises(PermissionDenied, match="signatory"):
            agreement_services.agreement_accept(
                agreement=agreement, user=plain, signed_name=name, confirm=confirm
            )
    assert fresh(agreement).status == Agreement.Status.OFFERED
    # The organisation's signatory still signs.
    agreement_services.agreement_accept(
        agreement=agreement, user=member_of(agreement), signed_name="สมหญิง ใจดี", confirm=True
    )
    assert fresh(agreement).status == Agreement.Status.ACTIVE
