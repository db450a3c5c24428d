"""Who may act on an agreement, and when: one function per action, ``(allowed, reason)``,
asked alike by the page and the services."""

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from contracts.agreements import permissions
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Tranche
from portal.workflow import AlreadyDone, InvalidTransition, NotNow
from tests.factories import award
from tests.helpers import at, fresh, member_of, officer_of, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_release_asks_the_role_then_the_instruments_conditions(other_officer):
    agreement = award(instrument="performance_contract")
    first, last = agreement.tranches.order_by("seq")
    officer = officer_of(agreement)
    assert permissions.can_release_tranche(officer, first) == (True, "")
    allowed, why = permissions.can_release_tranche(other_officer, first)
    assert not allowed and why == "Only an officer of the agency can do this."
    assert not isinstance(why, NotNow)
    allowed, why = permissions.can_release_tranche(member_of(agreement), first)
    assert not allowed and why == "Only an officer of the agency can do this."
    allowed, why = permissions.can_release_tranche(officer, last)
    assert not allowed and isinstance(why, NotNow)
    assert "Release the earlier tranches first." in why
    assert "This tranche is released once delivery is complete." in why
    assert "This tranche needs the mid-term evaluation first." in why


def test_the_page_and_the_service_follow_the_same_release_rule(client):
    agreement = award(instrument="performance_contract")
    officer = officer_of(agreement)
    first, last = agreement.tranches.order_by("seq")
    agreement_services.tranche_release(tranche=first, officer=officer)
    allowed, why = permissions.can_release_tranche(officer, fresh(last))
    assert not allowed and str(why) == "This tranche is released once delivery is complete. " \
        "This tranche needs the mid-term evaluation first."  # fmt: skip
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)
    body = text(client.get(reverse("agreement-detail", args=[agreement.pk])))
    assert "Release tranche 2" not in body
    assert "This tranche is released once delivery is complete." in body
    with pytest.raises(InvalidTransition) as refused:
        agreement_services.tranche_release(tranche=fresh(last), officer=officer)
    assert refused.value.message == str(why)
    assert fresh(last).status == Tranche.Status.SCHEDULED


def test_sign_and_decline_are_the_members_while_offered(other_member):
    agreement = award(sign=False)
    member = member_of(agreement)
    assert permissions.can_sign(member, agreement) == (True, "")
    assert permissions.can_decline(member, agreement) == (True, "")
    assert permissions.can_sign(other_member, agreement) == (
        False,
        "Only the organisation's members can do this.",
    )
    assert not permissions.can_sign(officer_of(agreement), agreement)[0]
    signed = award()
    allowed, why = permissions.can_sign(member_of(signed), signed)
    assert not allowed and why == "This cannot be done while the status is “Active”."
    with pytest.raises(InvalidTransition, match="while the status is"):
        agreement_services.agreement_decline(
            agreement=signed, user=member_of(signed), reason="ไม่ประสงค์"
        )
    with pytest.raises(PermissionDenied):
        agreement_services.agreement_decline(agreement=agreement, user=other_member, reason="x")


def test_the_settlement_is_stated_after_the_end_and_once():
    agreement = award()
    member = member_of(agreement)
    allowed, why = permissions.can_state_settlement(member, agreement, today=agreement.end_date)
    assert not allowed and isinstance(why, NotNow)
    assert why.startswith("The settlement is stated after the end date")
    after = agreement.end_date.replace(year=agreement.end_date.year + 1)
    assert permissions.can_state_settlement(member, agreement, today=after) == (True, "")
    assert not permissions.can_state_settlement(officer_of(agreement), agreement, today=after)[0]
    with time_machine.travel(at(after.year, after.month, after.day)):
        agreement_services.settlement_submit(agreement=agreement, user=member, spent_total="1")
    allowed, why = permissions.can_state_settlement(member, fresh(agreement), today=after)
    assert not allowed and isinstance(why, AlreadyDone)


def test_commissioning_actions_follow_the_instrument():
    grant = award()
    officer = officer_of(grant)
    allowed, why = permissions.can_renew(officer, grant)
    assert not allowed and why == "Only a commissioning partnership is renewed."
    allowed, why = permissions.can_start_delivery(officer, grant)
    assert not allowed and why == "Only a commissioning partnership starts delivery this way."
    assert not permissions.can_edit_design(member_of(grant), grant)[0]
    partnership = award(instrument="commissioning")
    officer = officer_of(partnership)
    assert permissions.can_renew(officer, partnership) == (True, "")
    assert permissions.can_start_delivery(officer, partnership) == (True, "")
    assert permissions.can_edit_design(member_of(partnership), partnership) == (True, "")
    assert not permissions.can_renew(member_of(partnership), partnership)[0]


def test_terminate_complete_and_settle_ask_the_status():
    agreement = award(sign=False)
    officer = officer_of(agreement)
    assert permissions.can_terminate(officer, agreement) == (True, "")
    allowed, why = permissions.can_complete(officer, agreement)
    assert not allowed and why == "This cannot be done while the status is “Offered”."
    allowed, why = permissions.can_settle(officer, agreement)
    assert not allowed and isinstance(why, NotNow)
    assert not permissions.can_terminate(member_of(agreement), agreement)[0]
