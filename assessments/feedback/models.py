"""Citizens judge the service an agreement pays for (co-assessment): the citizen charter the
agency and the CSO agree on, the survey people reach by a short link or a QR code without an
account, and their ratings and comments, which the report cards add up. Nothing here names
the person who answered: no account, no address, no contact."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """The reference list of what a service is rated on (1–5). ``overall`` is always asked:
    the report card's trend follows it."""

    OVERALL = "overall", _("Overall")
    TIMELINESS = "timeliness", _("Timeliness")
    COURTESY = "courtesy", _("Staff courtesy")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    OUTCOME = "outcome", _("Outcome")
    INFORMATION = "information", _("Clear information")
    FAIRNESS = "fairness", _("Fair treatment")
    FACILITIES = "facilities", _("Place and facilities")


DEFAULT_DIMENSIONS = [
    Dimension.OVERALL,
    Dimension.TIMELINESS,
    Dimension.COURTESY,
    Dimension.ACCESSIBILITY,
    Dimension.OUTCOME,
]


class Charter(models.Model):
    """The citizen charter of an agreement's service, written by the agency and the CSO
    together. Public once both sides have agreed to the same text; any change after that
    clears both agreements."""

    agreement = models.OneToOneField(
        "contracts.Agreement", on_delete=models.CASCADE, related_name="charter"
    )
    service = models.TextField(_("the service"), max_length=2000, blank=True)
    who_may_use = models.TextField(_("who may use it"), max_length=2000, blank=True)
    where_when = models.TextField(_("where and when"), max_length=2000, blank=True)
    time_standard = models.TextField(_("how long it takes"), max_length=2000, blank=True)
    quality_standard = models.TextField(_("quality standard"), max_length=2000, blank=True)
    cost = models.TextField(_("cost (if any)"), max_length=2000, blank=True)
    remedy = models.TextField(_("remedy when the standard is missed"), max_length=2000, blank=True)
    agreed_by_agency_at = models.DateTimeField(_("agreed by the agency at"), null=True, blank=True)
    agreed_by_agency = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_by_cso_at = models.DateTimeField(
        _("agreed by the organisation at"), null=True, blank=True
    )
    agreed_by_cso = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    TEXT_FIELDS = (
        "service",
        "who_may_use",
        "where_when",
        "time_standard",
        "quality_standard",
        "cost",
        "remedy",
    )
    # What must be written before a side may agree (a free service leaves the cost empty).
    REQUIRED_FIELDS = tuple(f for f in TEXT_FIELDS if f != "cost")

    class Meta:
        verbose_name = _("citizen charter")
        verbose_name_plural = _("citizen charters")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreed_by_agency_at__isnull=True)
                | models.Q(agreed_by_agency__isnull=False),
                name="charter_agency_agreement_has_officer",
            ),
            models.CheckConstraint(
                condition=models.Q(agreed_by_cso_at__isnull=True)
                | models.Q(agreed_by_cso__isnull=False),
                name="charter_cso_agreement_has_signatory",
            ),
        ]

    def __str__(self):
        return f"charter {self.agreement_id}"

    @property
    def agreed(self) -> bool:
        return bool(self.agreed_by_agency_at and self.agreed_by_cso_at)


class Survey(models.Model):
    """The satisfaction survey of an agreement's service: its short public code (the
    ``/s/<code>/`` link printed as a QR code) and the dimensions it asks."""

    agreement = models.OneToOneField(
        "contracts.Agreement", on_delete=models.CASCADE, related_name="survey"
    )
    code = models.CharField(_("short code"), max_length=16, unique=True)
    dimensions = models.JSONField(_("dimensions asked"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self):
        return self.code


class FeedbackResponse(models.Model):
    """One person's answer to a survey: their ratings and an optional comment. The comment is
    shown on the report card unless a moderator hid it (with a reason, audited)."""

    agreement = models.ForeignKey(
        "contracts.Agreement", on_delete=models.CASCADE, related_name="feedback_responses"
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True, db_index=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_reason = models.TextField(_("reason for hiding"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("satisfaction response")
        verbose_name_plural = _("satisfaction responses")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agreement", "created_at"], name="feedback_agreement_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True)
                | (models.Q(hidden_by__isnull=False) & ~models.Q(hidden_reason="")),
                name="feedback_hidden_has_reason",
            ),
        ]

    def __str__(self):
        return f"feedback {self.pk} on {self.agreement_id}"


class Rating(models.Model):
    """One dimension's rating in a response, 1 to 5."""

    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField(_("dimension"), max_length=32, choices=Dimension.choices)
    score = models.PositiveSmallIntegerField(_("rating"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_5"
            ),
            models.UniqueConstraint(
                fields=["response", "dimension"], name="rating_one_per_dimension"
            ),
        ]

    def __str__(self):
        return f"{self.dimension}={self.score}"
