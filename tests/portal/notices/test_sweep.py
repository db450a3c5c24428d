"""The sweep finds notices exactly when they are due: with time travel, re-runs and
overlapping sweeps."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement
from portal.models import Notice, NoticeKind
from portal.notices.sweep import sweep
from tests.factories import (
    CallFactory,
    CSOFactory,
    EvaluatorFactory,
    ProposalFactory,
    ReviewerFactory,
    award,
)
from tests.helpers import BKK

pytestmark = pytest.mark.django_db


def at(y, m, d, hour=9):
    return datetime.datetime(y, m, d, hour, tzinfo=BKK)


# What the CSO was told on its way to the agreement: not what these tests are about.
EARLIER = [
    "registration_decided",
    "proposal_received",
    "presentation_scheduled",
    "proposal_decided",
]


def kinds_for(user):
    notices_of = Notice.objects.filter(recipient=user).exclude(kind__in=EARLIER)
    return sorted(notices_of.values_list("kind", flat=True))


# --- the sweep, with time travel -----------------------------------------------------------


def test_the_three_month_warning_goes_out_on_time_and_once():
    agreement = award()  # ends 2027-12-31; warned by 2027-09-30; 14 days' lead
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by

    with time_machine.travel(at(2027, 9, 15)):
        sweep()
    assert "partnership_ending" not in kinds_for(member)

    with time_machine.travel(at(2027, 9, 16)):
        sweep()
        sweep()  # a second run sends nothing new
    assert kinds_for(member).count("partnership_ending") == 1
    warning = Notice.objects.get(recipient=member, kind="partnership_ending")
    assert warning.due_on == datetime.date(2027, 9, 30)
    assert "end_warning_late" not in kinds_for(officer)

    with time_machine.travel(at(2027, 10, 5)):
        sweep()
    assert "end_warning_late" not in kinds_for(officer)  # the warning went out in time


def test_a_late_warning_alerts_the_officer():
    agreement = award()
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by
    NoticeKind.objects.filter(code="partnership_ending").update(active=False)  # never sent

    with time_machine.travel(at(2027, 10, 1)):
        sweep()
        sweep()
    assert kinds_for(officer).count("end_warning_late") == 1
    assert "partnership_ending" not in kinds_for(member)


def test_an_end_notice_is_the_warning_for_its_new_end_date():
    agreement = award(instrument="commissioning", terms={"end_date": datetime.date(2029, 12, 31)})
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by
    with time_machine.travel(at(2027, 11, 30)):
        agreement_services.agreement_end_notice(
            agreement=agreement,
            officer=officer,
            end_date=datetime.date(2028, 2, 29),
            reason="ปรับแผนงบประมาณ",
        )
        sweep()
    assert "end_notice" in kinds_for(member)  # told at once
    with time_machine.travel(at(2027, 12, 15)):
        sweep()
    assert "end_warning_late" not in kinds_for(officer)


def test_reports_evaluations_and_settlement_fall_due_and_overdue():
    agreement = award(instrument="performance_contract")
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by
    evaluator = EvaluatorFactory()
    midterm = agreement.evaluations.get(kind="midterm")  # due 2027-07-02
    midterm.evaluators.add(evaluator)

    with time_machine.travel(at(2027, 3, 24)):  # report 1 due 2027-04-01, 7 days' lead
        sweep()
    assert kinds_for(member) == ["agreement_offered"]
    with time_machine.travel(at(2027, 3, 25)):
        sweep()
    assert kinds_for(member) == ["agreement_offered", "report_due"]

    with time_machine.travel(at(2027, 4, 2)):
        sweep()
    assert kinds_for(member).count("report_overdue") == 1
    assert "report_overdue" in kinds_for(officer)

    with time_machine.travel(at(2027, 6, 18)):  # 14 days before the mid-term
        sweep()
    assert "evaluation_due" in kinds_for(evaluator)
    assert "evaluation_due" in kinds_for(officer)
    assert "evaluation_due" not in kinds_for(member)

    with time_machine.travel(at(2028, 2, 15)):  # settlement due 2028-02-29
        sweep()
    assert "settlement_due" in kinds_for(member)


def test_tranche_released_and_paid_reach_the_cso():
    from tests.factories import ApiClientFactory

    agreement = award(instrument="performance_contract")
    member = agreement.cso.members.get()
    first = agreement.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=first, officer=agreement.proposal.call.created_by)
    agreement_services.tranche_pay(
        tranche=first,
        user=ApiClientFactory(scopes=["payments"]).user,
        payment_reference="GFMIS-77",
        paid_on=timezone.localdate(),
    )
    assert kinds_for(member) == ["agreement_offered", "tranche_paid", "tranche_released"]
    paid = Notice.objects.get(recipient=member, kind="tranche_paid")
    assert "GFMIS-77" in paid.body and "152,016.00" in paid.body


def test_calls_closing_soon_and_closed():
    call = CallFactory()
    draft = ProposalFactory(call=call)
    sent = ProposalFactory(call=call, status="submitted")
    drafter = draft.cso.members.get()
    sender = sent.cso.members.get()
    officer = call.created_by
    officer.language = "en"
    officer.save(update_fields=["language"])

    with time_machine.travel(call.closes_at - datetime.timedelta(days=4)):
        sweep()
    assert kinds_for(drafter) == []
    with time_machine.travel(call.closes_at - datetime.timedelta(days=2)):
        sweep()
    assert kinds_for(drafter) == ["call_closing_soon"]
    assert kinds_for(sender) == []  # only drafts are reminded
    with time_machine.travel(call.closes_at + datetime.timedelta(minutes=10)):
        sweep()
    assert kinds_for(officer) == ["call_closed"]
    assert "1 proposals" in Notice.objects.get(recipient=officer).body
    with time_machine.travel(call.closes_at + datetime.timedelta(days=15)):
        sweep()
    assert "proposals_waiting" in kinds_for(officer)


def test_a_registration_that_waits_too_long_reaches_the_reviewers():
    reviewer = ReviewerFactory()
    cso = CSOFactory(status="submitted")
    with time_machine.travel(cso.submitted_at + datetime.timedelta(days=13)):
        sweep()
    assert kinds_for(reviewer) == []
    with time_machine.travel(cso.submitted_at + datetime.timedelta(days=14, minutes=1)):
        sweep()
        sweep()
    assert kinds_for(reviewer) == ["registration_waiting"]

    # Sent back and submitted again: it waits afresh, and the reviewers hear of it again.
    resubmitted = cso.submitted_at + datetime.timedelta(days=30)
    type(cso).objects.filter(pk=cso.pk).update(submitted_at=resubmitted)
    with time_machine.travel(resubmitted + datetime.timedelta(days=14, minutes=1)):
        sweep()
        sweep()
    assert kinds_for(reviewer) == ["registration_waiting", "registration_waiting"]


def test_the_staff_admin_changes_a_lead_time():
    agreement = award()
    member = agreement.cso.members.get()
    NoticeKind.objects.filter(code="partnership_ending").update(lead_days=30)
    with time_machine.travel(at(2027, 8, 31)):  # 30 days before the 30 September warning day
        sweep()
    assert "partnership_ending" in kinds_for(member)


def test_the_sweeps_cost_grows_with_what_is_due(django_assert_max_num_queries):
    for _ in range(3):
        award()  # agreements far from any deadline today
    with django_assert_max_num_queries(42):
        assert sweep() == 0


def test_the_sweeps_queries_do_not_grow_with_the_notices_it_writes():
    """The people of a batch of notices are read together and its notices written in one
    insert: five overdue agreements cost the queries of two."""

    def queries_to_notify(count):
        for _ in range(count - Agreement.objects.count()):
            award(instrument="performance_contract")
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            with time_machine.travel(at(2027, 4, 2)):  # report 1 overdue, the offer made
                recorded = sweep()
            transaction.set_rollback(True)
        return recorded, len(captured.captured_queries)

    two, two_queries = queries_to_notify(2)
    five, five_queries = queries_to_notify(5)
    assert (two, five) == (4, 10)  # report 1 overdue: the member and the officer, each
    assert five_queries == two_queries


def test_a_batch_speaks_each_recipients_language():
    agreement = award()
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by
    type(officer).objects.filter(pk=officer.pk).update(language="en")
    NoticeKind.objects.filter(code="partnership_ending").update(active=False)
    with time_machine.travel(at(2027, 10, 1)):
        sweep()
    late = Notice.objects.get(recipient=officer, kind="end_warning_late")
    assert late.subject == f"No 3-month warning went out for {agreement.number}"
    with time_machine.travel(at(2028, 1, 2)):  # the report after the end: overdue to both
        sweep()
    for_member, for_officer = (
        Notice.objects.filter(recipient=who, kind="report_overdue").latest("pk")
        for who in (member, officer)
    )
    assert for_member.subject.startswith("รายงานความก้าวหน้า")
    assert for_officer.subject.startswith("Progress report")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_notice_once():
    agreement = award()
    member = agreement.cso.members.get()
    start = threading.Barrier(2, timeout=10)
    errors = []

    def run():
        try:
            start.wait()
            with time_machine.travel(at(2027, 10, 1), tick=False):
                sweep()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert kinds_for(member).count("partnership_ending") == 1
    officer = agreement.proposal.call.created_by
    assert kinds_for(officer).count("end_warning_late") <= 1
