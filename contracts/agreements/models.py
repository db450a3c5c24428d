"""Agreements: what an awarded proposal becomes, and the money that moves under it (tranches,
money movements), its progress reports and its settlement."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contracts.agreements import money
from contracts.calls.models import Instrument
from contracts.proposals.models import BudgetLine, Proposal
from portal.models import StoredFile

# The kinds, timings and states of an agreement's evaluations (assessments.Evaluation):
# here, so the agreement's rules can name them without importing assessments.


class EvaluationKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term evaluation")
    FINAL = "final", _("Post-completion evaluation")
    PERIODIC = "periodic", _("Periodic evaluation")


class EvaluationTiming(models.TextChoices):
    BY_INSTALMENT = "by_instalment", _("By instalment")
    BY_PERIOD = "by_period", _("By period")


class EvaluationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SUBMITTED = "submitted", pgettext_lazy("evaluation status", "Submitted")
    # Due after the agreement's end once an end notice brought the end forward; the
    # evaluation keeps its due date, and ``cancelled_at`` and ``cancel_reason`` say when and why.
    CANCELLED = "cancelled", _("Cancelled")


class AgreementStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Delivery completed")
    SETTLED = "settled", _("Settled")
    DECLINED = "declined", _("Declined")
    TERMINATED = "terminated", _("Terminated")


class Agreement(models.Model):
    """A grant, a performance contract or a commissioning partnership with one CSO."""

    Status = AgreementStatus

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
    # The groups each progress report counts the people reached in (as the mission names its
    # target groups): only what the evaluation needs, numbers and never names.
    beneficiary_groups = models.JSONField(
        _("people reached, counted by group"), default=list, blank=True
    )
    # What an agreed variation set a budget line to, by the line's id ({"12": "9000.00"});
    # a line not named keeps the proposal's amount.
    line_budgets = models.JSONField(_("budget lines as varied"), default=dict, blank=True)
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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # The agency's signatory as printed on the agreement: recorded at award from the
    # officer's profile (full name and position), not a username.
    signatory_name = models.CharField(_("agency signatory (full name)"), max_length=255, blank=True)
    signatory_position = models.CharField(
        _("agency signatory's position"), max_length=255, blank=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    completed_at = models.DateTimeField(_("delivery completed at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for terminating"), blank=True)
    end_notice_on = models.DateField(_("end notice given on"), null=True, blank=True)
    end_notice_reason = models.TextField(_("reason for ending"), blank=True)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
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
                condition=models.Q(status__in=AgreementStatus.values),
                name="agreement_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    status__in=[
                        AgreementStatus.ACTIVE,
                        AgreementStatus.COMPLETED,
                        AgreementStatus.SETTLED,
                    ]
                )
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
            # The funded projects' order, newest signed first.
            models.Index(
                fields=["-signed_at", "-id"],
                name="agreement_signed_newest",
                condition=models.Q(signed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class VariationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", pgettext_lazy("variation status", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("variation status", "Withdrawn")


class VariationSide(models.TextChoices):
    AGENCY = "agency", _("The agency")
    CSO = "cso", _("The organisation")


class Variation(models.Model):
    """A change to a running agreement (amount, period, scope, targets, tranche dates)
    proposed by one side with a reason and agreed (for the organisation, by its signatory's
    signature) or declined by the other. An agreed variation is the agreement's next
    version: ``previous`` keeps what each changed field was."""

    Status = VariationStatus
    Side = VariationSide

    TRANSITIONS = {
        Status.PROPOSED: {Status.AGREED, Status.DECLINED, Status.WITHDRAWN},
        Status.AGREED: set(),
        Status.DECLINED: set(),
        Status.WITHDRAWN: set(),
    }

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveSmallIntegerField(_("variation"))
    proposed_side = models.CharField(_("proposed by"), max_length=8, choices=Side.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    reason = models.TextField(_("reason"), max_length=5000)
    changes = models.JSONField(_("changes"))
    previous = models.JSONField(_("before the variation"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    signed_name = models.CharField(_("signed by (full name)"), max_length=255, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("variation")
        verbose_name_plural = _("variations")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="variation_number_unique"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(status=VariationStatus.PROPOSED),
                name="variation_one_proposed",
                violation_error_message=_("A variation of this agreement is already proposed."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=VariationStatus.values),
                name="variation_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} variation {self.number}"


class ExpenseCheck(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    ACCEPTED = "accepted", pgettext_lazy("expense check", "Accepted")
    QUERIED = "queried", _("Queried")
    REJECTED = "rejected", pgettext_lazy("expense check", "Rejected")


class Expense(StoredFile):
    """Money the organisation spent under the agreement, recorded against one line of its
    budget with the receipt (a photo or a PDF, checked like every upload). The officer
    checks each before settlement."""

    Check = ExpenseCheck

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="expenses")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("budget line")
    )
    spent_on = models.DateField(_("spent on"))
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    payee = models.CharField(_("paid to"), max_length=255)
    description = models.CharField(_("what it paid for"), max_length=500)
    file = models.FileField(_("receipt"), upload_to="receipts/%Y/%m/")
    check_status = models.CharField(
        _("check"), max_length=16, choices=Check.choices, default=Check.PENDING
    )
    check_note = models.TextField(_("officer's note"), blank=True)
    # The organisation's answer to the officer's question (a queried expense goes back to be
    # checked with it).
    answer = models.TextField(_("the organisation's answer"), blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["spent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="expense_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(check_status__in=ExpenseCheck.values),
                name="expense_check_valid",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "budget_line"])]

    def __str__(self):
        return f"{self.agreement_id} {self.spent_on} {self.amount}"


class TrancheStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RELEASED = "released", _("Released")
    PAID = "paid", _("Paid")


class Tranche(models.Model):
    """One instalment of the agreement's money. Shares sum to 100 %; the last tranche's
    amount is the remainder, so the amounts sum to the agreement's amount exactly."""

    Status = TrancheStatus

    TRANSITIONS = {
        Status.SCHEDULED: {Status.RELEASED},
        Status.RELEASED: {Status.PAID},
        Status.PAID: set(),
    }

    class Condition(models.TextChoices):
        ON_SIGNING = "on_signing", _("Once the agreement is signed")
        ON_COMPLETION = "on_completion", _("Once delivery is complete and evaluated mid-term")
        ON_SCHEDULE = "on_schedule", _("On its scheduled date")
        ON_REQUEST = "on_request", _("When the organisation requests it, with its evidence")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    seq = models.PositiveSmallIntegerField(_("number"))
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    condition = models.CharField(_("released"), max_length=16, choices=Condition.choices)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    # Paid on request: what the organisation must have reached before it asks (besides an
    # accepted progress report), as set at the award. Empty for other tranches.
    milestone = models.CharField(_("milestone"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    # The account the money goes to, copied from the CSO's bank account when the tranche is
    # released: the payment order and the finance system pay into the account as it stood
    # then, whatever the organisation records later. Empty while scheduled (and on tranches
    # released before accounts were recorded).
    payee_bank = models.CharField(_("bank code"), max_length=3, blank=True)
    payee_bank_name_th = models.CharField(_("bank (Thai)"), max_length=200, blank=True)
    payee_bank_name_en = models.CharField(_("bank (English)"), max_length=200, blank=True)
    payee_branch = models.CharField(_("branch"), max_length=255, blank=True)
    payee_account_name = models.CharField(_("account name"), max_length=255, blank=True)
    payee_account_number = models.CharField(_("account number"), max_length=12, blank=True)

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
                condition=models.Q(status__in=TrancheStatus.values),
                name="tranche_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=TrancheStatus.SCHEDULED)
                | models.Q(released_at__isnull=False),
                name="tranche_released_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=TrancheStatus.PAID)
                | (models.Q(paid_at__isnull=False) & ~models.Q(payment_reference="")),
                name="tranche_paid_has_reference",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id}#{self.seq}"


class PaymentRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the agency")
    APPROVED = "approved", pgettext_lazy("payment request", "Approved and released")
    RETURNED = "returned", pgettext_lazy("payment request", "Returned")


class PaymentRequest(models.Model):
    """The organisation asks for a tranche paid on request, citing the accepted progress
    report that evidences it and saying what was reached. The officer approves it, which
    releases the tranche, or returns it with a reason; the organisation may then ask again.
    One request waits at a time per tranche, and a report evidences one tranche only."""

    Status = PaymentRequestStatus

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.RETURNED},
        Status.APPROVED: set(),
        Status.RETURNED: set(),
    }

    tranche = models.ForeignKey(Tranche, on_delete=models.CASCADE, related_name="payment_requests")
    number = models.PositiveSmallIntegerField(_("request"))
    report = models.ForeignKey(
        "ProgressReport",
        on_delete=models.PROTECT,
        related_name="payment_requests",
        verbose_name=_("accepted progress report"),
    )
    note = models.TextField(_("what was reached"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["tranche", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tranche", "number"], name="payment_request_number_unique"
            ),
            models.UniqueConstraint(
                fields=["tranche"],
                condition=models.Q(status=PaymentRequestStatus.PENDING),
                name="payment_request_one_pending",
                violation_error_message=_("A payment request for this tranche is waiting."),
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=~models.Q(status=PaymentRequestStatus.RETURNED),
                name="payment_request_report_once",
                violation_error_message=_("This report already evidences another request."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PaymentRequestStatus.values),
                name="payment_request_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PaymentRequestStatus.RETURNED)
                | ~models.Q(return_reason=""),
                name="payment_request_returned_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.tranche} request {self.number}"


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
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
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


class ReportStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("report status", "Due")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")
    # Due after the agreement's end once an end notice brought the end forward; the report
    # keeps its due date, and ``cancelled_at`` and ``cancel_reason`` say when and why.
    CANCELLED = "cancelled", _("Cancelled")


class ProgressReport(models.Model):
    """A progress report on the agreed schedule: only what the evaluation needs."""

    Status = ReportStatus

    TRANSITIONS = {
        Status.DUE: {Status.SUBMITTED, Status.CANCELLED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED, Status.CANCELLED},
        Status.ACCEPTED: set(),
        Status.CANCELLED: set(),
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
    # The people reached in the period, one count per group the agreement names:
    # [{"group", "count"}].
    beneficiaries = models.JSONField(_("people reached"), default=list, blank=True)
    # What the recorded expenses came to on each budget line when the report was sent:
    # [{"line", "description", "budget", "spent"}] (amounts as strings, exact).
    budget_lines = models.JSONField(_("spent by budget line"), default=list, blank=True)
    # Why spending to date is lower than the previous report said (required then).
    spending_explanation = models.TextField(
        _("why spending is lower than reported before"), max_length=5000, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    officer_comment = models.TextField(_("officer's comments"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["agreement_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "seq"], name="report_seq_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReportStatus.CANCELLED)
                | (models.Q(cancelled_at__isnull=False) & ~models.Q(cancel_reason="")),
                name="report_cancelled_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} report {self.seq}"


class ReportEvidence(StoredFile):
    """A photo or a document attached to a progress report as evidence of what it says,
    checked like every upload and counted in the organisation's storage. Added and removed
    while the report is with the organisation; kept once it is sent."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    caption = models.CharField(_("what it shows"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="report-evidence/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("report evidence")
        verbose_name_plural = _("report evidence")

    def __str__(self):
        return f"{self.report} {self.original_name}"


class Settlement(models.Model):
    """The closing account: what was disbursed, what the CSO spent, what it must refund."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="settlement")
    disbursed_total = models.DecimalField(_("disbursed (baht)"), max_digits=14, decimal_places=2)
    spent_total = models.DecimalField(_("spent (baht)"), max_digits=14, decimal_places=2)
    refund_due = models.DecimalField(_("refund due (baht)"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), max_length=5000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
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

    @property
    def uncovered(self):
        """What the organisation spent beyond what it was paid: the cost it bore itself."""
        return money.uncovered(self.disbursed_total, self.spent_total)
