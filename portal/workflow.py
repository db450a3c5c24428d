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


class NotNow(str):
    """A permission function's reason when the role is right but the object's status or the
    date is not: ``require`` raises it as ``InvalidTransition`` (API: 409)."""


class AlreadyDone(str):
    """A permission function's reason when the thing was done already: ``require`` raises it
    as ``Conflict`` (API: 409 conflict)."""


def require(allowed_reason) -> None:
    """Act on a permission function's ``(allowed, reason)``: refuse with the reason, as
    ``PermissionDenied`` for the wrong role, ``InvalidTransition`` for the wrong status or
    date (``NotNow``), ``Conflict`` for a duplicate (``AlreadyDone``)."""

    allowed, reason = allowed_reason
    if allowed:
        return
    if isinstance(reason, NotNow):
        raise InvalidTransition(str(reason))
    if isinstance(reason, AlreadyDone):
        raise Conflict(str(reason))
    raise PermissionDenied(reason)


def wrong_person(allowed_reason):
    """The reason of a refusal about *who* asks (the wrong role or account), or None: when
    allowed, or refused only for the moment (``NotNow``) or as done already (``AlreadyDone``),
    which the page or the service then explains."""
    allowed, reason = allowed_reason
    if allowed or isinstance(reason, NotNow | AlreadyDone):
        return None
    return reason


def refuse_wrong_person(allowed_reason) -> None:
    """A web page's 403 for someone who may never do this; other refusals are left to it."""
    reason = wrong_person(allowed_reason)
    if reason is not None:
        raise PermissionDenied(reason)


def transition_refusal(transitions: dict, current: str, target: str, *, label=None):
    """Why ``current`` may not move to ``target`` (as ``assert_transition`` says it), or
    ``None`` when it may."""
    if target in transitions.get(current, set()):
        return None
    return NotNow(
        _("This cannot be done while the status is “%(status)s”.") % {"status": label or current}
    )


def reason_required(reason: str) -> str:
    """The reason an action must give (the organisation reads it), stripped."""

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason; the organisation will see it.")]})
    return reason


def assert_transition(transitions: dict, current: str, target: str, *, label=None) -> None:
    refusal = transition_refusal(transitions, current, target, label=label)
    if refusal is not None:
        raise InvalidTransition(str(refusal))


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
        require(permission(actor, obj))
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
