"""Scoring proposals on the five selection criteria. Evaluations of agreements join them with
the agreements issue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.models import CRITERIA


def _score_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class Review(models.Model):
    """One evaluator's scores for one proposal: 0–5 on each criterion, with comments.
    Saved as a draft until the evaluator submits it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        RECUSED = "recused", _("Recused (conflict of interest)")

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
                condition=~models.Q(status="submitted")
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
                condition=models.Q(status__in=["draft", "submitted", "recused"]),
                name="review_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} / {self.evaluator_id}"

    @property
    def scores(self) -> dict[str, int | None]:
        return {c: getattr(self, f"score_{c}") for c in CRITERIA}


class Evaluation(models.Model):
    """A mid-term, final or periodic evaluation of an agreement, by a committee of
    stakeholders; internal (the agency) or external (an outside body)."""

    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Mid-term evaluation")
        FINAL = "final", _("Post-completion evaluation")
        PERIODIC = "periodic", _("Periodic evaluation")

    class Mode(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")

    class Timing(models.TextChoices):
        BY_INSTALMENT = "by_instalment", _("By instalment")
        BY_PERIOD = "by_period", _("By period")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SUBMITTED = "submitted", _("Submitted")

    TRANSITIONS = {Status.SCHEDULED: {Status.SUBMITTED}, Status.SUBMITTED: set()}

    agreement = models.ForeignKey(
        "contracts.Agreement", on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.INTERNAL)
    timing = models.CharField(
        _("timing"), max_length=16, choices=Timing.choices, default=Timing.BY_PERIOD
    )
    due_on = models.DateField(_("due on"), db_index=True)
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="agreement_evaluations"
    )
    committee = models.JSONField(_("committee members"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    score = models.DecimalField(
        _("score (0–100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    findings = models.TextField(_("findings"), max_length=20000, blank=True)
    users_views = models.TextField(_("service users' views"), max_length=20000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="evaluation_score_0_100",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(score__isnull=False),
                name="evaluation_submitted_has_score",
            ),
            models.UniqueConstraint(
                fields=["agreement", "kind"],
                condition=models.Q(kind__in=["midterm", "final"]),
                name="evaluation_one_midterm_one_final",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.kind}"
