"""A real Celery worker on this machine's Redis: the sweep is queued, the worker records the
notices and emails each once; queuing the sweep and the emails again changes nothing.

Needs Redis (CELERY_BROKER_URL=redis://...) and PostgreSQL: skipped without them on a
developer's machine, a failure in CI."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from portal.models import Notice
from tests.factories import CSOFactory, ReviewerFactory, award
from tests.helpers import database_url, redis_ready, unavailable

ROOT = Path(__file__).resolve().parents[2]  # the repository: tests/cross/ is two below


def wait_until(check, timeout=60.0, every=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


@pytest.fixture
def worker(transactional_db, tmp_path):
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        unavailable(f"the worker test needs Redis (CELERY_BROKER_URL is {broker!r})")
    if not redis_ready(broker):
        unavailable(f"Redis is not answering at {broker}")
    from portal.celery import app

    app.control.purge()  # messages other tests queued for objects long gone
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PORTAL_ENV": "development",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the files it builds, where the test reads
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield mail_dir
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if "Traceback" in (output or ""):
            print(output)  # shown with the failure


def emails(mail_dir: Path) -> list[str]:
    if not mail_dir.exists():
        return []
    return [p.read_text() for p in sorted(mail_dir.glob("*.log"))]


def queue_empty() -> bool:
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return client.llen("celery") == 0


@pytest.mark.postgres
def test_a_real_worker_sends_each_notice_once(worker):
    from portal.notices.delivery import send_notice_email
    from portal.notices.tasks import sweep_notices

    today = timezone.localdate()
    # Ends in 2 months: the CSO's 3-month warning is due (late) and the officer is alerted.
    # Awarded a month ago, to start that day (an award may not start in the past).
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30)):
        agreement = award(
            terms={
                "start_date": today - datetime.timedelta(days=30),
                "end_date": today + datetime.timedelta(days=60),
            }
        )
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by
    reviewer = ReviewerFactory()
    waiting = CSOFactory(status="submitted")
    type(waiting).objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=20)
    )
    # The offer notice was recorded when the agreement was awarded; its email task was
    # queued before the worker started and purged: the sweep queues it again later.
    Notice.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))

    sweep_notices.delay()

    expected = {
        (member.pk, "partnership_ending"),
        (officer.pk, "end_warning_late"),
        (reviewer.pk, "registration_waiting"),
    }

    def recorded():
        return expected <= set(Notice.objects.values_list("recipient_id", "kind"))

    assert wait_until(recorded), list(Notice.objects.values_list("recipient_id", "kind"))
    to_email = Notice.objects.exclude(email_status="off")
    assert wait_until(lambda: not to_email.exclude(email_status="sent").exists()), list(
        to_email.values_list("kind", "email_status")
    )
    sent = emails(worker)

    def emails_per_notice():
        # Other emails (the committee's decision, the proposal's receipt) go out too.
        texts = emails(worker)
        return {
            (n.kind, n.recipient.username): sum(
                n.body in text and f"To: {n.recipient.email}" in text for text in texts
            )
            for n in to_email.select_related("recipient")
        }

    assert set(emails_per_notice().values()) == {1}, emails_per_notice()
    warning = Notice.objects.get(recipient=member, kind="partnership_ending")
    assert any(member.email in text and warning.body in text for text in sent)

    # Everything again: a second sweep and a duplicate email task change nothing.
    before = (Notice.objects.count(), len(sent))
    sweep_notices.delay()
    for notice in to_email:
        send_notice_email.delay(notice.pk)
    assert wait_until(queue_empty, timeout=30)
    time.sleep(2)  # the last task taken off the queue finishes
    assert (Notice.objects.count(), len(emails(worker))) == before
    assert set(emails_per_notice().values()) == {1}


@pytest.mark.postgres
def test_publishing_a_call_alerts_the_organisations_it_suits_through_the_worker(worker):
    from contracts.calls import services as call_services
    from tests.factories import CallFactory

    suited = CSOFactory(status="approved")
    draft = CallFactory(status="draft")
    call_services.call_publish(call=draft, user=draft.created_by)  # queued once committed
    member = suited.members.get()

    def told():
        return Notice.objects.filter(recipient=member, kind="call_matching").exists()

    assert wait_until(told), list(Notice.objects.values_list("recipient_id", "kind"))


@pytest.mark.postgres
def test_the_worker_builds_the_open_data_a_request_found_out_of_date(worker, settings, finance):
    """A big portal's file is served as it stands while the worker builds the next: the
    request that finds it out of date queues the build and does not wait for it."""
    from rest_framework.test import APIClient

    from contracts.open_data.models import Export
    from tests.contracts.open_data.test_open_data import pay

    settings.OPEN_DATA_INLINE_BUILD_SECONDS = 0  # every file counts as slow to build
    url = "/api/v1/open-data/360giving.json"
    client = APIClient()
    agreement = award()
    first = client.get(url)
    assert first.status_code == 200 and b"disbursementTransaction" not in first.getvalue()

    pay(agreement, 1, finance)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    built = Export.objects.filter(name="360giving.json", language="th")
    old = built.get().stamp
    assert wait_until(lambda: built.get().stamp != old), "the worker built nothing"
    fresh = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and b"disbursementTransaction" in fresh.getvalue()
