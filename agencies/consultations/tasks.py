from celery import shared_task

from .services import close_ended_consultations as close_ended


@shared_task(name="agencies.consultations.tasks.close_ended_consultations")
def close_ended_consultations() -> int:
    """Close every published consultation whose period has ended (Celery beat)."""
    return close_ended()
