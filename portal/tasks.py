from celery import shared_task
from django.core import management


@shared_task
def clear_expired_sessions():
    """Beat runs this nightly: expired sign-in sessions are removed."""
    management.call_command("clearsessions")


@shared_task
def purge_api_records():
    """Beat runs this nightly: idempotency records and the API request log older than
    API_RECORDS_RETENTION_DAYS go."""
    from .api.retention import api_records_purge

    return api_records_purge()
