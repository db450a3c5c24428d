"""Scoring proposals: an assigned evaluator, with no conflict of interest, scores each of
the five criteria 0–5 with a comment, saves a draft and submits once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Review
from assessments.scoring import MAX_SCORE
from contracts import permissions as call_permissions
from contracts.models import CRITERIA, Proposal
from portal.audit import audit_record
from portal.roles import Role, has_role
from portal.workflow import Conflict, InvalidTransition

RS = Review.Status


def conflict_of_interest(user, cso) -> str:
    """Why ``user`` may not review ``cso``'s proposal: a member of the CSO, or of a CSO in
    its declared networks (either side declared it). Empty when there is no conflict."""
    if not user.cso_id:
        return ""
    if user.cso_id == cso.pk:
        return _("You are a member of this organisation, so you may not review its proposal.")
    networks = {c.pk for c in cso.network_csos.all()} | {c.pk for c in cso.networked_by.all()}
    if user.cso_id in networks:
        return _(
            "Your organisation is in this organisation's declared network, so you may not "
            "review its proposal."
        )
    return ""


def can_review(user, proposal):
    if not has_role(user, Role.EVALUATOR):
        return False, _("Only an evaluator can score proposals.")
    if not call_permissions.is_assigned_evaluator(user, proposal.call):
        return False, _("You are not on this call's evaluation panel.")
    conflict = conflict_of_interest(user, proposal.cso)
    if conflict:
        return False, conflict
    return True, ""


def _clean_scores(scores, *, complete: bool) -> dict:
    if not isinstance(scores, dict):
        raise ValidationError({"scores": [_("Give a score for each criterion.")]})
    unknown = sorted(set(map(str, scores)) - set(CRITERIA))
    if unknown:
        raise ValidationError(
            {"scores": [_("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown[:10])}]}
        )
    cleaned, errors = {}, {}
    for c in CRITERIA:
        value = scores.get(c)
        if value is None or value == "":
            if complete:
                errors[c] = [_("Give a score from 0 to 5.")]
            cleaned[c] = None
            continue
        if isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
        ):
            errors[c] = [_("Give a score from 0 to 5.")]
            continue
        number = int(value)
        if not 0 <= number <= MAX_SCORE:
            errors[c] = [_("Give a score from 0 to 5.")]
            continue
        cleaned[c] = number
    if errors:
        raise ValidationError({f"scores.{c}": m for c, m in errors.items()})
    return cleaned


def _clean_comments(comments, comment) -> tuple[dict, str]:
    if comments is None:
        comments = {}
    if not isinstance(comments, dict) or set(map(str, comments)) - set(CRITERIA):
        raise ValidationError({"comments": [_("Give comments by criterion.")]})
    cleaned = {}
    for c in CRITERIA:
        text = str(comments.get(c) or "").strip()
        if len(text) > 2000:
            raise ValidationError(
                {f"comments.{c}": [_("Keep each comment within 2,000 characters.")]}
            )
        if text:
            cleaned[c] = text
    comment = str(comment or "").strip()
    if len(comment) > 5000:
        raise ValidationError({"comment": [_("Keep the comment within 5,000 characters.")]})
    return cleaned, comment


def review_save(
    *,
    proposal: Proposal,
    evaluator,
    scores: dict,
    comments: dict | None = None,
    comment: str = "",
    no_conflict_of_interest: bool = False,
    submit: bool = False,
) -> Review:
    """Save the evaluator's scores as a draft, or submit them (every criterion scored).
    One review per evaluator and proposal; a submitted review is final."""
    allowed, why = can_review(evaluator, proposal)
    if not allowed:
        raise PermissionDenied(why)
    if no_conflict_of_interest is not True:
        raise ValidationError(
            {
                "no_conflict_of_interest": [
                    _("Declare that you have no conflict of interest before you score.")
                ]
            }
        )
    cleaned = _clean_scores(scores, complete=submit)
    cleaned_comments, comment = _clean_comments(comments, comment)
    now = timezone.now()
    try:
        with transaction.atomic():
            # The proposal's row is the lock: a decision and a review never interleave, and
            # one evaluator's two requests at once leave one review.
            locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
            if locked.status not in Proposal.IN_REVIEW:
                raise InvalidTransition(
                    _("Only a proposal waiting for a decision can be scored (it is “%(s)s”).")
                    % {"s": locked.get_status_display()}
                )
            review = Review.objects.filter(proposal=locked, evaluator=evaluator).first()
            if review is not None and review.status != RS.DRAFT:
                raise Conflict(_("You have already submitted your review of this proposal."))
            if review is None:
                review = Review(proposal=locked, evaluator=evaluator)
            review.no_conflict_of_interest = True
            for c in CRITERIA:
                setattr(review, f"score_{c}", cleaned[c])
            review.comments = cleaned_comments
            review.comment = comment
            if submit:
                review.status = RS.SUBMITTED
                review.submitted_at = now
            review.save()
            if submit:
                audit_record(
                    obj=review,
                    actor=evaluator,
                    action="submit",
                    from_status=RS.DRAFT,
                    to_status=RS.SUBMITTED,
                    data={"scores": cleaned},
                )
    except IntegrityError as exc:  # the unique constraint, if two first saves raced
        raise Conflict(_("Your review was saved by another request; reload the page.")) from exc
    return review


def review_recuse(*, proposal: Proposal, evaluator, reason: str) -> Review:
    """An evaluator who sees a conflict the registry does not know declares it and steps
    aside; the ranking stops waiting for their scores."""
    if not has_role(evaluator, Role.EVALUATOR) or not call_permissions.is_assigned_evaluator(
        evaluator, proposal.call
    ):
        raise PermissionDenied(_("You are not on this call's evaluation panel."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say briefly what the conflict is.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Keep the reason within 2,000 characters.")]})
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        review = Review.objects.filter(proposal=proposal, evaluator=evaluator).first()
        if review is not None and review.status != RS.DRAFT:
            raise Conflict(_("You have already submitted your review of this proposal."))
        source = review.status if review else ""
        if review is None:
            review = Review(proposal=proposal, evaluator=evaluator)
        for c in CRITERIA:
            setattr(review, f"score_{c}", None)
        review.status = RS.RECUSED
        review.comment = reason
        review.save()
        audit_record(
            obj=review,
            actor=evaluator,
            action="recuse",
            from_status=source,
            to_status=RS.RECUSED,
            reason=reason,
        )
    return review


# --- evaluations of agreements -----------------------------------------------------------

COMMITTEE_TYPES = {"agency", "cso", "professional", "other"}


def can_submit_evaluation(user, evaluation):
    """An evaluator named on the evaluation; for an internal one, also the agency's officers."""
    from contracts.permissions import is_agreement_officer

    agreement = evaluation.agreement
    if has_role(user, Role.EVALUATOR) and evaluation.evaluators.filter(pk=user.pk).exists():
        return True, ""
    if evaluation.mode == evaluation.Mode.INTERNAL and is_agreement_officer(user, agreement):
        return True, ""
    return False, _("Only the evaluators named on this evaluation can record its result.")


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


