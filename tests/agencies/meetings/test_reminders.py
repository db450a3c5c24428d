"""Reminders a week and a day before a public meeting, through the notices' sweep: to each
person with a place, once, with the place, the time and the needs they gave; never to those
who cancelled or wait, nor for a cancelled meeting."""

import datetime

import pytest
import time_machine

from agencies.meetings import services
from portal.models import Notice
from portal.notices.sweep import sweep
from tests import factories

pytestmark = pytest.mark.django_db
BKK = datetime.timezone(datetime.timedelta(hours=7))


def _meeting(officer, starts, capacity=2):
    made = services.meeting_create(
        officer=officer,
        kind="hearing",
        title="Hearing on the bus routes",
        description="",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Town hall, room 2",
        online_url="",
        capacity=capacity,
        mission=None,
    )
    return services.meeting_publish(meeting=made, officer=officer)


def test_a_week_and_a_day_before_each_person_with_a_place_is_reminded_once():
    officer = factories.OfficerFactory()
    start = datetime.datetime(2027, 3, 15, 9, 30, tzinfo=BKK)
    with time_machine.travel(datetime.datetime(2027, 3, 1, 8, 0, tzinfo=BKK), tick=False):
        meeting = _meeting(officer, start, capacity=1)
        coming = factories.UserFactory(email="c@example.org")
        coming.language = "en"
        coming.save()
        waiting, gone = factories.citizen(), factories.citizen()
        services.register(meeting=meeting, person=coming, needs=["wheelchair"])
        services.register(meeting=meeting, person=waiting)
        sweep()
    assert not Notice.objects.filter(kind__startswith="meeting_reminder").exists()

    with time_machine.travel(datetime.datetime(2027, 3, 9, 8, 0, tzinfo=BKK), tick=False):
        sweep()
        sweep()  # a second run adds nothing
    week = Notice.objects.filter(kind="meeting_reminder_week")
    assert [n.recipient for n in week] == [coming]
    body = week.get().body
    assert "Town hall, room 2" in body and "Wheelchair access" in body
    assert "15 March" in body  # the day, in the reader's language

    with time_machine.travel(datetime.datetime(2027, 3, 14, 8, 0, tzinfo=BKK), tick=False):
        sweep()
        sweep()
    assert [n.recipient for n in Notice.objects.filter(kind="meeting_reminder_day")] == [coming]
    assert Notice.objects.filter(kind="meeting_reminder_week").count() == 1
    assert gone not in [n.recipient for n in Notice.objects.all()]


def test_no_reminder_for_a_cancelled_meeting_or_registration():
    officer = factories.OfficerFactory()
    start = datetime.datetime(2027, 3, 15, 9, 30, tzinfo=BKK)
    with time_machine.travel(datetime.datetime(2027, 3, 1, 8, 0, tzinfo=BKK), tick=False):
        kept, cancelled_meeting = _meeting(officer, start), _meeting(officer, start)
        person, changed_mind = factories.citizen(), factories.citizen()
        services.register(meeting=cancelled_meeting, person=person)
        services.register(meeting=kept, person=changed_mind)
        services.cancel_registration(meeting=kept, person=changed_mind)
        services.meeting_cancel(meeting=cancelled_meeting, officer=officer, reason="Flooding")
    with time_machine.travel(datetime.datetime(2027, 3, 14, 8, 0, tzinfo=BKK), tick=False):
        sweep()
    assert not Notice.objects.filter(kind__startswith="meeting_reminder").exists()
