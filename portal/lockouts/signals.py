"""Audit the start of each lock. axes sends ``user_locked_out`` at the failure that reaches the
limit and again at every refused try during the lock; only the first is a new lock."""

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver

from .services import lock_record


@receiver(user_locked_out, dispatch_uid="portal_lockout_audit")
def audit_lock(sender, request, username, ip_address, **kwargs):
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != settings.AXES_FAILURE_LIMIT:
        return
    credentials = getattr(request, "axes_credentials", None)
    by_username, _by_address = AxesProxyHandler.get_implementation().failures_by(
        request, credentials
    )
    lock_record(
        username=username,
        address=ip_address,
        by_username=by_username >= settings.SIGNIN_USER_FAILURE_LIMIT,
    )
