from celery import shared_task


@shared_task
def close_due_calls() -> int:
    """Close every published call whose closing time has passed (Celery beat)."""
    from .calls.services import call_close_due

    return call_close_due()
