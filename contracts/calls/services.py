"""Calls for proposals: one function per use case (draft, change, publish, close, cancel,
choose the evaluators). Views, API views and tasks call these; none of them changes a
status itself."""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypedDict, Unpack

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.calls import permissions
from contracts.calls.models import Call, CallEvaluator
from contracts.calls.rules import _close_if_due, _system, validate_call
from contracts.proposals.models import Proposal
from contracts.proposals.services import _decide, _email_members
from portal.audit import audit_record
from portal.roles import Role, has_role
from portal.validation import fields_of
from portal.workflow import InvalidTransition, reason_required, require, run_transition

CS = Call.Status
PS = Proposal.Status


class CallFields(TypedDict, total=False):
    """An officer's terms for a call; codes refer to the reference tables."""

    instrument: str  # Instrument
    title: str
    description: str
    budget_ceiling: Decimal | str  # baht per proposal
    budget_total: Decimal | str | None  # baht for the whole call (default: the ceiling)
    opens_at: datetime.datetime  # aware
    closes_at: datetime.datetime  # aware
    costing_method: str  # CostingMethod
    criteria_weights: Mapping[str, int]  # the five criteria, summing to 100
    required_documents: Sequence[str]
    eligible_provinces: Sequence[str]  # Province codes (default: the mission's)
    eligible_activity_fields: Sequence[str]  # ActivityField codes (default: the mission's)


def _apply_call(call: Call, cleaned: dict) -> list[str]:
    changed = []
    for name in [
        "instrument",
        "title",
        "description",
        "budget_ceiling",
        "budget_total",
        "opens_at",
        "closes_at",
        "costing_method",
        "required_documents",
    ]:
        if name in cleaned:
            setattr(call, name, cleaned[name])
            changed.append(name)
    if "criteria_weights" in cleaned:
        for c, w in cleaned["criteria_weights"].items():
            setattr(call, f"weight_{c}", w)
            changed.append(f"weight_{c}")
    return changed


def call_create(*, user, mission, **fields: Unpack[CallFields]) -> Call:
    """An officer drafts a call for one of the agency's missions. Eligibility defaults to
    the mission's provinces and activity field."""
    require(permissions.can_create_call(user, mission))
    cleaned = validate_call(call=None, answers=fields_of(CallFields, fields))
    with transaction.atomic():
        call = Call(agency_id=mission.agency_id, mission=mission, created_by=user)
        _apply_call(call, cleaned)
        call.save()
        provinces = cleaned.get("eligible_provinces")
        if provinces is None:
            provinces = list(mission.provinces.values_list("code", flat=True))
        call.eligible_provinces.set(provinces)
        fields = cleaned.get("eligible_activity_fields")
        if fields is None:
            fields = [mission.activity_field_id]
        call.eligible_activity_fields.set(fields)
        audit_record(obj=call, actor=user, action="create", to_status=call.status)
    return call


def call_update(*, call: Call, user, **fields: Unpack[CallFields]) -> Call:
    """Change a draft call (the fields given; those left out keep their values). A published
    call's terms are fixed: every CSO answers the same."""
    require(permissions.can_manage_call(user, call))
    cleaned = validate_call(call=call, answers=fields_of(CallFields, fields))
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status != CS.DRAFT:
            raise InvalidTransition(
                _("A published call cannot be changed: every organisation answers the same call.")
            )
        fields = _apply_call(locked, cleaned)
        locked.save(update_fields=[*fields, "updated_at"])
        if "eligible_provinces" in cleaned:
            locked.eligible_provinces.set(cleaned["eligible_provinces"])
        if "eligible_activity_fields" in cleaned:
            locked.eligible_activity_fields.set(cleaned["eligible_activity_fields"])
    return locked


def call_publish(*, call: Call, user) -> Call:
    now = timezone.now()

    def apply(obj):
        if obj.closes_at <= now:
            raise ValidationError(
                {"closes_at": [_("The closing time has passed; choose a later one first.")]}
            )
        obj.published_at = now
        return ["published_at"]

    return run_transition(
        instance=call,
        target=CS.OPEN,
        actor=user,
        action="publish",
        permission=permissions.can_publish_call,
        apply=apply,
    )


