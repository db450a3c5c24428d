"""Each lock is audited when it begins; staff lift one (audited with their reason); a password
reset by email lifts its username's lock."""

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.models import User
from portal.workflow import InvalidTransition, require

from .permissions import can_lift_locks
from .selectors import lock_of


def _audited_object(kind: str, value: str):
    """What the audit row is about: the account when a username names one, else the
    attempt row itself."""
    if kind == "username":
        user = User.objects.filter(username=value).first()
        if user is not None:
            return user
    field = "username" if kind == "username" else "ip_address"
    return AccessAttempt.objects.filter(**{field: value}).order_by("-attempt_time").first()


def lock_record(*, username: str | None, address: str | None, by_username: bool) -> None:
    """The audit row of a lock that has just begun (axes' ``user_locked_out``): on the
    username's account when its failures reached the limit, else on the address."""
    kind, value = ("username", username) if by_username and username else ("address", address)
    obj = _audited_object(kind, value)
    if obj is None:
        return
    audit_record(
        obj=obj,
        actor=None,
        action="signin_locked",
        to_status="locked",
        data={"kind": kind, "username": username or "", "address": address or ""},
    )


def lock_lift(*, kind: str, value: str, actor, reason: str = "") -> int:
    """Lift the lock on a username or an address: its failures are forgotten."""
    require(can_lift_locks(actor))
    with transaction.atomic():
        if lock_of(kind, value) is None:
            raise InvalidTransition(_("This lock has already ended."))
        obj = _audited_object(kind, value)
        audit_record(
            obj=obj,
            actor=actor,
            action="signin_lock_lifted",
            from_status="locked",
            to_status="open",
            reason=reason,
            data={"kind": kind, "value": value},
        )
        if kind == "username":
            return AxesProxyHandler.reset_attempts(username=value)
        return AxesProxyHandler.reset_attempts(ip_address=value)


def lock_lift_on_reset(*, user: User) -> bool:
    """A password reset by email proves the person: their username's failures go."""
    return bool(AxesProxyHandler.reset_attempts(username=user.username))
