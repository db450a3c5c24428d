"""The Celery tasks of calls. Beat refers to them by name, which stays as it was."""

from celery import shared_task

from contracts.calls.services import call_close_due


@shared_task(name="contracts.tasks.close_due_calls")
def close_due_calls() -> int:
    """Close every published call whose closing time has passed (Celery beat)."""
    return call_close_due()
