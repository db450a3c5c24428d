"""Calls for proposals and proposals: one function per use case. Views, API views and tasks
call these; none of them changes a status itself. Time is read once per use case, so a
deadline is judged at one instant."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts import permissions
from contracts.models import CRITERIA, BudgetLine, Call, CallEvaluator, Instrument, Proposal
from contracts.models import ProposalDocument as Document
from csos.models import CSO
from csos.services import known_codes
from portal.audit import audit_record
from portal.models import ActivityField, Province
from portal.roles import Role, has_role
from portal.uploads import stored_upload
from portal.workflow import Conflict, InvalidTransition, reason_required, require, run_transition

CS = Call.Status
PS = Proposal.Status
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
MAX_BUDGET_LINES = 100
MAX_TARGETS = 50
MAX_REQUIRED_DOCUMENTS = 20

# The proposal is filled in parts, each not started, in progress or completed.
PARTS = ["summary", "targets", "budget", "dates", "document", "attachments"]


def _too_long(value, limit):
    return _("Keep this within %(limit)s characters (now %(length)s).") % {
        "limit": f"{limit:,}",
        "length": f"{len(value):,}",
    }


def money(value, *, field: str, allow_zero=False, message=None) -> Decimal:
    """A baht amount as an exact Decimal with 2 places, or a ValidationError on ``field``.
    ``message``, when given, is the one answer to every refusal (a page that asks for one
    particular amount says so in its own words)."""

    def refuse(default):
        raise ValidationError({field: [message or default]})

    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        refuse(_("Give an amount in baht, such as 80000.00."))
    if amount < 0 or (amount == 0 and not allow_zero):
        refuse(_("The amount must be more than zero."))
    if amount > MAX_AMOUNT:  # before quantize(), which fails on numbers this long
        refuse(_("The amount is too large."))
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        refuse(_("Give the amount to at most 2 decimal places."))
    return amount.quantize(CENT)


# ---------------------------------------------------------------------------------------
# Calls


CALL_TEXT_FIELDS = {"title": 255, "description": 10000}


def validate_call(*, call: Call | None, data: dict) -> dict:
    """Check a call's answers; return them cleaned. Raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    for name, limit in CALL_TEXT_FIELDS.items():
        value = cleaned.get(name)
        if isinstance(value, str):
            cleaned[name] = value = value.strip()
            if len(value) > limit:
                errors[name] = [_too_long(value, limit)]
    if call is None and not cleaned.get("title"):
        errors["title"] = [_("Give the call a title.")]
    if "title" in cleaned and call is not None and not cleaned["title"]:
        errors["title"] = [_("Give the call a title.")]
    if "instrument" in cleaned and cleaned["instrument"] not in Instrument.values:
        errors["instrument"] = [_("Choose grant, performance contract or commissioning.")]
    if call is None and not cleaned.get("instrument"):
        errors["instrument"] = [_("Choose grant, performance contract or commissioning.")]
    if "costing_method" in cleaned:
        from portal.reference import CostingMethod

        if cleaned["costing_method"] not in CostingMethod.values:
            errors["costing_method"] = [_("Choose a costing method.")]
    elif call is None:
        errors["costing_method"] = [_("Choose a costing method.")]
    if "budget_ceiling" in cleaned or call is None:
        try:
            cleaned["budget_ceiling"] = money(cleaned.get("budget_ceiling"), field="budget_ceiling")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    opens = cleaned.get("opens_at", call.opens_at if call else None)
    closes = cleaned.get("closes_at", call.closes_at if call else None)
    for name, value in (("opens_at", opens), ("closes_at", closes)):
        if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
            errors[name] = [_("Give the date and time.")]
    if "opens_at" not in errors and "closes_at" not in errors and opens >= closes:
        errors["closes_at"] = [_("The call must close after it opens.")]
    if "criteria_weights" in cleaned:
        try:
            cleaned["criteria_weights"] = clean_weights(cleaned["criteria_weights"])
        except ValidationError as exc:
            errors["criteria_weights"] = exc.messages
    if "required_documents" in cleaned:
        docs = [str(d).strip() for d in cleaned["required_documents"] or [] if str(d).strip()]
        docs = list(dict.fromkeys(docs))
        if len(docs) > MAX_REQUIRED_DOCUMENTS:
            errors["required_documents"] = [
                _("List at most %(n)s documents.") % {"n": MAX_REQUIRED_DOCUMENTS}
            ]
        elif any(len(d) > 255 for d in docs):
            errors["required_documents"] = [_("Keep each document's name within 255 characters.")]
        cleaned["required_documents"] = docs
    for name, model in (
        ("eligible_provinces", Province),
        ("eligible_activity_fields", ActivityField),
    ):
        if name in cleaned:
            try:
                cleaned[name] = known_codes(model, cleaned[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_weights(weights) -> dict[str, int]:
    """Five whole numbers from 0 to 100, one per criterion, that sum to 100."""
    if not isinstance(weights, dict):
        raise ValidationError(_("Give a weight for each of the five criteria."))
    unknown = sorted(set(map(str, weights)) - set(CRITERIA))
    if unknown:
        raise ValidationError(
            _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown[:10])}
        )
    cleaned = {}
    for c in CRITERIA:
        value = weights.get(c)
        if isinstance(value, bool) or value is None:
            raise ValidationError(_("Give a weight for each of the five criteria."))
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Each weight is a whole number from 0 to 100.")) from exc
        if str(number) != str(value).strip() and number != value:
            raise ValidationError(_("Each weight is a whole number from 0 to 100."))
        if not 0 <= number <= 100:
            raise ValidationError(_("Each weight is a whole number from 0 to 100."))
        cleaned[c] = number
    total = sum(cleaned.values())
    if total != 100:
        raise ValidationError(
            _("The weights must add up to 100 (now %(total)s).") % {"total": total}
        )
    return cleaned


