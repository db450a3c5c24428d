"""Evaluations of agreements: the officer plans who evaluates (and adds periodic ones), the
evaluator records the result. Each on the locked row, audited."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.evaluations.models import Evaluation
from assessments.evaluations.permissions import can_submit_evaluation
from contracts.agreements.permissions import can_manage_agreement
from contracts.agreements.rules import evaluation_latest_due
from portal.audit import audit_record
from portal.dates import format_be
from portal.roles import Role, has_role
from portal.workflow import InvalidTransition, run_transition

COMMITTEE_TYPES = {"agency", "cso", "professional", "other"}


def _clean_committee(committee) -> list[dict]:
    if not isinstance(committee, list):
        raise ValidationError({"committee": [_("Give the committee as a list of members.")]})
    rows = []
    for row in committee:
        if not isinstance(row, dict):
            raise ValidationError({"committee": [_("Give each member's name and side.")]})
        name = str(row.get("name") or "").strip()
        side = row.get("type")
        organisation = str(row.get("organisation") or "").strip()
        if not name and not organisation:
            continue
        if not name or side not in COMMITTEE_TYPES or len(name) > 255 or len(organisation) > 255:
            raise ValidationError(
                {
                    "committee": [
                        _(
                            "Give each member's name and whether they represent the agency, "
                            "the CSO, a professional body or others."
                        )
                    ]
                }
            )
        rows.append({"name": name, "organisation": organisation, "type": side})
    return rows


def _lock_agreement(agreement):
    return type(agreement).objects.select_for_update().get(pk=agreement.pk)


def _due_by_end_problems(agreement, kind, due_on) -> list[str]:
    """Nothing is scheduled after the agreement's end: an evaluation falls due by the end
    (the post-completion one within 3 months after it)."""
    latest = evaluation_latest_due(kind, agreement.end_date)
    if due_on > latest:
        return [
            _("The agreement ends on %(end)s; this evaluation must fall due by %(date)s.")
            % {"end": format_be(agreement.end_date), "date": format_be(latest)}
        ]
    return []


def evaluation_plan(
    *, evaluation, officer, mode=None, evaluators=None, committee=None, due_on=None
):
    """The officer sets who evaluates: internal or external, the evaluator accounts (an
    outside body such as a university gets evaluator accounts) and the committee."""

    allowed, why = can_manage_agreement(officer, evaluation.agreement)
    if not allowed:
        raise PermissionDenied(why)
    errors, users = {}, None
    if mode is not None and mode not in Evaluation.Mode.values:
        errors["mode"] = [_("Choose internal or external.")]
    if committee is not None:
        try:
            committee = _clean_committee(committee)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if evaluators is not None:
        names = [str(n).strip() for n in evaluators if str(n).strip()]
        users = list(get_user_model().objects.filter(username__in=names, is_active=True))
        found = {u.username for u in users if has_role(u, Role.EVALUATOR)}
        missing = [n for n in names if n not in found]
        if missing:
            errors["evaluators"] = [
                _("These accounts do not hold the evaluator role: %(names)s.")
                % {"names": ", ".join(missing[:10])}
            ]
    if due_on is not None and not hasattr(due_on, "isoformat"):
        errors["due_on"] = [_("Give a date.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The agreement first, then the evaluation: its end date cannot move meanwhile.
        agreement = _lock_agreement(evaluation.agreement)
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        locked.agreement = agreement
        if locked.status == Evaluation.Status.CANCELLED:
            raise InvalidTransition(_("A cancelled evaluation cannot be changed."))
        if locked.status != Evaluation.Status.SCHEDULED:
            raise InvalidTransition(_("A recorded evaluation cannot be changed."))
        if due_on is not None and locked.kind == Evaluation.Kind.PERIODIC:
            problems = _due_by_end_problems(locked.agreement, locked.kind, due_on)
            if problems:
                raise ValidationError({"due_on": problems})
        before = _plan_of(locked)
        fields = []
        if mode is not None:
            locked.mode = mode
            fields.append("mode")
        if committee is not None:
            locked.committee = committee
            fields.append("committee")
        if due_on is not None and locked.kind == Evaluation.Kind.PERIODIC:
            locked.due_on = due_on
            fields.append("due_on")
        if fields:
            locked.save(update_fields=fields)
        if users is not None:
            locked.evaluators.set(users)
        after = _plan_of(locked)
        changed = {key: {"from": before[key], "to": after[key]} for key in before}
        changed = {key: value for key, value in changed.items() if value["from"] != value["to"]}
        if changed:
            audit_record(obj=locked, actor=officer, action="plan_evaluation", data=changed)
    return locked


def _plan_of(evaluation) -> dict:
    """What planning may change, as the audit row records it (before and after)."""
    return {
        "mode": evaluation.mode,
        "committee": list(evaluation.committee or []),
        "due_on": evaluation.due_on.isoformat() if evaluation.due_on else None,
        "evaluators": sorted(evaluation.evaluators.values_list("username", flat=True)),
    }


def evaluation_add(*, agreement, officer, due_on, mode="internal"):
    """Another periodic evaluation (commissioning is monitored and evaluated periodically)."""

    allowed, why = can_manage_agreement(officer, agreement)
    if not allowed:
        raise PermissionDenied(why)
    if not hasattr(due_on, "isoformat"):
        raise ValidationError({"due_on": [_("Give a date.")]})
    if mode not in Evaluation.Mode.values:
        raise ValidationError({"mode": [_("Choose internal or external.")]})
    with transaction.atomic():
        locked = _lock_agreement(agreement)  # its end date cannot move meanwhile
        if locked.status not in {"offered", "active", "completed"}:
            raise InvalidTransition(_("Evaluations are planned while the agreement runs."))
        problems = _due_by_end_problems(locked, Evaluation.Kind.PERIODIC, due_on)
        if problems:
            raise ValidationError({"due_on": problems})
        evaluation = Evaluation.objects.create(
            agreement=locked, kind=Evaluation.Kind.PERIODIC, mode=mode, due_on=due_on
        )
        audit_record(
            obj=evaluation,
            actor=officer,
            action="create",
            data={"kind": evaluation.kind, "mode": mode, "due_on": due_on.isoformat()},
        )
        return evaluation


def evaluation_submit(*, evaluation, user, score, findings: str, users_views: str = ""):
    """Record an evaluation's result: a score from 0 to 100 and findings the CSO can read."""

    allowed, why = can_submit_evaluation(user, evaluation)
    if not allowed:
        raise PermissionDenied(why)
    errors = {}
    try:
        value = Decimal(str(score))
        if (
            not value.is_finite()
            or not 0 <= value <= 100
            or value != value.quantize(Decimal("0.01"))
        ):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["score"] = [_("Give a score from 0 to 100.")]
        value = None
    findings = str(findings or "").strip()
    if not findings:
        errors["findings"] = [_("Write the findings; the organisation will read them.")]
    elif len(findings) > 20000:
        errors["findings"] = [_("Keep the findings within 20,000 characters.")]
    users_views = str(users_views or "").strip()
    if len(users_views) > 20000:
        errors["users_views"] = [_("Keep this within 20,000 characters.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()

    def apply(obj):
        status = obj.agreement.status
        if status not in {"active", "completed", "settled"}:
            raise InvalidTransition(_("An evaluation is recorded once the agreement is signed."))
        obj.score, obj.findings, obj.users_views = value, findings, users_views
        obj.submitted_by, obj.submitted_at = user, now
        return ["score", "findings", "users_views", "submitted_by", "submitted_at"]

    return run_transition(
        instance=evaluation,
        target=Evaluation.Status.SUBMITTED,
        actor=user,
        action="evaluate",
        permission=can_submit_evaluation,
        apply=apply,
        data={"score": str(value)},
    )
