"""/health/ and the staff's panel (issue 13, item 8): the deadline sweep records when it
finished, and the health fails (503) once the sweep is more than 30 minutes late.

These tests run without a Celery worker, so the worker check fails here; the real worker
and beat are in test_serve.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from portal.health import DEADLINE_SWEEP, last_run, record_run
from portal.notices.tasks import sweep_notices
from tests import factories
from tests.helpers import at, in_thai

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_the_sweep_task_records_when_it_finished():
    assert last_run(DEADLINE_SWEEP) is None
    with time_machine.travel(at(2027, 3, 1, 9), tick=False):
        sweep_notices()
    assert last_run(DEADLINE_SWEEP) == at(2027, 3, 1, 9)


def _health(client):
    response = client.get("/health/?format=json")
    return response.status_code, response.json()


def _sweep_entry(body):
    [entry] = [value for key, value in body.items() if key.startswith("DeadlineSweep")]
    return entry


@pytest.mark.django_db(transaction=True)  # the checks run in threads of their own
def test_health_answers_503_when_the_sweep_is_more_than_30_minutes_late(client):
    record_run(DEADLINE_SWEEP, at=at(2027, 3, 1, 9))
    # Every 10 minutes, so 30 minutes late is 40 minutes after the last one.
    with time_machine.travel(at(2027, 3, 1, 9).replace(minute=39), tick=False):
        status, body = _health(client)
    assert _sweep_entry(body) == "OK"
    assert body[next(k for k in body if k.startswith("Database"))] == "OK"
    assert body[next(k for k in body if k.startswith("Cache"))] == "OK"

    with time_machine.travel(at(2027, 3, 1, 9).replace(minute=41), tick=False):
        status, body = _health(client)
    assert status == 503
    assert _sweep_entry(body) == "Unavailable: The last deadline sweep finished 41 minutes ago"


@pytest.mark.django_db(transaction=True)
def test_health_fails_before_any_sweep_has_completed(client):
    status, body = _health(client)
    assert status == 503
    assert _sweep_entry(body) == "Unavailable: No deadline sweep has completed yet"


@pytest.mark.django_db(transaction=True)
def test_staff_see_the_same_on_the_admin_dashboard(client):
    with time_machine.travel(at(2027, 3, 1, 10), tick=False):
        record_run(DEADLINE_SWEEP, at=at(2027, 3, 1, 9))
        client.force_login(factories.StaffAdminFactory(is_superuser=True))
        response = client.get("/admin/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert in_thai("System health") in page
    assert in_thai("Deadline sweep") in page
    assert "60" in page.split(in_thai("System health"), 1)[1].split("</section>", 1)[0]
    assert in_thai("A check fails: deadline notices and emails may not go out.") in page


def test_the_beat_schedule_folder_exists_whatever_the_broker(tmp_path):
    var = tmp_path / "var"
    environment = {
        **os.environ,
        "PORTAL_VAR_DIR": str(var),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10",
        "PORTAL_ENV": "development",
    }
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        check=True,
        timeout=120,
    )
    from django.conf import settings

    name = Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).name
    assert (var / "celery").is_dir(), "beat would die at start: no folder for " + name
