"""Is the portal whole? The database, the cache, the Celery broker, a worker answering and
the deadline sweep not late. ``/health/`` (django-health-check, JSON or text for monitors)
and the staff's panel in the admin ask the same checks here.

The sweep is the clock of every legal deadline (the 3-month end warning among them): beat
runs it every ``SWEEP_EVERY``; the health fails when the last completed one is more than
``HEALTH_SWEEP_LATE_MINUTES`` (30) late, i.e. older than the interval plus that margin."""

import asyncio
import dataclasses
import datetime

from django import db
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.contrib.celery import Ping
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from .models import TaskRun

DEADLINE_SWEEP = "deadline_sweep"
SWEEP_EVERY = datetime.timedelta(minutes=10)  # settings.CELERY_BEAT_SCHEDULE["sweep-notices"]


def record_run(name: str, *, at=None) -> None:
    """A background job finished now: the health check reads when."""
    TaskRun.objects.update_or_create(name=name, defaults={"finished_at": at or timezone.now()})


def last_run(name: str):
    return TaskRun.objects.filter(name=name).values_list("finished_at", flat=True).first()


def sweep_lateness(now=None) -> tuple[datetime.timedelta | None, bool]:
    """(time since the last completed deadline sweep or None if there was none, late?)."""
    now = now or timezone.now()
    finished = last_run(DEADLINE_SWEEP)
    if finished is None:
        return None, True
    since = now - finished
    margin = datetime.timedelta(minutes=settings.HEALTH_SWEEP_LATE_MINUTES)
    return since, since > SWEEP_EVERY + margin


@dataclasses.dataclass
class DeadlineSweep(HealthCheck):
    """The last completed deadline sweep is recent (beat and a worker both work)."""

    def run(self):
        try:
            since, late = sweep_lateness()
        finally:
            db.connection.close()  # this runs in a thread of the check runner's own
        if since is None:
            raise ServiceUnavailable("No deadline sweep has completed yet")
        minutes = int(since.total_seconds() // 60)
        if late:
            raise ServiceUnavailable(f"The last deadline sweep finished {minutes} minutes ago")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        from .celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:  # kombu raises the transport's own errors
            raise ServiceUnavailable(f"Broker unavailable: {type(exc).__name__}") from exc


# What each check is called on the staff's panel (the JSON uses the checks' own names).
CHECKS = (
    (Database, {}, _("Database")),
    (Cache, {}, _("Cache")),
    (Broker, {}, _("Celery broker")),
    (Ping, {"timeout": datetime.timedelta(seconds=2), "limit": 1}, _("Celery worker")),
    (DeadlineSweep, {}, _("Deadline sweep")),
)


class HealthView(HealthCheckView):
    """GET /health/: 200 when every check passes, 503 when one fails (monitors read the
    status; ``?format=json`` or ``Accept: application/json`` lists each check)."""

    checks = tuple((check, kwargs) for check, kwargs, _label in CHECKS)

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
            response.reason_phrase = "Service Unavailable"
        return response


@dataclasses.dataclass
class Status:
    label: str
    ok: bool
    detail: str


def system_health() -> dict:
    """What the staff's panel shows: each check passed or why not, and how long ago the last
    deadline sweep finished."""

    async def gather():
        checks = [check(**kwargs) for check, kwargs, _label in CHECKS]
        return await asyncio.gather(*(check.get_result() for check in checks))

    results = asyncio.run(gather())
    statuses = [
        Status(label=str(label), ok=result.error is None, detail=str(result.error or ""))
        for (_check, _kwargs, label), result in zip(CHECKS, results, strict=True)
    ]
    since, late = sweep_lateness()
    return {
        "statuses": statuses,
        "ok": all(status.ok for status in statuses),
        "sweep_minutes": None if since is None else int(since.total_seconds() // 60),
        "sweep_late": late,
    }
