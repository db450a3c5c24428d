from celery import shared_task

from .calls.services import call_close_due


@shared_task
def close_due_calls() -> int:
    """Close every published call whose closing time has passed (Celery beat)."""

    return call_close_due()
