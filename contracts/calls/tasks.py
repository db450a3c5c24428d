"""The Celery tasks of calls. Beat refers to them by name, which stays as it was."""

from celery import shared_task

from contracts.calls.models import Call
from contracts.calls.services import call_alerts_send, call_close_due


@shared_task(name="contracts.tasks.close_due_calls")
def close_due_calls() -> int:
    """Close every published call whose closing time has passed (Celery beat)."""
    return call_close_due()


@shared_task(name="contracts.tasks.send_call_alerts")
def send_call_alerts(call_id: int) -> dict:
    """Tell the organisations a newly published call suits, and the saved searches it
    matches (queued when the call is published)."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        return {"organisations": 0, "searches": 0}
    return call_alerts_send(call=call)
