"""Idempotency records and the API request log are purged after the retention period
(issue 13, item 10): by a task beat runs, keeping what is younger."""

import datetime

import pytest
import time_machine
from django.conf import settings

from portal.celery import app
from portal.models import ApiRequestLog, IdempotencyRecord
from portal.tasks import purge_api_records
from tests.helpers import at

pytestmark = pytest.mark.django_db


def _records_made_on(moment, api_as, finance, key):
    """What a client's requests leave behind on that day: a log row and an idempotency
    record."""
    with time_machine.travel(moment, tick=False):
        assert api_as(finance).get("/api/v1/me/").status_code == 200
        IdempotencyRecord.objects.create(
            user=finance,
            key=key,
            method="POST",
            path="/api/v1/agreements/1/tranches/1/pay/",
            request_hash="0" * 64,
            status_code=200,
        )


def test_records_older_than_the_retention_period_are_purged_and_younger_ones_kept(api_as, finance):
    assert settings.API_RECORDS_RETENTION_DAYS == 90  # the default
    _records_made_on(at(2027, 1, 1), api_as, finance, "old")
    _records_made_on(at(2027, 3, 1), api_as, finance, "young")
    assert ApiRequestLog.objects.count() == 2

    with time_machine.travel(at(2027, 3, 31), tick=False):  # 89 days after the first
        assert purge_api_records() == {"idempotency_records": 0, "api_requests": 0}
    with time_machine.travel(at(2027, 4, 2), tick=False):  # 91 days after the first
        assert purge_api_records() == {"idempotency_records": 1, "api_requests": 1}

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["young"]
    [kept] = ApiRequestLog.objects.all()
    assert kept.at.date() == datetime.date(2027, 3, 1)


def test_the_retention_period_is_configurable(api_as, finance, settings):
    settings.API_RECORDS_RETENTION_DAYS = 7
    _records_made_on(at(2027, 1, 1), api_as, finance, "old")
    with time_machine.travel(at(2027, 1, 9), tick=False):
        assert purge_api_records() == {"idempotency_records": 1, "api_requests": 1}


def test_beat_runs_the_purge():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "purge_api" in e["task"]]
    assert [e["task"] for e in entries] == ["portal.tasks.purge_api_records"]
    app.loader.import_default_modules()
    assert "portal.tasks.purge_api_records" in app.tasks
