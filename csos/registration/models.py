from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import ActivityField, Province, StoredFile
from portal.reference import OrgForm


class CSOStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class CSO(models.Model):
    Status = CSOStatus

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.CHANGES_REQUESTED, Status.REJECTED},
        Status.CHANGES_REQUESTED: {Status.SUBMITTED},
        Status.APPROVED: {Status.SUSPENDED},
        Status.SUSPENDED: {Status.APPROVED},
        Status.REJECTED: set(),
    }
    EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED}

    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    org_form = models.CharField(_("organisation form"), max_length=48, choices=OrgForm.choices)
    registered = models.BooleanField(
        _("registered juristic person"),
        default=False,
        help_text=_("Leave unticked for an informal group."),
    )
    juristic_id = models.CharField(_("juristic person ID"), max_length=13, blank=True)
    founded_year = models.PositiveIntegerField(
        _("year activities began (C.E.)"), null=True, blank=True
    )
    address = models.TextField(_("address"), max_length=1000, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    activity_fields = models.ManyToManyField(
        ActivityField, verbose_name=_("activity fields"), blank=True, related_name="csos"
    )
    service_provinces = models.ManyToManyField(
        Province, verbose_name=_("service provinces"), blank=True, related_name="csos"
    )
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    certified_staff_count = models.PositiveIntegerField(
        _("professionally certified staff"), null=True, blank=True
    )
    networks = models.TextField(
        _("networks"),
        max_length=5000,
        blank=True,
        help_text=_("The networks and partner organisations you work with."),
    )
    network_csos = models.ManyToManyField(
        "self",
        verbose_name=_("network organisations in the registry"),
        symmetrical=False,
        blank=True,
        related_name="networked_by",
    )
    track_record = models.TextField(
        _("track record"),
        max_length=5000,
        blank=True,
        help_text=_("Results you have achieved and what others say of your work."),
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    certified_fields = models.ManyToManyField(
        ActivityField,
        verbose_name=_("certified fields of competence"),
        blank=True,
        related_name="certified_csos",
    )
    scope_note = models.TextField(_("scope of work with agencies"), max_length=5000, blank=True)
    decision_reason = models.TextField(_("reason given by the committee"), blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The committee reviewer who approved, as printed in the certificate's signature block:
    # kept as they were at approval, so a later change of name or position does not alter an
    # issued certificate.
    approved_by_name = models.CharField(_("approved by (full name)"), max_length=255, blank=True)
    approved_by_position = models.CharField(_("approver's position"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("civil society organisation")
        verbose_name_plural = _("civil society organisations")
        ordering = ["name_th", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["juristic_id"],
                condition=~models.Q(juristic_id=""),
                name="cso_juristic_id_unique",
                violation_error_message=_("This juristic person ID is already registered."),
            ),
            models.CheckConstraint(
                condition=models.Q(registered=True) | models.Q(juristic_id=""),
                name="cso_informal_has_no_juristic_id",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CSOStatus.values),
                name="cso_status_valid",
            ),
            # A draft started from another part than the organisation has no form yet;
            # submitting needs the organisation part complete (rules.part_states).
            models.CheckConstraint(
                condition=models.Q(org_form__in=OrgForm.values)
                | models.Q(org_form="", status=CSOStatus.DRAFT),
                name="cso_org_form_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # The registry's order, for everyone (staff) and for the public (approved only).
            models.Index(fields=["name_th", "id"], name="cso_name_order"),
            models.Index(fields=["status", "name_th", "id"], name="cso_status_name_order"),
            # ?search= matches a juristic ID exactly, ignoring case (the names have trigram
            # indexes, PostgreSQL only: see migration 0003).
            models.Index(Upper("juristic_id"), name="cso_juristic_id_upper"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if get_language() == "en" and self.name_en else self.name_th

    @property
    def years_active(self):
        if not self.founded_year:
            return None
        return max(timezone.localdate().year - self.founded_year, 0)

    @property
    def is_editable(self):
        return self.status in self.EDITABLE


class CSODocument(StoredFile):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration certificate")
        CONSTITUTION = "constitution", _("Constitution or rules")
        ACTIVITY_REPORT = "activity_report", _("Activity report")
        FINANCIAL_STATEMENT = "financial_statement", _("Financial statement")
        OTHER = "other", _("Other")

    cso = models.ForeignKey(CSO, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="cso-documents/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("CSO document")
        verbose_name_plural = _("CSO documents")

    def __str__(self):
        return self.title or self.original_name
