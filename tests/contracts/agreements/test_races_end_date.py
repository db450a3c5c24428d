"""An end notice while the organisation sends a report due after the new end, or while the
officer adds an evaluation there: the notice locks the agreement, then its tranches, reports
and evaluations, so either the report was sent first (and stays, as history) or it is
cancelled and the sending is refused, never both; an evaluation is added before (and
cancelled) or refused after. Nothing is left scheduled after the end. Threads on PostgreSQL."""

import datetime
from functools import partial

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assessments.evaluations import services as evaluation_services
from contracts.agreements import rules
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement, ProgressReport
from portal.workflow import InvalidTransition
from tests.factories import award
from tests.helpers import at, member_of, officer_of, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("english")]

ROUNDS = 4
END = datetime.date(2028, 2, 29)


def partnership():
    return award(instrument="commissioning", terms={"end_date": datetime.date(2029, 12, 31)})


def give_notice(agreement):
    return agreement_services.agreement_end_notice(
        agreement=agreement, officer=officer_of(agreement), end_date=END, reason="งบประมาณ"
    )


def send(report):
    return agreement_services.report_submit(
        report=report,
        user=member_of(report.agreement),
        narrative="เยี่ยมบ้าน 40 ราย",
        indicators=[],
        spent_to_date="5000.00",
    )


def add_evaluation(agreement):
    return evaluation_services.evaluation_add(
        agreement=agreement, officer=officer_of(agreement), due_on=datetime.date(2028, 6, 1)
    )


@pytest.mark.django_db(transaction=True)
def test_a_report_sent_during_an_end_notice_is_either_kept_or_refused():
    for _ in range(ROUNDS):
        agreement = partnership()
        report = agreement.reports.select_related("agreement").get(seq=6)  # due 1 Jul 2028
        with time_machine.travel(at(2027, 11, 30)):
            notice, sent = run_together(partial(give_notice, agreement), partial(send, report))
        assert isinstance(notice, Agreement), repr(notice)
        report = ProgressReport.objects.get(pk=report.pk)
        if isinstance(sent, ProgressReport):
            assert (report.status, report.cancelled_at) == ("submitted", None)
        else:
            assert isinstance(sent, InvalidTransition), repr(sent)
            assert report.status == "cancelled" and report.submitted_at is None
        assert agreement.reports.get(seq=5).due_on == END  # covers the period up to the end
        assert rules.schedule_problems(Agreement.objects.get(pk=agreement.pk)) == []


@pytest.mark.django_db(transaction=True)
def test_an_evaluation_added_during_an_end_notice_is_cancelled_or_refused():
    for _ in range(ROUNDS):
        agreement = partnership()
        with time_machine.travel(at(2027, 11, 30)):
            notice, added = run_together(
                partial(give_notice, agreement), partial(add_evaluation, agreement)
            )
        assert isinstance(notice, Agreement), repr(notice)
        if isinstance(added, ValidationError):
            assert "due_on" in added.message_dict
        else:
            added.refresh_from_db()
            assert added.status == "cancelled"
        assert rules.schedule_problems(Agreement.objects.get(pk=agreement.pk)) == []
