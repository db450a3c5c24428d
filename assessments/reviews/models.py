"""Reviews: one evaluator's scores for one proposal on the five selection criteria. Their states
are defined in contracts.proposals.models, so the proposal's reads name them without
importing assessments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.reviews import scoring
from contracts.calls.models import CRITERIA
from contracts.proposals.models import ReviewStatus


def _score_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class Review(models.Model):
    """One evaluator's scores for one proposal: 0–5 on each criterion, with comments.
    Saved as a draft until the evaluator submits it."""

    Status = ReviewStatus

    MAX_SCORE = 5

    proposal = models.ForeignKey(
        "contracts.Proposal", on_delete=models.CASCADE, related_name="reviews"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    no_conflict_of_interest = models.BooleanField(
        _("I have no conflict of interest with this organisation"), default=False
    )
    score_expertise = _score_field(_("expertise and experience"))
    score_standards = _score_field(_("organisational standards"))
    score_service_area = _score_field(_("service area"))
    score_track_record = _score_field(_("track record"))
    score_networking = _score_field(_("networking and resource mobilisation"))
    comments = models.JSONField(_("comments per criterion"), default=dict, blank=True)
    comment = models.TextField(_("overall comment"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["evaluator__username", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator"], name="review_one_per_evaluator"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    score_expertise__lte=5,
                    score_standards__lte=5,
                    score_service_area__lte=5,
                    score_track_record__lte=5,
                    score_networking__lte=5,
                ),
                name="review_scores_at_most_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReviewStatus.SUBMITTED)
                | models.Q(
                    no_conflict_of_interest=True,
                    score_expertise__isnull=False,
                    score_standards__isnull=False,
                    score_service_area__isnull=False,
                    score_track_record__isnull=False,
                    score_networking__isnull=False,
                ),
                name="review_submitted_is_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values),
                name="review_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} / {self.evaluator_id}"

    @staticmethod
    def proposal_score(weights, reviews):
        """``scoring.proposal_score``: the mean weighted score of the submitted ``reviews``.
        Here for contracts, which reaches the reviews through ``Proposal.reviews`` only."""

        return scoring.proposal_score(weights, reviews)

    @property
    def scores(self) -> dict[str, int | None]:
        return {c: getattr(self, f"score_{c}") for c in CRITERIA}
