"""The notices' Celery task run by beat. (The email task lives with the email channel, in
``delivery``.)"""

from celery import shared_task

from .sweep import sweep


@shared_task(name="portal.tasks.sweep_notices")
def sweep_notices() -> int:
    """Beat runs this every few minutes: every deadline rule notifies what is due, once.
    Its completion is recorded for the health check (a late sweep means late legal notices)."""
    from portal.health import DEADLINE_SWEEP, record_run

    count = sweep()
    record_run(DEADLINE_SWEEP)
    return count
