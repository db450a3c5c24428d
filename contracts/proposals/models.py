"""Proposals CSOs send in answer to a call, with their budget lines and attached documents."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
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
    CONCEPT_SENT = "concept_sent", _("Concept note sent")
    SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
    INFO_REQUESTED = "info_requested", _("More information requested")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    PRESENTED = "presented", _("Presented")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposalStage(models.TextChoices):
    """A two-stage call takes a short concept note first; the agency invites the best to a
    full proposal, which goes on from the same record. A one-stage call's proposals are
    full from the start."""

    CONCEPT = "concept", _("Concept note")
    FULL = "full", _("Full proposal")


class Proposal(models.Model):
    Status = ProposalStatus
    Stage = ProposalStage

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.CONCEPT_SENT, Status.WITHDRAWN},
        # Invited: back to a draft, now a full proposal; or declined, or withdrawn.
        Status.CONCEPT_SENT: {Status.DRAFT, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.SUBMITTED: {
            Status.INFO_REQUESTED,
            Status.SHORTLISTED,
            Status.SELECTED,
            Status.NOT_SELECTED,
            Status.WITHDRAWN,
        },
        # Answered (sent again), or not selected, or withdrawn, while the agency waits.
        Status.INFO_REQUESTED: {Status.SUBMITTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.SHORTLISTED: {Status.PRESENTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.PRESENTED: {Status.SELECTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.SELECTED: set(),
        Status.NOT_SELECTED: set(),
        Status.WITHDRAWN: set(),
    }
    # Sent to the agency and not yet decided: what evaluators score and officers rank (a
    # proposal whose organisation is answering the agency's questions too).
    IN_REVIEW = {Status.SUBMITTED, Status.INFO_REQUESTED, Status.SHORTLISTED, Status.PRESENTED}
    DECIDED = {Status.SELECTED, Status.NOT_SELECTED, Status.WITHDRAWN}
    # Sent at some point: concept notes too (evaluators see the full proposals only).
    SENT = IN_REVIEW | {Status.CONCEPT_SENT, Status.SELECTED, Status.NOT_SELECTED}

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
    stage = models.CharField(
        _("stage"), max_length=8, choices=Stage.choices, default=Stage.FULL, db_index=True
    )
    invited_at = models.DateTimeField(_("invited to a full proposal at"), null=True, blank=True)
    full_due_at = models.DateTimeField(_("full proposal due"), null=True, blank=True)
    invitation_note = models.TextField(_("note with the invitation"), blank=True)
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
            models.CheckConstraint(
                condition=models.Q(stage__in=ProposalStage.values),
                name="proposal_stage_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(invited_at__isnull=True) | models.Q(full_due_at__isnull=False),
                name="proposal_invitation_has_deadline",
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

    @property
    def is_answering(self) -> bool:
        """The organisation is answering the agency's questions: the parts asked about
        may change until the reply-by time."""
        return self.status == self.Status.INFO_REQUESTED

    def open_information_request(self):
        """The agency's questions the organisation is answering now, or None (reads the
        prefetched requests when there are)."""
        if not self.is_answering:
            return None
        requests = list(self.information_requests.all())
        return requests[-1] if requests else None

    @property
    def is_concept(self) -> bool:
        return self.stage == self.Stage.CONCEPT

    @property
    def is_invited(self) -> bool:
        return self.invited_at is not None

    def is_taking_submission(self, now=None) -> bool:
        """Can it be sent now: while the call takes proposals, or, for a full proposal the
        agency invited, while the call is closed and the invitation's deadline is ahead."""
        now = now or timezone.now()
        if self.is_invited:
            return self.call.status == Call.Status.CLOSED and now < self.full_due_at
        return self.call.is_accepting(now)


class VersionKind(models.TextChoices):
    CONCEPT = "concept", _("The concept note")
    BEFORE_INFORMATION = "before_information", _("Before the agency asked for more information")


class ProposalVersion(models.Model):
    """What a proposal said at a turning point (the concept note it grew from, the answers
    before the agency asked for more information): kept, so the history shows both versions
    and evaluators read what changed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    stage = models.CharField(_("stage"), max_length=8, choices=ProposalStage.choices)
    kind = models.CharField(_("what this version was"), max_length=24, choices=VersionKind.choices)
    content = models.JSONField(_("content"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposal_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.proposal_id} v{self.number}"


class InformationRequest(models.Model):
    """The agency's questions about a submitted proposal, before it decides: the proposal
    goes back to its organisation, which may change the parts asked about and sends it again
    with its answer by ``reply_by``. What the proposal said before is kept as ``version``.
    The open request is the latest one while the proposal is "more information requested"."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="information_requests"
    )
    number = models.PositiveSmallIntegerField(_("request"))
    questions = models.TextField(_("questions"), max_length=5000)
    parts = models.JSONField(_("parts that may change"), default=list)
    reply_by = models.DateTimeField(_("reply by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked at"))
    version = models.ForeignKey(
        ProposalVersion, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)

    class Meta:
        verbose_name = _("request for more information")
        verbose_name_plural = _("requests for more information")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="information_request_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | models.Q(cancelled_at__isnull=True),
                name="information_request_answered_or_cancelled",
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} #{self.number}"


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
