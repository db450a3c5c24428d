"""The national Open Government Action Plan (issue 16, item 6; the report's section 3.5):
staff record each three-year plan and its commitments (the responsible agency, milestones
with dates, the OGP values each serves); the responsible agencies report each milestone's
progress with evidence; anyone sees each commitment's status and what is late."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OgpValue(models.TextChoices):
    TRANSPARENCY = "transparency", _("Transparency")
    PARTICIPATION = "participation", _("Civic participation")
    ACCOUNTABILITY = "accountability", _("Public accountability")
    TECHNOLOGY = "technology", _("Technology and innovation")


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    number = models.PositiveSmallIntegerField(_("plan number"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    starts_year = models.PositiveSmallIntegerField(_("first year (C.E.)"))
    ends_year = models.PositiveSmallIntegerField(_("last year (C.E.)"))
    summary = models.TextField(_("summary"), max_length=10000, blank=True)
    consultation = models.ForeignKey(
        "agencies.Consultation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="ogp_plans", verbose_name=_("consultation on the draft"),
    )  # fmt: skip
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("open government action plan")
        verbose_name_plural = _("open government action plans")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_year__gte=models.F("starts_year")),
                name="ogp_plan_years",
            ),
        ]

    def __str__(self):
        return f"{self.number}: {self.title}"


class Commitment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField(_("commitment number"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("what it commits to"), max_length=10000)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="ogp_commitments",
        verbose_name=_("responsible agency"),
    )  # fmt: skip
    values = models.JSONField(_("OGP values"), default=list)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="ogp_commitment_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def value_labels(self) -> list[str]:
        labels = dict(OgpValue.choices)
        return [str(labels.get(v, v)) for v in self.values]


class Milestone(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=255)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def late(self) -> bool:
        return self.status != self.Status.DONE and self.due_on < timezone.localdate()


class ProgressReport(models.Model):
    """What the responsible agency reports on a milestone, with its evidence."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("status"), max_length=16, choices=Milestone.Status.choices)
    note = models.TextField(_("what was done"), max_length=5000)
    evidence_url = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_at", "-pk"]

    def __str__(self):
        return f"{self.milestone}: {self.status}"
