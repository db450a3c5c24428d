"""Scoring proposals: an assigned evaluator, with no conflict of interest, scores each of
the five criteria 0–5 with a comment, saves a draft and submits once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.reviews.models import Review
from assessments.reviews.permissions import can_review
from assessments.reviews.scoring import MAX_SCORE
from contracts.calls import permissions as call_permissions
from contracts.calls.models import CRITERIA
from contracts.proposals.models import Proposal
from portal.audit import audit_record
from portal.roles import Role, has_role
from portal.workflow import Conflict, InvalidTransition

RS = Review.Status


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
            if submit and locked.is_answering:
                raise InvalidTransition(
                    _(
                        "The organisation is answering the agency's questions about this "
                        "proposal and may change it: save your scores now and submit them once "
                        "it has answered."
                    )
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
