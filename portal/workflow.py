"""Workflow rules as data: each model declares ``TRANSITIONS = {status: {allowed targets}}``
and every service checks a move here before it makes it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import audit_record


class InvalidTransition(Exception):
    """The action is not allowed in the object's current status (API: 409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Conflict(Exception):
    """A duplicate or concurrent change (API: 409 conflict)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def require(allowed_reason) -> None:
    """Act on a permission function's ``(allowed, reason)``: refuse with the reason."""

    allowed, reason = allowed_reason
    if not allowed:
        raise PermissionDenied(reason)


def reason_required(reason: str) -> str:
    """The reason an action must give (the organisation reads it), stripped."""

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason; the organisation will see it.")]})
    return reason


def assert_transition(transitions: dict, current: str, target: str, *, label=None) -> None:
    if target not in transitions.get(current, set()):
        raise InvalidTransition(
            _("This cannot be done while the status is “%(status)s”.")
            % {"status": label or current}
        )


def run_transition(
    *, instance, target, actor, action, permission, reason="", apply=None, data=None, sources=None
):
    """Move ``instance`` to ``target`` the one safe way: in a transaction, on the row locked
    with ``select_for_update``, re-checking permission and status on the locked row, saving
    only what changed, and writing the audit row in the same transaction.

    ``permission(actor, obj) -> (allowed, reason)``; ``apply(obj)`` may change more fields
    and returns their names; ``sources`` narrows the statuses this action starts from, where
    two actions lead to the same status. Returns the updated object."""

    model = type(instance)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=instance.pk)
        allowed, why = permission(actor, obj)
        if not allowed:
            raise PermissionDenied(why)
        source = obj.status
        transitions = model.TRANSITIONS
        if sources is not None:
            transitions = {s: t for s, t in transitions.items() if s in sources}
        assert_transition(transitions, source, target, label=obj.get_status_display())
        obj.status = target
        fields = {"status"}
        if apply is not None:
            fields |= set(apply(obj) or ())
        if any(f.name == "updated_at" for f in model._meta.fields):
            fields.add("updated_at")
        obj.save(update_fields=sorted(fields))
        audit_record(
            obj=obj,
            actor=actor,
            action=action,
            from_status=source,
            to_status=target,
            reason=reason,
            data=data,
        )
    return obj
