"""When the end date moves, what is scheduled after it moves with it (services and rules): an
end notice re-plans the tranches still to pay, re-dates the report and the evaluations that
cover the end, cancels the rest with the reason and leaves an audit row for each; a renewal
schedules the added period; ``rules.schedule_problems`` says nothing is left after the end."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.evaluations import services as evaluation_services
from contracts.agreements import rules
from contracts.agreements import services as agreement_services
from contracts.agreements.models import ProgressReport, Tranche
from contracts.agreements.services import schedule
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import award
from tests.helpers import at, fresh, in_thai, member_of, officer_of

pytestmark = pytest.mark.django_db

D = datetime.date
REASON = "ปรับแผนงบประมาณ"


def commissioning(**terms):
    """A three-year partnership, 2027–2029, paid in three tranches (planned 1 Jan 2027,
    1 Jan 2028, 31 Dec 2028), reporting every 3 months (12 reports), with periodic
    evaluations on 1 Jan 2028 and 2029 and the post-completion one by 31 Mar 2030."""
    return award(
        instrument="commissioning",
        terms={"end_date": D(2029, 12, 31), "shares": ["40", "30", "30"], **terms},
    )


NOTICE_DAY = at(2027, 11, 30)


def end_notice(agreement, end_date, *, on=NOTICE_DAY, reason=REASON):
    with time_machine.travel(on):
        agreement_services.agreement_end_notice(
            agreement=agreement, officer=officer_of(agreement), end_date=end_date, reason=reason
        )
    return fresh(agreement)


def reports(agreement):
    return {r.seq: (r.due_on, r.status) for r in agreement.reports.order_by("seq")}


def evaluations(agreement):
    return [(e.kind, e.due_on, e.status) for e in agreement.evaluations.order_by("due_on", "pk")]


def test_the_schedule_as_awarded():
    agreement = commissioning()
    assert [t.planned_on for t in agreement.tranches.all()] == [
        D(2027, 1, 1),
        D(2028, 1, 1),
        D(2028, 12, 31),
    ]
    assert len(reports(agreement)) == 12 and reports(agreement)[12] == (D(2029, 12, 31), "due")
    assert evaluations(agreement) == [
        ("periodic", D(2028, 1, 1), "scheduled"),
        ("periodic", D(2029, 1, 1), "scheduled"),
        ("final", D(2030, 3, 31), "scheduled"),
    ]
    assert rules.schedule_problems(agreement) == []


# --- the end notice --------------------------------------------------------------------------


def test_an_end_notice_moves_or_cancels_everything_after_the_new_end():
    agreement = end_notice(commissioning(), D(2028, 2, 29))

    # Tranche 3 was planned for 31 Dec 2028: now for the end. The others stay.
    assert [t.planned_on for t in agreement.tranches.all()] == [
        D(2027, 1, 1),
        D(2028, 1, 1),
        D(2028, 2, 29),
    ]
    # Report 5 (due 1 Apr 2028) covers the period up to the end; 6 to 12 are cancelled and
    # keep their due dates.
    after = reports(agreement)
    assert [after[seq] for seq in (4, 5)] == [(D(2028, 1, 1), "due"), (D(2028, 2, 29), "due")]
    assert [after[seq][1] for seq in range(6, 13)] == ["cancelled"] * 7
    assert after[12] == (D(2029, 12, 31), "cancelled")
    cancelled = agreement.reports.get(seq=6)
    assert cancelled.cancel_reason == REASON
    assert timezone.localdate(cancelled.cancelled_at) == D(2027, 11, 30)
    # The post-completion evaluation moves with the end; the periodic one after it is
    # cancelled (the post-completion evaluation covers the last period).
    assert evaluations(agreement) == [
        ("periodic", D(2028, 1, 1), "scheduled"),
        ("final", D(2028, 5, 29), "scheduled"),
        ("periodic", D(2029, 1, 1), "cancelled"),
    ]
    assert rules.schedule_problems(agreement) == []


def test_each_moved_or_cancelled_item_leaves_an_audit_row():
    agreement = commissioning()
    officer = officer_of(agreement)
    agreement = end_notice(agreement, D(2028, 2, 29))

    moved = audit_history(agreement.tranches.get(seq=3)).get(action="reschedule")
    assert (moved.actor, moved.from_status, moved.to_status, moved.reason) == (
        officer,
        "scheduled",
        "scheduled",
        REASON,
    )
    assert moved.data == {
        "field": "planned_on",
        "from": "2028-12-31",
        "to": "2028-02-29",
        "cause": "end_notice",
        "end_date": "2028-02-29",
        "previous_end_date": "2029-12-31",
    }
    redated = audit_history(agreement.reports.get(seq=5)).get(action="reschedule")
    assert (redated.data["from"], redated.data["to"]) == ("2028-04-01", "2028-02-29")
    cancel = audit_history(agreement.reports.get(seq=8)).get(action="cancel")
    assert (cancel.actor, cancel.from_status, cancel.to_status, cancel.reason) == (
        officer,
        "due",
        "cancelled",
        REASON,
    )
    assert cancel.data["due_on"] == "2029-01-01"
    final = audit_history(agreement.evaluations.get(kind="final")).get(action="reschedule")
    assert (final.data["from"], final.data["to"]) == ("2030-03-31", "2028-05-29")
    periodic = agreement.evaluations.get(due_on=D(2029, 1, 1))
    assert audit_history(periodic).get(action="cancel").to_status == "cancelled"
    # Untouched items have no such row; the agreement's own row counts what moved.
    assert not audit_history(agreement.reports.get(seq=4)).exists()
    notice = audit_history(agreement).get(action="end_notice")
    assert (notice.data["moved"], notice.data["cancelled"], notice.data["added"]) == (3, 8, 0)


def test_paid_and_released_tranches_are_history_and_stay():
    agreement = commissioning()
    Tranche.objects.filter(agreement=agreement, seq=3).update(
        status=Tranche.Status.RELEASED, released_at=timezone.now()
    )
    agreement = end_notice(agreement, D(2028, 2, 29))
    assert agreement.tranches.get(seq=3).planned_on == D(2028, 12, 31)
    assert not audit_history(agreement.tranches.get(seq=3)).exists()
    assert rules.schedule_problems(agreement) == []  # released: not scheduled any more


def test_a_report_sent_early_is_kept_and_covers_the_end():
    agreement = commissioning()
    ProgressReport.objects.filter(agreement=agreement, seq=5).update(
        status=ProgressReport.Status.SUBMITTED, submitted_at=timezone.now()
    )
    agreement = end_notice(agreement, D(2028, 2, 29))
    after = reports(agreement)
    assert after[5] == (D(2028, 4, 1), "submitted")  # history: as sent
    assert after[6] == (D(2028, 7, 1), "cancelled")  # not moved: report 5 covers the end
    assert rules.schedule_problems(agreement) == []


def test_a_performance_contracts_midterm_moves_to_the_new_midpoint():
    agreement = award(instrument="performance_contract")  # 2027; mid-term 2 Jul 2027
    agreement = end_notice(agreement, D(2027, 6, 30), on=at(2027, 3, 1))
    assert evaluations(agreement) == [
        ("midterm", D(2027, 4, 1), "scheduled"),  # midpoint of 1 Jan – 30 Jun 2027
        ("final", D(2027, 9, 30), "scheduled"),
    ]
    assert [t.planned_on for t in agreement.tranches.all()] == [D(2027, 1, 1), D(2027, 6, 30)]
    assert reports(agreement) == {
        1: (D(2027, 4, 1), "due"),
        2: (D(2027, 6, 30), "due"),
        3: (D(2027, 10, 1), "cancelled"),
        4: (D(2027, 12, 31), "cancelled"),
    }


def test_a_midterm_is_not_moved_into_the_past():
    agreement = award(instrument="performance_contract", terms={"end_date": D(2029, 12, 31)})
    assert agreement.evaluations.get(kind="midterm").due_on == D(2028, 7, 1)
    agreement = end_notice(agreement, D(2028, 2, 29), on=at(2027, 11, 30))
    # The new midpoint, 31 Jul 2027, has passed: the mid-term is due on the day of notice.
    assert agreement.evaluations.get(kind="midterm").due_on == D(2027, 11, 30)


def test_a_notice_on_the_end_date_itself_moves_nothing():
    agreement = end_notice(commissioning(), D(2029, 12, 31))
    assert "cancelled" not in {status for _due, status in reports(agreement).values()}
    assert audit_history(agreement).get(action="end_notice").data["moved"] == 0


def test_a_cancelled_report_or_evaluation_cannot_be_sent_or_recorded():
    agreement = end_notice(commissioning(), D(2028, 2, 29))
    report = agreement.reports.get(seq=6)
    with time_machine.travel(at(2027, 12, 5)):
        with pytest.raises(InvalidTransition):
            agreement_services.report_submit(
                report=report,
                user=member_of(agreement),
                narrative="เยี่ยมบ้าน",
                indicators=[],
                spent_to_date="1000.00",
            )
        periodic = agreement.evaluations.get(status="cancelled")
        with pytest.raises(InvalidTransition):
            evaluation_services.evaluation_submit(
                evaluation=periodic, user=officer_of(agreement), score="80", findings="ดี"
            )
        with pytest.raises(InvalidTransition) as exc:
            evaluation_services.evaluation_plan(
                evaluation=periodic, officer=officer_of(agreement), mode="external"
            )
    assert exc.value.message == in_thai("A cancelled evaluation cannot be changed.")
    assert fresh(report).status == "cancelled"


def test_a_cancelled_item_always_has_its_reason_in_the_database():
    agreement = commissioning()
    report = agreement.reports.get(seq=12)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(status="cancelled")
    evaluation = agreement.evaluations.get(kind="final")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(evaluation).objects.filter(pk=evaluation.pk).update(
            status="cancelled", cancelled_at=timezone.now(), cancel_reason=""
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        type(evaluation).objects.filter(pk=evaluation.pk).update(status="lost")


def test_if_the_cascade_left_anything_after_the_end_nothing_changes(monkeypatch, english):
    agreement = commissioning()
    monkeypatch.setattr(schedule._Mover, "reports", lambda self: None)  # a bug
    with time_machine.travel(NOTICE_DAY), pytest.raises(schedule.ScheduleBroken) as exc:
        agreement_services.agreement_end_notice(
            agreement=agreement,
            officer=officer_of(agreement),
            end_date=D(2028, 2, 29),
            reason=REASON,
        )
    assert "Progress report 6 is due on 1 July 2571 BE, after the end on 29 February" in str(
        exc.value
    )
    agreement = fresh(agreement)
    assert agreement.end_date == D(2029, 12, 31)  # rolled back, with the tranches' moves
    assert agreement.tranches.get(seq=3).planned_on == D(2028, 12, 31)


# --- the renewal -----------------------------------------------------------------------------


def test_a_renewal_schedules_the_added_period_after_the_old_end():
    agreement = award(instrument="commissioning")  # 2027, one year: no periodic evaluation
    officer = officer_of(agreement)
    agreement_services.agreement_renew(
        agreement=agreement, officer=officer, end_date=D(2029, 12, 31), reason="ผลดี"
    )
    agreement = fresh(agreement)
    after = reports(agreement)
    # The old schedule stays (its last report on the old end); the added period follows.
    assert after[4] == (D(2027, 12, 31), "due")
    assert [after[seq][0] for seq in (5, 6, 12, 13)] == [
        D(2028, 1, 1),
        D(2028, 4, 1),
        D(2029, 10, 1),
        D(2029, 12, 31),
    ]
    assert len(after) == 13
    assert evaluations(agreement) == [
        ("periodic", D(2028, 1, 1), "scheduled"),
        ("periodic", D(2029, 1, 1), "scheduled"),
        ("final", D(2030, 3, 31), "scheduled"),
    ]
    final = audit_history(agreement.evaluations.get(kind="final")).get(action="reschedule")
    assert (final.actor, final.reason, final.data["cause"]) == (officer, "ผลดี", "renew")
    assert (final.data["from"], final.data["to"]) == ("2028-03-31", "2030-03-31")
    renew = audit_history(agreement).get(action="renew")
    assert (renew.data["moved"], renew.data["cancelled"], renew.data["added"]) == (1, 0, 11)
    assert rules.schedule_problems(agreement) == []


def test_a_renewal_after_an_end_notice_keeps_the_cancelled_items_as_history():
    agreement = end_notice(commissioning(), D(2028, 2, 29))
    with time_machine.travel(at(2027, 12, 15)):
        agreement_services.agreement_renew(
            agreement=agreement, officer=officer_of(agreement), end_date=D(2029, 6, 30)
        )
    agreement = fresh(agreement)
    after = reports(agreement)
    assert [after[seq][1] for seq in range(6, 13)] == ["cancelled"] * 7
    assert [after[seq] for seq in range(13, 19)] == [
        (D(2028, 4, 1), "due"),
        (D(2028, 7, 1), "due"),
        (D(2028, 10, 1), "due"),
        (D(2029, 1, 1), "due"),
        (D(2029, 4, 1), "due"),
        (D(2029, 6, 30), "due"),
    ]
    assert evaluations(agreement) == [
        ("periodic", D(2028, 1, 1), "scheduled"),
        ("periodic", D(2029, 1, 1), "cancelled"),
        ("periodic", D(2029, 1, 1), "scheduled"),  # a new one for the added period
        ("final", D(2029, 9, 30), "scheduled"),
    ]
    assert rules.schedule_problems(agreement) == []


# --- the invariant and the evaluations' own dates ---------------------------------------------


def test_schedule_problems_names_what_is_left_after_the_end(english):
    agreement = commissioning()
    agreement.end_date = D(2028, 2, 29)  # moved without the cascade
    problems = rules.schedule_problems(agreement)
    assert (
        "Tranche 3 is planned for 31 December 2571 BE, after the end on 29 February 2571 BE."
        in (problems)
    )
    assert sum("Progress report" in p for p in problems) == 8
    assert any(p.startswith("Periodic evaluation is due on 1 January 2572 BE") for p in problems)
    assert any(
        p.startswith("Post-completion evaluation is due on 31 March 2573 BE") for p in problems
    )
    agreement.reports.all().update(due_on=D(2027, 6, 1))
    assert "No progress report covers the period up to the end on 29 February 2571 BE." in (
        rules.schedule_problems(agreement)
    )


def test_an_evaluation_cannot_be_added_or_moved_after_the_end():
    agreement = end_notice(commissioning(), D(2028, 2, 29))
    officer = officer_of(agreement)
    with pytest.raises(ValidationError) as exc:
        evaluation_services.evaluation_add(
            agreement=agreement, officer=officer, due_on=D(2028, 3, 1)
        )
    assert exc.value.message_dict["due_on"]
    added = evaluation_services.evaluation_add(
        agreement=agreement, officer=officer, due_on=D(2028, 2, 29)
    )
    with pytest.raises(ValidationError):
        evaluation_services.evaluation_plan(evaluation=added, officer=officer, due_on=D(2028, 6, 1))
    assert fresh(added).due_on == D(2028, 2, 29)
    assert rules.schedule_problems(fresh(agreement)) == []
