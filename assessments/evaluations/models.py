"""The evaluations of agreements: mid-term, post-completion and periodic, by a committee of
stakeholders. Their kinds, timings and states are defined in contracts.agreements.models, so
the agreement's rules name them without importing assessments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.agreements.models import EvaluationKind, EvaluationStatus, EvaluationTiming


class Evaluation(models.Model):
    """A mid-term, final or periodic evaluation of an agreement, by a committee of
    stakeholders; internal (the agency) or external (an outside body)."""

    Kind = EvaluationKind

    class Mode(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")

    Timing = EvaluationTiming

    Status = EvaluationStatus

    TRANSITIONS = {
        Status.SCHEDULED: {Status.SUBMITTED, Status.CANCELLED},
        Status.SUBMITTED: set(),
        Status.CANCELLED: set(),
    }

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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
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
                condition=~models.Q(status=EvaluationStatus.SUBMITTED)
                | models.Q(score__isnull=False),
                name="evaluation_submitted_has_score",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EvaluationStatus.values),
                name="evaluation_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EvaluationStatus.CANCELLED)
                | (models.Q(cancelled_at__isnull=False) & ~models.Q(cancel_reason="")),
                name="evaluation_cancelled_has_reason",
            ),
            models.UniqueConstraint(
                fields=["agreement", "kind"],
                condition=models.Q(kind__in=["midterm", "final"]),
                name="evaluation_one_midterm_one_final",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.kind}"
