"""Calls for proposals and the proposals CSOs send in answer. Agreements, tranches, reports
and settlement join them with the agreements issue."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import ActivityField, Province, StoredFile
from portal.reference import CostingMethod, SelectionCriterion

CRITERIA = SelectionCriterion.values  # the five, in the report's order


class Instrument(models.TextChoices):
    GRANT = "grant", _("Grant")
    PERFORMANCE_CONTRACT = "performance_contract", _("Performance contract")
    COMMISSIONING = "commissioning", _("Commissioning")


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN, Status.CANCELLED},
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
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CallEvaluator",
        through_fields=("call", "evaluator"),
        related_name="calls_to_evaluate",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=models.Q(budget_ceiling__gt=0), name="call_budget_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open", "closed", "awarded", "cancelled"]),
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
    def has_presentations(self) -> bool:
        """Performance contracts shortlist and hear each CSO's vision before selecting."""
        return self.instrument == Instrument.PERFORMANCE_CONTRACT


class CallEvaluator(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
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


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        PRESENTED = "presented", _("Presented")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {
            Status.SHORTLISTED,
            Status.SELECTED,
            Status.NOT_SELECTED,
            Status.WITHDRAWN,
        },
        Status.SHORTLISTED: {Status.PRESENTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.PRESENTED: {Status.SELECTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.SELECTED: set(),
        Status.NOT_SELECTED: set(),
        Status.WITHDRAWN: set(),
    }
    # Sent to the agency and not yet decided: what evaluators score and officers rank.
    IN_REVIEW = {Status.SUBMITTED, Status.SHORTLISTED, Status.PRESENTED}
    DECIDED = {Status.SELECTED, Status.NOT_SELECTED, Status.WITHDRAWN}
    SENT = IN_REVIEW | {Status.SELECTED, Status.NOT_SELECTED}

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="proposals"
    )
    cso = models.ForeignKey(
        "csos.CSO",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    title = models.CharField(_("project title"), max_length=255)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    outcomes = models.TextField(_("expected outcomes"), max_length=5000, blank=True)
    targets = models.JSONField(_("targets and indicators"), default=list, blank=True)
    requested_amount = models.DecimalField(
        _("requested amount (baht)"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    project_document = models.TextField(_("project document"), max_length=50000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reference = models.CharField(_("reference number"), max_length=32, blank=True)
    presentation_at = models.DateTimeField(_("presentation time"), null=True, blank=True)
    presentation_location = models.CharField(
        _("presentation place or online link"), max_length=500, blank=True
    )
    presented_at = models.DateTimeField(_("presented at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "cso"],
                condition=~models.Q(status="withdrawn"),
                name="proposal_one_live_per_call_and_cso",
                violation_error_message=_(
                    "Your organisation already has a proposal for this call."
                ),
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="proposal_reference_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(requested_amount__gte=0), name="proposal_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="proposal_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "shortlisted",
                        "presented",
                        "selected",
                        "not_selected",
                        "withdrawn",
                    ]
                ),
                name="proposal_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["cso", "status"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class BudgetLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("item"), max_length=255)
    costing_method = models.CharField(
        _("costing method"), max_length=32, choices=CostingMethod.choices
    )
    unit_cost = models.DecimalField(_("unit cost (baht)"), max_digits=14, decimal_places=2)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_cost__gte=0, quantity__gt=0, amount__gte=0),
                name="budget_line_amounts_valid",
            )
        ]

    def __str__(self):
        return self.description


class ProposalDocument(StoredFile):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document"), max_length=255)
    file = models.FileField(_("file"), upload_to="proposal-documents/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")

    def __str__(self):
        return self.title


# ---------------------------------------------------------------------------------------
# Agreements: what an awarded proposal becomes, and the money that moves under it.


class Agreement(models.Model):
    """A grant, a performance contract or a commissioning partnership with one CSO."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Delivery completed")
        SETTLED = "settled", _("Settled")
        DECLINED = "declined", _("Declined")
        TERMINATED = "terminated", _("Terminated")

    TRANSITIONS = {
        Status.OFFERED: {Status.ACTIVE, Status.DECLINED, Status.TERMINATED},
        Status.ACTIVE: {Status.COMPLETED, Status.TERMINATED},
        Status.COMPLETED: {Status.SETTLED},
        Status.SETTLED: set(),
        Status.DECLINED: set(),
        Status.TERMINATED: set(),
    }
    LIVE = {Status.OFFERED, Status.ACTIVE, Status.COMPLETED}

    class ReportSchedule(models.TextChoices):
        BY_PERIOD = "by_period", _("By period")
        BY_INSTALMENT = "by_instalment", _("By instalment")

    kind = models.CharField(_("kind"), max_length=32, choices=Instrument.choices)
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="agreement", verbose_name=_("proposal")
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="agreements"
    )
    cso = models.ForeignKey("csos.CSO", on_delete=models.PROTECT, related_name="agreements")
    number = models.CharField(_("agreement number"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=255)
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    scope = models.TextField(_("scope of work"), max_length=10000, blank=True)
    terms = models.TextField(_("terms and conditions"), max_length=20000, blank=True)
    targets = models.JSONField(_("targets and indicators"), default=list, blank=True)
    report_schedule = models.CharField(
        _("progress reports"),
        max_length=16,
        choices=ReportSchedule.choices,
        default=ReportSchedule.BY_PERIOD,
    )
    report_every_months = models.PositiveSmallIntegerField(_("report every (months)"), default=3)
    # Commissioning: outcomes, needs, resources, the co-designed service and who does what.
    outcomes = models.TextField(_("prioritised outcomes"), max_length=10000, blank=True)
    needs_assessment = models.TextField(
        _("needs assessment of the target groups"), max_length=10000, blank=True
    )
    resources = models.TextField(_("resources allocated"), max_length=10000, blank=True)
    service_design = models.TextField(_("service model"), max_length=50000, blank=True)
    responsibilities = models.JSONField(_("responsibilities"), default=list, blank=True)
    delivery_started_at = models.DateTimeField(_("delivery started"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OFFERED, db_index=True
    )
    signed_name = models.CharField(_("signed by (full name)"), max_length=255, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    completed_at = models.DateTimeField(_("delivery completed at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for terminating"), blank=True)
    end_notice_on = models.DateField(_("end notice given on"), null=True, blank=True)
    end_notice_reason = models.TextField(_("reason for ending"), blank=True)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="agreement_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="agreement_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Instrument.values), name="agreement_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "offered",
                        "active",
                        "completed",
                        "settled",
                        "declined",
                        "terminated",
                    ]
                ),
                name="agreement_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["active", "completed", "settled"])
                | (models.Q(signed_at__isnull=False) & ~models.Q(signed_name="")),
                name="agreement_active_is_signed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "end_date"]),
            models.Index(fields=["cso", "status"]),
            models.Index(fields=["agency", "status"]),
            # The lists' order, newest first, for all and by status.
            models.Index(fields=["-created_at", "-id"], name="agreement_newest_first"),
            models.Index(fields=["status", "-created_at", "-id"], name="agreement_status_newest"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class Tranche(models.Model):
    """One instalment of the agreement's money. Shares sum to 100 %; the last tranche's
    amount is the remainder, so the amounts sum to the agreement's amount exactly."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RELEASED = "released", _("Released")
        PAID = "paid", _("Paid")

    TRANSITIONS = {
        Status.SCHEDULED: {Status.RELEASED},
        Status.RELEASED: {Status.PAID},
        Status.PAID: set(),
    }

    class Condition(models.TextChoices):
        ON_SIGNING = "on_signing", _("Once the agreement is signed")
        ON_COMPLETION = "on_completion", _("Once delivery is complete and evaluated mid-term")
        ON_SCHEDULE = "on_schedule", _("On its scheduled date")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    seq = models.PositiveSmallIntegerField(_("number"))
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    condition = models.CharField(_("released"), max_length=16, choices=Condition.choices)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["agreement_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "seq"], name="tranche_seq_once"),
            models.CheckConstraint(
                condition=models.Q(share_percent__gt=0, share_percent__lte=100, amount__gte=0),
                name="tranche_share_and_amount_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["scheduled", "released", "paid"]),
                name="tranche_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="scheduled") | models.Q(released_at__isnull=False),
                name="tranche_released_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid")
                | (models.Q(paid_at__isnull=False) & ~models.Q(payment_reference="")),
                name="tranche_paid_has_reference",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id}#{self.seq}"


class MoneyMovement(models.Model):
    """The ledger: one row per release and one per payment of a tranche, never two. The
    unique constraint makes a second release or payment impossible in the database."""

    class Kind(models.TextChoices):
        RELEASE = "release", _("Release")
        PAYMENT = "payment", _("Payment")

    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reference = models.CharField(max_length=64, blank=True)
    value_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("money movement")
        verbose_name_plural = _("money movements")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tranche", "kind"], name="money_movement_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["release", "payment"]), name="money_movement_kind"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.tranche_id} {self.amount}"