def evaluation_plan(
    *, evaluation, officer, mode=None, evaluators=None, committee=None, due_on=None
):
    """The officer sets who evaluates: internal or external, the evaluator accounts (an
    outside body such as a university gets evaluator accounts) and the committee."""
    from django.contrib.auth import get_user_model

    from assessments.models import Evaluation
    from contracts.permissions import can_manage_agreement

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
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status != Evaluation.Status.SCHEDULED:
            raise InvalidTransition(_("A recorded evaluation cannot be changed."))
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
    return locked


def evaluation_add(*, agreement, officer, due_on, mode="internal"):
    """Another periodic evaluation (commissioning is monitored and evaluated periodically)."""
    from assessments.models import Evaluation
    from contracts.permissions import can_manage_agreement

    allowed, why = can_manage_agreement(officer, agreement)
    if not allowed:
        raise PermissionDenied(why)
    if not hasattr(due_on, "isoformat"):
        raise ValidationError({"due_on": [_("Give a date.")]})
    if mode not in Evaluation.Mode.values:
        raise ValidationError({"mode": [_("Choose internal or external.")]})
    if agreement.status not in {"offered", "active", "completed"}:
        raise InvalidTransition(_("Evaluations are planned while the agreement runs."))
    return Evaluation.objects.create(
        agreement=agreement, kind=Evaluation.Kind.PERIODIC, mode=mode, due_on=due_on
    )


def evaluation_submit(*, evaluation, user, score, findings: str, users_views: str = ""):
    """Record an evaluation's result: a score from 0 to 100 and findings the CSO can read."""
    from decimal import Decimal, InvalidOperation

    from assessments.models import Evaluation
    from portal.workflow import run_transition

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
