"""Citizens' grievances, after Indonesia's LAPOR!: a complaint, a suggestion or a request for
information about an agency or a funded project, with a tracking id the citizen follows on a
public status page. Statuses as the API contract names them: received → routed → responded →
closed, or rejected; a citizen's reply takes an answered one back to routed."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import StoredFile


class GrievanceStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ROUTED = "routed", _("Routed to the agency")
    RESPONDED = "responded", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected as out of scope")


class Grievance(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        INFORMATION_REQUEST = "information_request", _("Request for information")

    Status = GrievanceStatus

    class Resolved(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        PARTLY = "partly", _("Partly")

    class Closing(models.TextChoices):
        RESOLVED = "resolved", _("The citizen said it was resolved")
        QUIET = "quiet", _("No reply within 10 working days of the answer")
        MERGED = "merged", _("Merged into another grievance")

    # Moves per status (the services check each one here). Merging closes a grievance that
    # is not yet answered; the citizen's reply reopens an answered one.
    TRANSITIONS = {
        Status.RECEIVED: {Status.ROUTED, Status.REJECTED, Status.CLOSED},
        Status.ROUTED: {Status.RESPONDED, Status.CLOSED},
        Status.RESPONDED: {Status.ROUTED, Status.CLOSED},
        Status.CLOSED: set(),
        Status.REJECTED: set(),
    }

    tracking_id = models.CharField(_("tracking id"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what happened"), max_length=5000, blank=True)
    occurred_on = models.DateField(_("when it happened"))
    province = models.ForeignKey(
        "portal.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="grievances",
    )
    agreement = models.ForeignKey(
        "contracts.Agreement",
        verbose_name=_("funded project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grievances",
    )
    # The citizen: no name at all when anonymous; a confidential name is kept for the
    # verifiers and shown to nobody else. Contact (email or phone) is for the notices.
    anonymous = models.BooleanField(_("anonymous"), default=False)
    confidential = models.BooleanField(_("confidential"), default=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    contact = models.CharField(_("email or phone"), max_length=254, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grievances_filed",
    )
    citizen_token_hash = models.CharField(max_length=64, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    route_by = models.DateField(_("route by"))
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    respond_by = models.DateField(_("answer by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    response = models.TextField(_("answer"), max_length=5000, blank=True)
    upheld = models.BooleanField(_("complaint upheld"), null=True, blank=True)
    close_by = models.DateField(_("closes by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing = models.CharField(
        _("how it closed"), max_length=16, choices=Closing.choices, blank=True
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)
    # When the current step (routing, then answering) goes to the agency's head of
    # complaints: a second deadline after the step's own.
    escalate_on = models.DateField(_("escalated after"), null=True, blank=True)
    resolved = models.CharField(
        _("resolved, in the citizen's words"), max_length=8, choices=Resolved.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "route_by"], name="grievance_status_route_by"),
            models.Index(fields=["agency", "status"], name="grievance_agency_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=GrievanceStatus.values),
                name="grievance_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(anonymous=True) | models.Q(name="", citizen__isnull=True),
                name="grievance_anonymous_keeps_no_name",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=GrievanceStatus.REJECTED) | ~models.Q(reject_reason=""),
                name="grievance_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True)
                | models.Q(status=GrievanceStatus.CLOSED, closing="merged"),
                name="grievance_merged_is_closed",
            ),
        ]

    def __str__(self):
        return self.tracking_id

    @property
    def is_late(self) -> bool:
        """The current step is past its due date (read with today's date by the caller's
        ``late_on``)."""
        from django.utils import timezone

        return self.late_on(timezone.localdate())

    def late_on(self, today) -> bool:
        if self.status == GrievanceStatus.RECEIVED:
            return today > self.route_by
        if self.status == GrievanceStatus.ROUTED and self.respond_by:
            return today > self.respond_by
        return False


# The letters of a tracking id: no 0/O or 1/I, which are misread aloud and on paper.
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_code(length: int) -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(length))


def _attachment_path(instance, filename):
    # The name on disk says nothing of the citizen (the name they sent is kept apart).
    return f"grievance-files/{new_code(16)}"


class GrievanceAttachment(StoredFile):
    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("grievance attachment")
        verbose_name_plural = _("grievance attachments")


class GrievanceMessage(models.Model):
    """One turn of the conversation: the agency's answer, or the citizen's reply to it."""

    class Author(models.TextChoices):
        AGENCY = "agency", _("Agency")
        CITIZEN = "citizen", _("Citizen")

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=8, choices=Author.choices)
    text = models.TextField(max_length=5000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("grievance message")
        verbose_name_plural = _("grievance messages")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.grievance_id} {self.author} {self.at:%Y-%m-%d}"
