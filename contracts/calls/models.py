"""Calls for proposals: the instrument, the criteria weights, eligibility and the evaluation
panel."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import ActivityField, Province
from portal.reference import CostingMethod, SelectionCriterion

CRITERIA = SelectionCriterion.values  # the five, in the report's order


class Instrument(models.TextChoices):
    GRANT = "grant", _("Grant")
    PERFORMANCE_CONTRACT = "performance_contract", _("Performance contract")
    COMMISSIONING = "commissioning", _("Commissioning")


# One stage: full proposals; two: concept notes first, then full proposals by invitation.
CALL_STAGES = [(1, _("One stage: full proposals")), (2, _("Two stages: concept notes first"))]


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FORECAST = "forecast", _("Forecast")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


class Call(models.Model):
    Status = CallStatus

    TRANSITIONS = {
        Status.DRAFT: {Status.FORECAST, Status.OPEN, Status.CANCELLED},
        Status.FORECAST: {Status.OPEN, Status.CANCELLED},
        Status.OPEN: {Status.CLOSED, Status.CANCELLED},
        Status.CLOSED: {Status.AWARDED, Status.CANCELLED},
        Status.AWARDED: set(),
        Status.CANCELLED: set(),
    }

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="calls"
    )
    mission = models.ForeignKey(
        "agencies.Mission",
        verbose_name=_("mission"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    instrument = models.CharField(_("instrument"), max_length=32, choices=Instrument.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    budget_ceiling = models.DecimalField(
        _("budget ceiling (baht)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    budget_total = models.DecimalField(
        _("total budget (baht)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("What all the agreements under the call may add up to."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), db_index=True)
    costing_method = models.CharField(
        _("costing method"), max_length=32, choices=CostingMethod.choices
    )
    eligible_provinces = models.ManyToManyField(
        Province,
        verbose_name=_("eligible provinces"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to accept organisations from every province."),
    )
    eligible_activity_fields = models.ManyToManyField(
        ActivityField,
        verbose_name=_("eligible activity fields"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to accept organisations of every field."),
    )
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    weight_expertise = models.PositiveSmallIntegerField(_("weight: expertise"), default=20)
    weight_standards = models.PositiveSmallIntegerField(_("weight: standards"), default=20)
    weight_service_area = models.PositiveSmallIntegerField(_("weight: service area"), default=20)
    weight_track_record = models.PositiveSmallIntegerField(_("weight: track record"), default=20)
    weight_networking = models.PositiveSmallIntegerField(_("weight: networking"), default=20)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    stages = models.PositiveSmallIntegerField(
        _("stages"),
        choices=CALL_STAGES,
        default=1,
        help_text=_(
            "In two stages, organisations first send a short concept note; you invite the "
            "best to send a full proposal by a deadline you set."
        ),
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CallEvaluator",
        through_fields=("call", "evaluator"),
        related_name="calls_to_evaluate",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    forecast_at = models.DateTimeField(_("forecast published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["closes_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    weight_expertise__lte=100,
                    weight_standards__lte=100,
                    weight_service_area__lte=100,
                    weight_track_record__lte=100,
                    weight_networking__lte=100,
                )
                & models.Q(
                    weight_expertise=100
                    - models.F("weight_standards")
                    - models.F("weight_service_area")
                    - models.F("weight_track_record")
                    - models.F("weight_networking")
                ),
                name="call_weights_sum_100",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="call_opens_before_closes",
            ),
            models.CheckConstraint(condition=models.Q(stages__in=[1, 2]), name="call_stages_valid"),
            models.CheckConstraint(
                condition=models.Q(budget_ceiling__gt=0), name="call_budget_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(budget_total__gte=models.F("budget_ceiling")),
                name="call_budget_total_covers_ceiling",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CallStatus.values),
                name="call_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(instrument__in=Instrument.values),
                name="call_instrument_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(costing_method__in=CostingMethod.values),
                name="call_costing_method_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self):
        return self.title

    @property
    def criteria_weights(self) -> dict[str, int]:
        return {c: getattr(self, f"weight_{c}") for c in CRITERIA}

    def effective_status(self, now=None) -> str:
        """What the public sees: an open call is closed from ``closes_at`` on, whether or
        not anyone has closed it yet."""
        now = now or timezone.now()
        if self.status == self.Status.OPEN and now >= self.closes_at:
            return self.Status.CLOSED
        return self.status

    def get_effective_status_display(self):
        return self.Status(self.effective_status()).label

    def is_accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def is_two_stage(self) -> bool:
        return self.stages == 2


class CallEvaluator(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")
        constraints = [
            models.UniqueConstraint(fields=["call", "evaluator"], name="call_evaluator_once")
        ]

    def __str__(self):
        return f"{self.call_id} / {self.evaluator_id}"


class CallAddendum(models.Model):
    """A change to a published call: numbered, dated, with what changed (field: before and
    after) and an added document; shown on the call's page and sent to every organisation
    with a draft."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="addenda")
    number = models.PositiveIntegerField(_("addendum number"))
    summary = models.TextField(_("what changed and why"), max_length=5000)
    changes = models.JSONField(default=dict)
    document = models.FileField(_("document"), upload_to="calls/addenda/", blank=True)
    document_title = models.CharField(_("document title"), max_length=255, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="call_addendum_number")
        ]

    def __str__(self):
        return f"{self.call_id} #{self.number}"


class CallQuestion(models.Model):
    """A CSO's question on an open call; the officer's answer is published to all, without
    saying who asked."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    cso = models.ForeignKey("csos.CSO", on_delete=models.PROTECT, related_name="call_questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("question"), max_length=2000)
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question on a call")
        verbose_name_plural = _("questions on calls")
        ordering = ["asked_at", "pk"]
        indexes = [models.Index(fields=["call", "answered_at"], name="call_question_answered")]

    def __str__(self):
        return self.question[:60]


class SavedSearch(models.Model):
    """A CSO member's standing search for calls: fields, provinces, instruments and words
    (each empty = any). A newly opened call that matches is notified once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    fields = models.JSONField(_("activity fields"), default=list, blank=True)
    provinces = models.JSONField(_("provinces"), default=list, blank=True)
    instruments = models.JSONField(_("instruments"), default=list, blank=True)
    words = models.CharField(_("words"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user_id}: {self.words or '*'}"

    def matches(self, call, call_fields: set, call_provinces: set, text: str) -> bool:
        """Whether ``call`` (with its eligible field and province codes, and its searchable
        text lower-cased) is one this search asks for. A call open to every field or
        province matches any."""
        if self.instruments and call.instrument not in self.instruments:
            return False
        if self.fields and call_fields and not call_fields & set(self.fields):
            return False
        if self.provinces and call_provinces and not call_provinces & set(self.provinces):
            return False
        return all(word in text for word in self.words.lower().split())