def _apply_call(call: Call, cleaned: dict) -> list[str]:
    changed = []
    for name in [
        "instrument",
        "title",
        "description",
        "budget_ceiling",
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


def call_create(*, user, mission, data: dict) -> Call:
    """An officer drafts a call for one of the agency's missions. Eligibility defaults to
    the mission's provinces and activity field."""
    require(permissions.can_create_call(user, mission))
    cleaned = validate_call(call=None, data=data)
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


def call_update(*, call: Call, user, data: dict) -> Call:
    """Change a draft call. A published call's terms are fixed: every CSO answers the same."""
    require(permissions.can_manage_call(user, call))
    cleaned = validate_call(call=call, data=data)
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
        permission=permissions.can_manage_call,
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


def _system(actor, obj):
    return True, ""


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


def _close_if_due(call_id: int, now) -> Call:
    """Lock the call; if it is open past its closing time, close it (audited, no actor)."""
    call = Call.objects.select_for_update().get(pk=call_id)
    if call.status == CS.OPEN and now >= call.closes_at:

        def apply(obj):
            obj.closed_at = obj.closes_at
            return ["closed_at"]

        call = run_transition(
            instance=call,
            target=CS.CLOSED,
            actor=None,
            action="close",
            permission=_system,
            reason=_("The closing time passed."),
            apply=apply,
        )
    return call


def call_cancel(*, call: Call, user, reason: str) -> Call:
    """Cancel a call; proposals still waiting for a decision are told it will not go ahead."""
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
        from assessments.models import Review

        scored = set(
            Review.objects.filter(
                proposal__call=locked, evaluator__username__in=removed
            ).values_list("evaluator__username", flat=True)
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


# ---------------------------------------------------------------------------------------
# Proposals


def eligibility_problems(call: Call, cso: CSO) -> list[str]:
    """Why ``cso`` may not answer ``call``; empty when it may."""
    problems = []
    if cso.status != CSO.Status.APPROVED:
        problems.append(
            _(
                "The organisation is “%(status)s”; only an approved organisation can send "
                "a proposal."
            )
            % {"status": cso.get_status_display()}
        )
    provinces = {p.code for p in call.eligible_provinces.all()}
    if provinces and not provinces & {p.code for p in cso.service_provinces.all()}:
        problems.append(
            _("The organisation does not serve any of the provinces this call is open to.")
        )
    fields = {f.code for f in call.eligible_activity_fields.all()}
    if fields and not fields & {f.code for f in cso.activity_fields.all()}:
        problems.append(
            _("The organisation does not work in any of the fields this call asks for.")
        )
    return problems


def proposal_create(*, user, call: Call, title: str = "") -> Proposal:
    """A member of an approved CSO starts a proposal for an open call; the draft is kept."""
    require(permissions.can_start_proposal(user, call))
    now = timezone.now()
    if call.status != CS.OPEN or now >= call.closes_at:
        raise InvalidTransition(_("This call is not taking proposals."))
    problems = eligibility_problems(call, user.cso)
    if problems:
        raise PermissionDenied(" ".join(problems))
    title = (title or "").strip() or call.title
    if len(title) > 255:
        raise ValidationError({"title": [_too_long(title, 255)]})
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                call=call, cso=user.cso, title=title, created_by=user
            )
            audit_record(obj=proposal, actor=user, action="create", to_status=proposal.status)
    except IntegrityError as exc:
        raise Conflict(_("Your organisation already has a proposal for this call.")) from exc
    return proposal


PROPOSAL_TEXT_FIELDS = {
    "title": 255,
    "summary": 5000,
    "outcomes": 5000,
    "project_document": 50000,
}


def _clean_targets(targets) -> list[dict]:
    if not isinstance(targets, list):
        raise ValidationError(_("Give the targets as a list."))
    if len(targets) > MAX_TARGETS:
        raise ValidationError(_("List at most %(n)s targets.") % {"n": MAX_TARGETS})
    cleaned = []
    for row in targets:
        if not isinstance(row, dict):
            raise ValidationError(_("Give each target an indicator and a target value."))
        indicator = str(row.get("indicator") or "").strip()
        target = str(row.get("target") or "").strip()
        if not indicator and not target:
            continue
        if not indicator or not target:
            raise ValidationError(_("Give each target an indicator and a target value."))
        if len(indicator) > 255 or len(target) > 255:
            raise ValidationError(_("Keep each indicator and target within 255 characters."))
        cleaned.append({"indicator": indicator, "target": target})
    return cleaned


def clean_budget_lines(call: Call, lines) -> list[BudgetLine]:
    """Budget lines priced by the call's costing method; each amount = unit cost × quantity,
    rounded half-up to the satang once."""
    if not isinstance(lines, list):
        raise ValidationError({"budget_lines": [_("Give the budget as a list of lines.")]})
    if len(lines) > MAX_BUDGET_LINES:
        raise ValidationError(
            {"budget_lines": [_("List at most %(n)s budget lines.") % {"n": MAX_BUDGET_LINES}]}
        )
    result = []
    for i, row in enumerate(lines, start=1):
        if not isinstance(row, dict):
            raise ValidationError(
                {"budget_lines": [_("Line %(n)s is not a budget line.") % {"n": i}]}
            )
        description = str(row.get("description") or "").strip()
        method = row.get("costing_method") or call.costing_method
        problems = []
        if not description:
            problems.append(_("say what it is for"))
        elif len(description) > 255:
            problems.append(_("keep the item within 255 characters"))
        if method != call.costing_method:
            problems.append(
                _("use the call's costing method (%(method)s)")
                % {"method": call.get_costing_method_display()}
            )
        try:
            unit_cost = money(row.get("unit_cost"), field="unit_cost", allow_zero=True)
        except ValidationError:
            unit_cost = None
            problems.append(_("give the unit cost in baht"))
        try:
            quantity = Decimal(str(row.get("quantity")).strip())
            if not quantity.is_finite() or quantity <= 0 or quantity > Decimal("9999999999"):
                raise InvalidOperation
            if quantity != quantity.quantize(CENT):
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            quantity = None
            problems.append(_("give a quantity above zero, to at most 2 decimal places"))
        if problems:
            raise ValidationError(
                {
                    "budget_lines": [
                        _("Line %(n)s: %(problems)s.") % {"n": i, "problems": "; ".join(problems)}
                    ]
                }
            )
        amount = (unit_cost * quantity).quantize(CENT, rounding=ROUND_HALF_UP)
        if amount > MAX_AMOUNT:
            raise ValidationError(
                {"budget_lines": [_("Line %(n)s: the amount is too large.") % {"n": i}]}
            )
        result.append(
            BudgetLine(
                position=i,
                description=description,
                costing_method=method,
                unit_cost=unit_cost,
                quantity=quantity.quantize(CENT),
                amount=amount,
            )
        )
    return result


def _ceiling_error(call: Call, total: Decimal):
    return ValidationError(
        {
            "budget_lines": [
                _(
                    "The lines add up to %(total)s baht, more than the call's ceiling of "
                    "%(ceiling)s baht."
                )
                % {"total": f"{total:,.2f}", "ceiling": f"{call.budget_ceiling:,.2f}"}
            ]
        }
    )


def validate_proposal(*, proposal: Proposal, data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    for name, limit in PROPOSAL_TEXT_FIELDS.items():
        value = cleaned.get(name)
        if isinstance(value, str):
            cleaned[name] = value = value.strip()
            if len(value) > limit:
                errors[name] = [_too_long(value, limit)]
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = [_("Give the project a title.")]
    if "targets" in cleaned:
        try:
            cleaned["targets"] = _clean_targets(cleaned["targets"])
        except ValidationError as exc:
            errors["targets"] = exc.messages
    if "budget_lines" in cleaned:
        try:
            lines = clean_budget_lines(proposal.call, cleaned["budget_lines"])
            total = sum((line.amount for line in lines), Decimal("0.00"))
            if total > proposal.call.budget_ceiling:
                raise _ceiling_error(proposal.call, total)
            if total > MAX_AMOUNT:
                raise ValidationError({"budget_lines": [_("The amount is too large.")]})
            cleaned["budget_lines"] = lines
        except ValidationError as exc:
            errors.update(exc.message_dict)
    start = cleaned.get("start_date", proposal.start_date)
    end = cleaned.get("end_date", proposal.end_date)
    for name, value in (("start_date", start), ("end_date", end)):
        if value is not None and not isinstance(value, datetime.date):
            errors[name] = [_("Give a date.")]
    if "start_date" not in errors and "end_date" not in errors and start and end:
        if end < start:
            errors["end_date"] = [_("The project must end on or after the day it starts.")]
        elif (end - start).days > 3660:
            errors["end_date"] = [_("A project runs at most 10 years.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _require_member_draft(user, proposal: Proposal) -> None:
    require(permissions.can_edit_proposal(user, proposal))
    if not proposal.is_editable:
        raise InvalidTransition(
            _("A proposal that has been submitted can no longer be changed (it is “%(status)s”).")
            % {"status": proposal.get_status_display()}
        )


def proposal_update(*, proposal: Proposal, user, data: dict) -> Proposal:
    """Save answers to any part of a draft; the requested amount is the sum of the lines."""
    require(permissions.can_edit_proposal(user, proposal))
    cleaned = validate_proposal(proposal=proposal, data=data)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        _require_member_draft(user, locked)
        fields = []
        for name in [*PROPOSAL_TEXT_FIELDS, "targets", "start_date", "end_date"]:
            if name in cleaned:
                setattr(locked, name, cleaned[name])
                fields.append(name)
        if "budget_lines" in cleaned:
            locked.budget_lines.all().delete()
            for line in cleaned["budget_lines"]:
                line.proposal = locked
            BudgetLine.objects.bulk_create(cleaned["budget_lines"])
            locked.requested_amount = sum(
                (line.amount for line in cleaned["budget_lines"]), Decimal("0.00")
            )
            fields.append("requested_amount")
        locked.save(update_fields=[*fields, "updated_at"])
    return locked


def proposal_document_add(*, proposal: Proposal, user, title: str, upload) -> Document:
    """Attach a document; its type is checked by content, its size capped."""
    require(permissions.can_edit_proposal(user, proposal))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Say which document this is.")]})
    if len(title) > 255:
        raise ValidationError({"title": [_too_long(title, 255)]})
    stored = stored_upload(upload)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _require_member_draft(user, locked)
        return Document.objects.create(proposal=locked, title=title, uploaded_by=user, **stored)


def proposal_document_delete(*, document: Document, user) -> None:
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=document.proposal_id)
        _require_member_draft(user, locked)
        document.file.delete(save=False)
        document.delete()


def part_states(proposal: Proposal) -> dict[str, str]:
    """Each part of the proposal: ``not_started``, ``in_progress`` or ``completed``."""
    p = proposal
    lines = list(p.budget_lines.all())
    total = sum((line.amount for line in lines), Decimal("0.00"))
    required = set(p.call.required_documents or [])
    attached = {d.title for d in p.documents.all()}

    def state(done: bool, started: bool) -> str:
        return "completed" if done else ("in_progress" if started else "not_started")

    summary = [p.summary, p.outcomes]
    return {
        "summary": state(all(summary) and bool(p.title), any(summary)),
        "targets": state(bool(p.targets), False),
        "budget": state(bool(lines) and 0 < total <= p.call.budget_ceiling, bool(lines)),
        "dates": state(bool(p.start_date and p.end_date), bool(p.start_date or p.end_date)),
        "document": state(bool(p.project_document.strip()), False),
        "attachments": state(required <= attached, bool(attached)),
    }


def missing_parts(proposal: Proposal) -> list[str]:
    return [part for part, s in part_states(proposal).items() if s != "completed"]


PART_LABELS = {  # lazy: read in the language of each request, not of the import
    "summary": gettext_lazy("summary and outcomes"),
    "targets": gettext_lazy("targets and indicators"),
    "budget": gettext_lazy("budget"),
    "dates": gettext_lazy("dates"),
    "document": gettext_lazy("project document"),
    "attachments": gettext_lazy("attachments"),
}


def proposal_submit(*, proposal: Proposal, user) -> Proposal:
    """Send the proposal to the agency. Only an approved, eligible CSO, only while the call
    takes proposals (judged against ``closes_at``, whatever the call's stored status), with
    every part complete and the amount within the ceiling. Then it is frozen."""
    now = timezone.now()

    def apply(obj):
        call = Call.objects.get(pk=obj.call_id)
        if not call.is_accepting(now):
            if call.status == CS.OPEN and now < call.opens_at:
                raise InvalidTransition(_("This call opens for proposals later."))
            raise InvalidTransition(
                _("This call closed for proposals at %(time)s; it no longer accepts them.")
                % {"time": timezone.localtime(call.closes_at).strftime("%H:%M")}
                if call.status in {CS.OPEN, CS.CLOSED}
                else _("This call is not taking proposals.")
            )
        cso = CSO.objects.select_for_update().get(pk=obj.cso_id)
        problems = eligibility_problems(call, cso)
        if problems:
            raise PermissionDenied(" ".join(problems))
        obj.call = call
        missing = missing_parts(obj)
        if missing:
            raise ValidationError(
                _("Complete these parts first: %(parts)s.")
                % {"parts": ", ".join(str(PART_LABELS[m]) for m in missing)}
            )
        total = sum((line.amount for line in obj.budget_lines.all()), Decimal("0.00"))
        if total != obj.requested_amount:  # the lines are the truth
            obj.requested_amount = total
        if total > call.budget_ceiling:
            raise _ceiling_error(call, total)
        obj.submitted_at = now
        if not obj.reference:
            obj.reference = f"P{timezone.localtime(now).year + 543}-{obj.pk:06d}"
        return ["submitted_at", "reference", "requested_amount"]

    with transaction.atomic():
        proposal = run_transition(
            instance=proposal,
            target=PS.SUBMITTED,
            actor=user,
            action="submit",
            permission=permissions.can_edit_proposal,
            apply=apply,
            data={"requested_amount": str(proposal.requested_amount)},
        )
        _email_members(proposal, "proposal_received")
    return proposal


def proposal_withdraw(*, proposal: Proposal, user, reason: str = "") -> Proposal:
    """The CSO withdraws its proposal at any time before the agency decides."""
    return run_transition(
        instance=proposal,
        target=PS.WITHDRAWN,
        actor=user,
        action="withdraw",
        permission=permissions.can_edit_proposal,
        reason=reason,
    )


def _lock_closed_call(proposal: Proposal, now) -> Call:
    """Decisions wait until the call has closed, so no one is judged while others may still
    apply. Closes an open call whose time has passed."""
    call = _close_if_due(proposal.call_id, now)
    if call.status not in {CS.CLOSED, CS.AWARDED}:
        raise InvalidTransition(
            _("The agency decides once the call has closed (it is “%(status)s”).")
            % {"status": call.get_status_display()}
        )
    return call


def _maybe_award(call: Call, actor) -> None:
    """The call is awarded once every proposal sent has an outcome and one was selected."""
    call.refresh_from_db(fields=["status"])
    if call.status != CS.CLOSED:
        return
    outcomes = set(
        call.proposals.exclude(status__in=[PS.DRAFT, PS.WITHDRAWN]).values_list("status", flat=True)
    )
    if PS.SELECTED in outcomes and not outcomes & Proposal.IN_REVIEW:
        run_transition(
            instance=call,
            target=CS.AWARDED,
            actor=actor,
            action="award",
            permission=_system,
            reason=_("Every proposal has an outcome."),
        )


def _decide(proposal, user, target, action, reason, *, permission, sources=None, apply=None):
    return run_transition(
        instance=proposal,
        target=target,
        actor=user,
        action=action,
        permission=permission,
        reason=reason,
        sources=sources,
        apply=apply,
    )


def proposal_shortlist(*, proposal: Proposal, officer) -> Proposal:
    """Performance contracts: the officer shortlists proposals to hear their vision."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    with transaction.atomic():
        call = _lock_closed_call(proposal, now)
        if not call.has_presentations:
            raise InvalidTransition(
                _("Only performance contracts shortlist proposals for a presentation.")
            )
        return _decide(
            proposal,
            officer,
            PS.SHORTLISTED,
            "shortlist",
            "",
            permission=permissions.can_decide_proposal,
        )


def proposal_schedule_presentation(*, proposal: Proposal, officer, at, location: str) -> Proposal:
    """Set (or move) the shortlisted CSO's vision presentation: a time and a place or link."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    errors = {}
    location = (location or "").strip()
    if not isinstance(at, datetime.datetime) or timezone.is_naive(at):
        errors["at"] = [_("Give the date and time.")]
    elif at <= now:
        errors["at"] = [_("Choose a time in the future.")]
    if not location:
        errors["location"] = [_("Give the place or the online meeting link.")]
    elif len(location) > 500:
        errors["location"] = [_too_long(location, 500)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        require(permissions.can_decide_proposal(officer, locked))
        if locked.status != PS.SHORTLISTED:
            raise InvalidTransition(
                _("Only a shortlisted proposal gets a presentation (it is “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        previous = locked.presentation_at
        locked.presentation_at = at
        locked.presentation_location = location
        locked.save(update_fields=["presentation_at", "presentation_location", "updated_at"])
        audit_record(
            obj=locked,
            actor=officer,
            action="schedule_presentation",
            from_status=locked.status,
            to_status=locked.status,
            data={
                "at": at.isoformat(),
                "location": location,
                "previous": previous.isoformat() if previous else None,
            },
        )
        _email_members(locked, "presentation_scheduled")
    return locked


def proposal_mark_presented(*, proposal: Proposal, officer) -> Proposal:
    now = timezone.now()

    def apply(obj):
        if obj.presentation_at is None:
            raise InvalidTransition(_("Schedule the presentation first."))
        obj.presented_at = now
        return ["presented_at"]

    return _decide(
        proposal,
        officer,
        PS.PRESENTED,
        "mark_presented",
        "",
        permission=permissions.can_decide_proposal,
        apply=apply,
    )


def proposal_select(*, proposal: Proposal, officer, reason: str = "") -> Proposal:
    """Select a proposal. Performance contracts select only a CSO that has presented."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    with transaction.atomic():
        call = _lock_closed_call(proposal, now)
        sources = {PS.PRESENTED} if call.has_presentations else {PS.SUBMITTED}
        locked_status = Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True)
        if call.has_presentations and locked_status.first() in {PS.SUBMITTED, PS.SHORTLISTED}:
            raise InvalidTransition(
                _("For a performance contract, only a CSO that has presented can be selected.")
            )

        def apply(obj):
            obj.decided_at = now
            obj.decision_reason = (reason or "").strip()
            return ["decided_at", "decision_reason"]

        proposal = _decide(
            proposal,
            officer,
            PS.SELECTED,
            "select",
            reason,
            permission=permissions.can_decide_proposal,
            sources=sources,
            apply=apply,
        )
        _maybe_award(call, officer)
        _email_members(proposal, "proposal_decided")
    return proposal


def proposal_reject(*, proposal: Proposal, officer, reason: str) -> Proposal:
    """Not selected, with the reason the CSO will read."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    reason = reason_required(reason)
    with transaction.atomic():
        call = _lock_closed_call(proposal, now)

        def apply(obj):
            obj.decided_at = now
            obj.decision_reason = reason
            return ["decided_at", "decision_reason"]

        proposal = _decide(
            proposal,
            officer,
            PS.NOT_SELECTED,
            "reject",
            reason,
            permission=permissions.can_decide_proposal,
            sources=Proposal.IN_REVIEW,
            apply=apply,
        )
        _maybe_award(call, officer)
        _email_members(proposal, "proposal_decided")
    return proposal


def _email_members(proposal: Proposal, kind: str) -> None:
    """Notify the CSO's members (in-app and email) inside the change's transaction:
    ``proposal_received``, ``presentation_scheduled`` (again for each new time) or
    ``proposal_decided``."""
    from contracts.notices import members
    from portal.notices import notify, url_for

    call = proposal.call
    notify(
        kind,
        members(proposal.cso_id),
        proposal,
        extra=proposal.presentation_at.isoformat() if kind == "presentation_scheduled" else "",
        context={
            "title": proposal.title,
            "call": call.title,
            "reference": proposal.reference,
            "amount": f"{proposal.requested_amount:,.2f}",
            "when": proposal.presentation_at
            if kind == "presentation_scheduled"
            else proposal.submitted_at,
            "where": proposal.presentation_location,
            "status": Proposal.Status(proposal.status).label,
            "reason": proposal.decision_reason,
        },
        url=url_for("proposal-detail", proposal.pk),
    )
