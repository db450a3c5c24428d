"""The deadline sweep after the end moved: a moved report or evaluation is announced on its new
date, a cancelled one never, and nothing due after the agreement's end is announced (the
post-completion evaluation: within 3 months after it), whatever put it there."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from contracts.agreements import services as agreement_services
from portal.models import Notice
from portal.notices.sweep import sweep
from tests.factories import award
from tests.helpers import at, officer_of

pytestmark = pytest.mark.django_db

D = datetime.date


def notices_about(obj, kind=None):
    rows = Notice.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
    if kind:
        rows = rows.filter(kind=kind)
    return sorted({(n.kind, n.due_on) for n in rows})


def sweep_on(y, m, d):
    with time_machine.travel(at(y, m, d)):
        sweep()


@pytest.fixture
def ended():
    """Commissioning 2027–2029, ended by notice on 30 Nov 2027 on 29 Feb 2028: report 5 moved
    from 1 Apr to 29 Feb 2028, 6–12 cancelled; the periodic evaluation of 1 Jan 2029 cancelled,
    the post-completion one moved from 31 Mar 2030 to 29 May 2028."""
    agreement = award(instrument="commissioning", terms={"end_date": D(2029, 12, 31)})
    with time_machine.travel(at(2027, 11, 30)):
        agreement_services.agreement_end_notice(
            agreement=agreement,
            officer=officer_of(agreement),
            end_date=D(2028, 2, 29),
            reason="ปรับแผนงบประมาณ",
        )
    return agreement


def test_a_moved_report_is_announced_on_its_new_date_a_cancelled_one_never(ended):
    moved, cancelled = ended.reports.get(seq=5), ended.reports.get(seq=6)
    sweep_on(2028, 2, 25)
    assert notices_about(moved) == [("report_due", D(2028, 2, 29))]
    for day in (D(2028, 6, 28), D(2028, 7, 5), D(2029, 12, 28), D(2030, 1, 5)):
        sweep_on(day.year, day.month, day.day)
    for report in ended.reports.filter(status="cancelled"):
        assert notices_about(report) == [], report.seq
    assert notices_about(cancelled) == []
    assert ("report_overdue", D(2028, 2, 29)) in notices_about(moved)  # the CSO never sent it


def test_the_evaluations_are_announced_on_their_new_dates_the_cancelled_one_never(ended):
    final = ended.evaluations.get(kind="final")
    periodic = ended.evaluations.get(status="cancelled")
    for day in (D(2028, 5, 20), D(2028, 12, 25), D(2029, 1, 5), D(2030, 3, 20)):
        sweep_on(day.year, day.month, day.day)
    assert notices_about(final) == [
        ("evaluation_due", D(2028, 5, 29)),
        ("evaluation_overdue", D(2028, 5, 29)),
    ]
    assert notices_about(periodic) == []


def test_nothing_due_after_the_end_is_announced_whatever_put_it_there():
    agreement = award()  # a grant, 2027; its post-completion evaluation by 31 Mar 2028
    last = agreement.reports.order_by("seq").last()
    last.due_on = D(2028, 1, 15)  # after the end, as no service leaves it
    last.save(update_fields=["due_on"])
    late = agreement.evaluations.create(kind="periodic", due_on=D(2028, 1, 15))
    final = agreement.evaluations.get(kind="final")
    final.due_on = D(2028, 6, 30)  # more than 3 months after the end
    final.save(update_fields=["due_on"])
    for day in (D(2028, 1, 10), D(2028, 1, 20), D(2028, 6, 20), D(2028, 7, 5)):
        sweep_on(day.year, day.month, day.day)
    assert notices_about(last) == []
    assert notices_about(late) == []
    assert notices_about(final) == []
