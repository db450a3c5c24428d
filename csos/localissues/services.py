"""Writes for a network's local issues: raise one (with evidence and the places affected),
set its goals, expected results and agreed approach, or close it with a reason. The
network's row is locked first; every change is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.uploads import ALLOWED_TYPES, check_upload
from portal.validation import text_field
from portal.workflow import require

from ..networks.models import Network
from ..networks.selectors import members_spoken_for
from . import permissions
from .models import LocalIssue

ST = LocalIssue.Status


def issue_raise(*, person, network, data: dict, upload=None, raised_for=None) -> LocalIssue:
    """``raised_for`` is the certified member the person speaks for (their own membership,
    their CSO's or agency's); the first they speak for when not given."""
    errors = {}
    fields = {
        "title": text_field(errors, data, "title", limit=255),
        "description": text_field(errors, data, "description", limit=5000),
        "evidence": text_field(errors, data, "evidence", limit=5000, required=False),
        "places": text_field(
            errors, data, "places", limit=500, missing=_("Say which places are affected.")
        ),
    }
    mime = None
    if upload is not None:
        try:
            mime = check_upload(upload)
        except ValidationError as exc:
            errors["evidence_file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=network.pk)
        require(permissions.can_raise(person, locked))
        spoken_for = members_spoken_for(person, locked)
        if raised_for is None:
            raised_for = spoken_for[0] if spoken_for else None
        if raised_for is None or raised_for.pk not in {m.pk for m in spoken_for}:
            raise ValidationError({"raised_for": [_("Raise it for a member you speak for.")]})
        issue = LocalIssue(network=locked, raised_by=raised_for, **fields)
        if upload is not None:
            name = f"issue-evidence-{locked.pk}.{ALLOWED_TYPES[mime]}"
            issue.evidence_file.save(name, upload, save=False)
        issue.save()
        audit_record(obj=issue, actor=person, action="issue_raise", to_status=ST.RAISED)
    return issue


def issue_plan(*, manager, issue, data: dict) -> LocalIssue:
    """The network's goals for the issue, the results it expects and the way it agreed to
    handle it; they can be refined until the action contract is drawn up."""
    errors = {}
    fields = {
        name: text_field(errors, data, name, limit=5000)
        for name in ("goals", "results", "approach")
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Network.objects.select_for_update().get(pk=issue.network_id)
        issue = LocalIssue.objects.select_for_update().get(pk=issue.pk)
        require(permissions.can_plan(manager, issue))
        before = issue.status
        for name, value in fields.items():
            setattr(issue, name, value)
        issue.status, issue.planned_at = ST.PLANNED, issue.planned_at or timezone.now()
        issue.save(update_fields=[*fields, "status", "planned_at"])
        audit_record(
            obj=issue, actor=manager, action="issue_plan", from_status=before, to_status=ST.PLANNED
        )
    return issue


def issue_close(*, manager, issue, reason: str) -> LocalIssue:
    errors = {}
    reason = text_field(
        errors, {"reason": reason}, "reason", limit=2000, missing=_("Say why it is closed.")
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Network.objects.select_for_update().get(pk=issue.network_id)
        issue = LocalIssue.objects.select_for_update().get(pk=issue.pk)
        require(permissions.can_close(manager, issue))
        before, issue.status, issue.close_reason = issue.status, ST.CLOSED, reason
        issue.save(update_fields=["status", "close_reason"])
        audit_record(
            obj=issue, actor=manager, action="issue_close", from_status=before,
            to_status=ST.CLOSED, reason=reason,
        )  # fmt: skip
    return issue
