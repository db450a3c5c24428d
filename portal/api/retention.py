"""How long the API keeps what it records about its callers: idempotency records (the first
answer to a money-moving write, replayed for a retried request) and the API request log.
Older rows are purged by a beat task (``portal.tasks.purge_api_records``); the period is
``API_RECORDS_RETENTION_DAYS`` (90 days unless the environment says otherwise)."""

import datetime

from django.conf import settings
from django.utils import timezone

from ..models import ApiRequestLog, IdempotencyRecord


def api_records_purge(*, now=None) -> dict[str, int]:
    """Delete idempotency records and request-log rows older than the retention period;
    return how many of each went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.API_RECORDS_RETENTION_DAYS)
    idempotency, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    requests, _ = ApiRequestLog.objects.filter(at__lt=cutoff).delete()
    return {"idempotency_records": idempotency, "api_requests": requests}
