"""Where the money goes, through the services: nothing is released or paid to an organisation
the National Committee has suspended (its note is the reason; reinstating lifts it; reports
still go on), nothing is released to one without a bank account, and a released tranche keeps
the account as it stood at release."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contracts.agreements import permissions as agreement_permissions
from contracts.agreements import rules as agreement_rules
from contracts.agreements import services as agreement_services
from contracts.agreements.models import MoneyMovement, Tranche
from csos.bank import services as bank_services
from csos.models import BankAccount
from csos.review import services as review_services
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import CSOFactory, ReviewerFactory, award, bank_account_for
from tests.helpers import fresh, member_of, officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TS = Tranche.Status
NOTE = "ไม่ส่งรายงานการเงินตามกำหนด"


@pytest.fixture
def reviewer():
    return ReviewerFactory()


def suspend(agreement, reviewer, note=NOTE):
    return review_services.cso_suspend(cso=agreement.cso, reviewer=reviewer, reason=note)


def reinstate(agreement, reviewer):
    return review_services.cso_reinstate(cso=agreement.cso, reviewer=reviewer)


def release(agreement, seq=1):
    return agreement_services.tranche_release(
        tranche=agreement.tranches.get(seq=seq), officer=officer_of(agreement)
    )


def pay(tranche, finance, reference="GFMIS-1"):
    return agreement_services.tranche_pay(
        tranche=tranche, user=finance, payment_reference=reference, paid_on=timezone.localdate()
    )


# --- suspension ----------------------------------------------------------------------------


def test_a_suspended_organisation_gets_no_release_and_is_told_the_committees_note(reviewer):
    agreement = award()
    suspend(agreement, reviewer)

    with pytest.raises(InvalidTransition) as exc:
        release(agreement)

    assert "suspended" in exc.value.message and NOTE in exc.value.message
    assert fresh(agreement.tranches.get(seq=1)).status == TS.SCHEDULED
    assert not MoneyMovement.objects.filter(tranche__agreement=agreement).exists()


def test_the_permission_the_page_asks_gives_the_same_reason(reviewer):
    agreement = award()
    suspend(agreement, reviewer)
    agreement.cso.refresh_from_db()
    tranche = agreement.tranches.get(seq=1)
    tranche.agreement = agreement

    allowed, why = agreement_permissions.can_release_tranche(officer_of(agreement), tranche)

    assert not allowed and NOTE in why


def test_a_tranche_released_before_the_suspension_is_not_paid_while_it_lasts(reviewer, finance):
    agreement = award()
    first = release(agreement)
    suspend(agreement, reviewer)

    with pytest.raises(InvalidTransition) as exc:
        pay(first, finance)

    assert NOTE in exc.value.message
    assert fresh(first).status == TS.RELEASED
    assert not first.movements.filter(kind=MoneyMovement.Kind.PAYMENT).exists()


def test_reinstating_lifts_it_for_release_and_payment(reviewer, finance):
    agreement = award()
    suspend(agreement, reviewer)
    with pytest.raises(InvalidTransition):
        release(agreement)

    reinstate(agreement, reviewer)
    first = release(agreement)
    paid = pay(first, finance)

    assert (first.status, paid.status) == (TS.RELEASED, TS.PAID)


def test_progress_reports_are_still_sent_while_suspended(reviewer):
    agreement = award()
    suspend(agreement, reviewer)
    report = agreement.reports.get(seq=1)

    sent = agreement_services.report_submit(
        report=report,
        user=member_of(agreement),
        narrative="เยี่ยมบ้านครบ 60 ราย",
        indicators=[],
        spent_to_date="1000.00",
    )

    assert sent.status == "submitted"


def test_the_wrong_person_is_told_so_before_the_suspension(reviewer):
    agreement = award()
    suspend(agreement, reviewer)

    with pytest.raises(PermissionDenied):
        agreement_services.tranche_release(
            tranche=agreement.tranches.get(seq=1), officer=member_of(agreement)
        )


def test_a_suspension_without_a_note_still_refuses_with_a_reason():
    agreement = award()
    cso = agreement.cso
    cso.status, cso.decision_reason = "suspended", ""

    (problem,) = agreement_rules.payee_problems(cso)

    assert "suspended" in problem and "reinstated" in problem


# --- the bank account ----------------------------------------------------------------------


def test_no_release_without_a_bank_account_on_record():
    agreement = award(cso=CSOFactory(status="approved", bank_account=False))

    with pytest.raises(InvalidTransition) as exc:
        release(agreement)

    assert "bank account" in exc.value.message
    assert fresh(agreement.tranches.get(seq=1)).status == TS.SCHEDULED

    bank_services.bank_account_set(
        cso=agreement.cso, user=member_of(agreement), **bank_account_for(agreement.cso)
    )
    assert release(agreement).status == TS.RELEASED


def test_a_release_keeps_the_account_as_it_stood_and_a_later_change_does_not_move_it(finance):
    agreement = award()
    account = BankAccount.objects.get(cso=agreement.cso)

    first = release(agreement)
    bank_services.bank_account_set(
        cso=agreement.cso,
        user=member_of(agreement),
        **bank_account_for(agreement.cso, bank="030", account_number="020012345678"),
    )
    paid = pay(first, finance)

    stored = fresh(first)
    assert (stored.payee_bank, stored.payee_account_number) == ("004", account.account_number)
    assert stored.payee_bank_name_th == "ธนาคารกสิกรไทย"
    assert stored.payee_bank_name_en == "Kasikornbank"
    assert (stored.payee_branch, stored.payee_account_name) == (
        account.branch,
        account.account_name,
    )
    assert paid.payee_account_number == account.account_number


def test_the_release_audit_row_names_the_account_masked_only():
    agreement = award()
    number = BankAccount.objects.get(cso=agreement.cso).account_number

    first = release(agreement)

    (row,) = audit_history(first).filter(action="release")
    assert row.data["bank"] == "004"
    assert row.data["account_number"] == "xxxxxx" + number[-4:]
    assert number not in str(row.data)


def test_a_scheduled_tranche_has_no_account_yet():
    agreement = award()

    assert agreement.tranches.get(seq=1).payee_account_number == ""