def call_close(*, call: Call, user, reason: str = "") -> Call:
    """An officer closes an open call, at its closing time or early."""

    def apply(obj):
        obj.closed_at = timezone.now()
        return ["closed_at"]

    return run_transition(
        instance=call,
        target=CS.CLOSED,
        actor=user,
        action="close",
        permission=permissions.can_manage_call,
        reason=reason,
        apply=apply,
    )


def call_close_due(*, now=None) -> int:
    """Close every open call whose closing time has passed (Celery beat). Returns how many."""
    now = now or timezone.now()
    closed = 0
    for call in Call.objects.filter(status=CS.OPEN, closes_at__lte=now).only("pk", "status"):
        try:
            _close_if_due(call.pk, now)
            closed += 1
        except InvalidTransition:  # someone closed or cancelled it meanwhile
            continue
    return closed


def call_cancel(*, call: Call, user, reason: str) -> Call:
    """Cancel a call; proposals still waiting for a decision are told it will not go ahead.
    The call row is locked first (run_transition), as submitting locks it: a proposal sent at
    the same moment is either refused or, if it came first, decided here."""
    reason = reason_required(reason)
    with transaction.atomic():
        call = run_transition(
            instance=call,
            target=CS.CANCELLED,
            actor=user,
            action="cancel",
            permission=permissions.can_manage_call,
            reason=reason,
            apply=lambda obj: setattr(obj, "cancel_reason", reason) or ["cancel_reason"],
        )
        waiting = list(call.proposals.filter(status__in=Proposal.IN_REVIEW).order_by("pk"))
        why = _("The call was cancelled: %(reason)s") % {"reason": reason}
        now = timezone.now()

        def apply(obj):
            obj.decided_at, obj.decision_reason = now, why
            return ["decided_at", "decision_reason"]

        for proposal in waiting:
            _decide(proposal, user, PS.NOT_SELECTED, "reject", why, permission=_system, apply=apply)
            _email_members(Proposal.objects.get(pk=proposal.pk), "proposal_decided")
    return call


def call_assign_evaluators(*, call: Call, user, usernames) -> list:
    """Set the call's evaluation panel. Each must hold the evaluator role; an evaluator who
    has already scored stays."""
    require(permissions.can_manage_call(user, call))
    if not isinstance(usernames, list | tuple) or not all(isinstance(u, str) for u in usernames):
        raise ValidationError({"usernames": [_("Give a list of user names.")]})
    wanted = list(dict.fromkeys(u.strip() for u in usernames if u.strip()))
    users = {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=wanted, is_active=True)
        .prefetch_related("role_rows")
    }
    not_evaluators = [u for u in wanted if u not in users or not has_role(users[u], Role.EVALUATOR)]
    if not_evaluators:
        raise ValidationError(
            {
                "usernames": [
                    _("These accounts do not hold the evaluator role: %(names)s.")
                    % {"names": ", ".join(not_evaluators[:10])}
                ]
            }
        )
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status in {CS.AWARDED, CS.CANCELLED}:
            raise InvalidTransition(
                _("The panel cannot change while the call is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        current = {a.evaluator.username: a for a in locked.assignments.select_related("evaluator")}
        removed = [name for name in current if name not in users]
        scored = set(
            get_user_model()
            .objects.filter(reviews__proposal__call=locked, username__in=removed)
            .values_list("username", flat=True)
        )
        if scored:
            raise ValidationError(
                {
                    "usernames": [
                        _("These evaluators have started scoring and stay on the panel: %(names)s.")
                        % {"names": ", ".join(sorted(scored))}
                    ]
                }
            )
        added = [name for name in wanted if name not in current]
        CallEvaluator.objects.filter(call=locked, evaluator__username__in=removed).delete()
        CallEvaluator.objects.bulk_create(
            [CallEvaluator(call=locked, evaluator=users[n], assigned_by=user) for n in added],
            ignore_conflicts=True,
        )
        if added or removed:
            audit_record(
                obj=locked,
                actor=user,
                action="assign_evaluators",
                from_status=locked.status,
                to_status=locked.status,
                data={"added": added, "removed": removed},
            )
    return [users[n] for n in wanted]