class ProgressReport(models.Model):
    """A progress report on the agreed schedule: only what the evaluation needs."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    TRANSITIONS = {
        Status.DUE: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.ACCEPTED: set(),
    }

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    seq = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DUE
    )
    narrative = models.TextField(_("what was done"), max_length=10000, blank=True)
    indicators = models.JSONField(_("indicators against targets"), default=list, blank=True)
    spent_to_date = models.DecimalField(
        _("spent to date (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    officer_comment = models.TextField(_("officer's comments"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["agreement_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "seq"], name="report_seq_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=["due", "submitted", "accepted", "returned"]),
                name="report_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} report {self.seq}"


class Settlement(models.Model):
    """The closing account: what was disbursed, what the CSO spent, what it must refund."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="settlement")
    disbursed_total = models.DecimalField(_("disbursed (baht)"), max_digits=14, decimal_places=2)
    spent_total = models.DecimalField(_("spent (baht)"), max_digits=14, decimal_places=2)
    refund_due = models.DecimalField(_("refund due (baht)"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), max_length=5000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(spent_total__gte=0, refund_due__gte=0),
                name="settlement_amounts_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(refund_due=models.F("disbursed_total") - models.F("spent_total"))
                | models.Q(refund_due=0, spent_total__gte=models.F("disbursed_total")),
                name="settlement_refund_is_the_difference",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} settlement"
