"""The email channel: notices emailed in the recipient's language unless they turned email off."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal.models import Notice
from portal.notices.delivery import send_notice_email
from portal.notices.services import notify
from portal.notices.sweep import requeue_stalled_email
from tests.factories import (
    CSOFactory,
)

pytestmark = pytest.mark.django_db


# --- the email channel ------------------------------------------------------------------------


def _one_notice(user):
    cso = CSOFactory(status="approved")
    (notice,) = notify(
        "tranche_paid",
        [user],
        cso,
        context={"seq": 1, "number": "PC-2570-000001", "amount": "152,016.00", "reference": "GF-1"},
        url="/agreements/1/",
    )
    return notice


def test_the_email_goes_once_whatever_runs_twice(member):
    notice = _one_notice(member)

    assert send_notice_email(notice.pk) == 1
    assert send_notice_email(notice.pk) == 0  # a retried or duplicated task
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "152,016.00" in mail.outbox[0].body
    assert mail.outbox[0].body.endswith("/agreements/1/")
    notice.refresh_from_db()
    assert (notice.email_status, notice.email_attempts) == ("sent", 1)


class BrokenSMTP:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_server_outage_keeps_the_notice_and_retries(member, settings):
    settings.EMAIL_BACKEND = "tests.portal.notices.test_delivery.BrokenSMTP"
    notice = _one_notice(member)

    with pytest.raises(Exception) as exc:  # celery's Retry: the task is scheduled again
        send_notice_email.apply(args=[notice.pk], throw=True)
    assert "Retry" in type(exc.value).__name__ or "retry" in str(exc.value).lower()

    notice.refresh_from_db()
    assert notice.email_status == "pending"  # to be sent when the server is back
    assert notice.email_attempts == 1
    assert Notice.objects.filter(recipient=member, read_at__isnull=True).count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notice_email(notice.pk) == 1
    assert len(mail.outbox) == 1


def test_stalled_emails_are_queued_again(member, django_capture_on_commit_callbacks):
    notice = _one_notice(member)
    Notice.objects.filter(pk=notice.pk).update(
        email_status="sending",
        emailed_at=timezone.now() - datetime.timedelta(hours=1),
        created_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks() as queued:
        assert requeue_stalled_email() == 1
    assert len(queued) == 1
    notice.refresh_from_db()
    assert notice.email_status == "pending"
