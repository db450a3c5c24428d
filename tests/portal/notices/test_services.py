"""Notices: recorded once per (kind, object, due date, recipient) and shown in the inbox."""

import datetime

import pytest

from portal.models import Notice, NoticePreference
from portal.notices.services import notify
from tests.factories import (
    CSOFactory,
)

pytestmark = pytest.mark.django_db
CONTEXT = {"seq": 1, "number": "G-2570-000001", "title": "โครงการ", "due": "x"}


# --- notify --------------------------------------------------------------------------------


def test_a_notice_is_recorded_once_per_key(member, django_capture_on_commit_callbacks):
    cso = CSOFactory(status="approved")
    with django_capture_on_commit_callbacks() as queued:
        first = notify(
            "report_due",
            [member, member],
            cso,
            due_on=datetime.date(2027, 4, 1),
            context=CONTEXT,
        )
        again = notify(
            "report_due", [member], cso, due_on=datetime.date(2027, 4, 1), context=CONTEXT
        )
    assert len(first) == 1 and again == []
    assert len(queued) == 1  # one email task, queued once the notice is committed
    later = notify("report_due", [member], cso, due_on=datetime.date(2027, 7, 1), context=CONTEXT)
    assert len(later) == 1  # another due date is another notice
    assert Notice.objects.filter(recipient=member).count() == 2


def test_the_notice_speaks_the_recipients_language_with_be_dates(member, other_member):
    member.language = "en"
    member.save(update_fields=["language"])
    cso = CSOFactory(status="approved")
    context = {
        "seq": 2,
        "number": "G-2570-000001",
        "title": "โครงการ",
        "due": datetime.date(2027, 7, 1),
    }
    notify("report_due", [member, other_member], cso, due_on=None, context=context)

    english = Notice.objects.get(recipient=member)
    thai = Notice.objects.get(recipient=other_member)
    assert english.subject == "Progress report 2 of G-2570-000001 is due on 1 July 2570 BE"
    assert "1 กรกฎาคม พ.ศ. 2570" in thai.subject


def test_email_can_be_turned_off_but_a_legal_deadline_stays_in_the_inbox(member):
    cso = CSOFactory(status="approved")
    NoticePreference.objects.create(user=member, kind="report_due", email=False, in_app=False)
    NoticePreference.objects.create(user=member, kind="settlement_due", email=False, in_app=False)
    notify(
        "report_due", [member], cso, context=dict.fromkeys(["seq", "number", "title", "due"], "x")
    )
    notify("settlement_due", [member], cso, context=dict.fromkeys(["number", "title", "due"], "x"))

    report = Notice.objects.get(kind="report_due")
    legal = Notice.objects.get(kind="settlement_due")
    assert (report.in_app, report.email_status) == (False, "off")
    assert (legal.in_app, legal.email_status) == (True, "off")
