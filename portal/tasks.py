from celery import shared_task
from django.core import management


@shared_task
def clear_expired_sessions():
    """Beat runs this nightly: expired sign-in sessions are removed."""
    management.call_command("clearsessions")
