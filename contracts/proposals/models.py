"""Proposals CSOs send in answer to a call, with their budget lines and attached documents."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contracts.calls.models import Call
from portal.models import StoredFile
from portal.reference import CostingMethod

# The states of a proposal's reviews (assessments.Review): here, so the proposal's reads can
# name them without importing assessments.


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", pgettext_lazy("review status", "Submitted")
    RECUSED = "recused", _("Recused (conflict of interest)")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    PRESENTED = "presented", _("Presented")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    Status = ProposalStatus

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
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
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
                condition=~models.Q(status=ProposalStatus.WITHDRAWN),
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
                condition=models.Q(status__in=ProposalStatus.values),
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
