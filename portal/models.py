import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .dates import format_be
from .invitations.models import Invitation
from .notices.models import Notice, NoticeKind, NoticePreference
from .reference import PROVINCE_REGION
from .roles import CsoRole, Role


class NamedReference(models.Model):
    """A reference row: a stable code and its Thai and English names."""

    code = models.CharField(_("code"), max_length=64, primary_key=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if get_language() == "en" else self.name_th


class Province(NamedReference):
    """The 77 provinces, keyed by their DOPA code ("10" is Bangkok)."""

    class Meta(NamedReference.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    @property
    def region(self) -> str:
        """Its geographical region's code (portal.reference.Region), from the reference
        data: the grouping never changes, so it is not a column to keep in step."""
        return PROVINCE_REGION.get(self.code, "")


class ActivityField(NamedReference):
    class Meta(NamedReference.Meta):
        verbose_name = _("activity field")
        verbose_name_plural = _("activity fields")


class Bank(NamedReference):
    """A Thai bank a CSO is paid through, keyed by its three-digit bank code ("002" is
    Bangkok Bank), with the lengths an account number has there (digits only)."""

    account_lengths = models.JSONField(_("account number lengths"), default=list)

    class Meta(NamedReference.Meta):
        verbose_name = _("bank")
        verbose_name_plural = _("banks")

    def __str__(self):
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    cso = models.ForeignKey(
        "csos.CSO",
        verbose_name=_("civil society organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    cso_role = models.CharField(
        _("role in the organisation"),
        max_length=16,
        choices=CsoRole.choices,
        default=CsoRole.MEMBER,
        help_text=_("Only a signatory signs agreements for the organisation."),
    )
    agency_admin = models.BooleanField(
        _("agency admin"),
        default=False,
        help_text=_("An agency admin invites the agency's officers."),
    )
    complaints_officer = models.BooleanField(
        _("complaints officer"),
        default=False,
        help_text=_(
            "An agency's complaints officer verifies citizens' grievances and routes them "
            "to the agency responsible, as staff administrators do."
        ),
    )
    language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="th"
    )
    # Printed under a signature: the committee reviewer's on a certificate, the agency
    # signatory's on an agreement.
    position = models.CharField(
        _("position"),
        max_length=255,
        blank=True,
        help_text=_("Job title, as printed under a signature on certificates and agreements."),
    )

    # Set when a self-registered citizen follows the signed link emailed to them.
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows.all())

    def display_name(self):
        return self.get_full_name() or self.username


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="userrole_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="userrole_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class ApiClient(models.Model):
    """Another government system. Its account holds the api_client role and these scopes."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        PAYMENTS = "payments", _("Record payments")
        REPORTS = "reports", _("Reports")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="api_client")
    name = models.CharField(_("system name"), max_length=200)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    token_issued_at = models.DateTimeField(_("token issued at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ApiRequestLog(models.Model):
    """One row per request an API client made: which endpoint, the answer and how long it
    took. Other callers' requests are not logged here."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("API client"), on_delete=models.PROTECT, related_name="requests"
    )
    at = models.DateTimeField(_("time"))
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("endpoint"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API request log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client", "-at"], name="apirequestlog_client_at"),
            models.Index(fields=["-at"], name="apirequestlog_at"),
        ]

    def __str__(self):
        return f"{self.method} {self.path} {self.status_code}"


class StoredFile(models.Model):
    """What every uploaded document keeps besides its file: the type found in its content,
    its size, the name it was sent with, who sent it and when (see portal.uploads)."""

    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]


class AuditLog(models.Model):
    """One row for every status change and money movement: who, when, from, to, why."""

    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=64)
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.action} {self.from_status}→{self.to_status}"

    ACTION_LABELS = {
        "create": _("Created"),
        "update": _("Changed"),
        "sign_up": _("Signed up"),
        "submit": _("Submitted"),
        "approve": _("Approved"),
        "request_changes": _("Changes requested"),
        "reject": _("Rejected"),
        "suspend": _("Suspended"),
        "reinstate": _("Reinstated"),
        "publish": _("Published"),
        "forecast": _("Published as a forecast"),
        "amend": _("Changed by an addendum"),
        "question_ask": _("Question asked"),
        "question_answer": _("Question answered"),
        "answer_expense": _("Question about an expense answered"),
        "add_evidence": _("Photo or document attached"),
        "remove_evidence": _("Photo or document removed"),
        "request_payment": _("Payment requested"),
        "approve_payment_request": _("Payment request approved"),
        "return_payment_request": _("Payment request returned"),
        "decide_batch": _("Several proposals decided in one step"),
        "submit_concept": _("Concept note sent"),
        "invite_full": _("Invited to a full proposal"),
        "decline_concept": _("Concept note declined"),
        "request_information": _("More information requested"),
        "resubmit": _("Sent again with the answer"),
        "cancel_information_request": _("Questions withdrawn"),
        "propose_variation": _("Variation proposed"),
        "agree_variation": _("Variation agreed"),
        "decline_variation": _("Variation declined"),
        "withdraw_variation": _("Variation withdrawn"),
        "vary": _("Varied"),
        "replan": _("Re-planned"),
        "record_expense": _("Expense recorded"),
        "delete_expense": _("Expense removed"),
        "check_expense": _("Expense checked"),
        "answer_concepts": _("Several concept notes answered in one step"),
        "close": _("Closed"),
        "cancel": _("Cancelled"),
        "award": _("Awarded"),
        "assign_evaluators": _("Evaluators assigned"),
        "withdraw": _("Withdrawn"),
        "delete_draft": _("Draft deleted"),
        "shortlist": _("Shortlisted"),
        "schedule_presentation": _("Presentation scheduled"),
        "mark_presented": _("Presented"),
        "select": _("Selected"),
        "recuse": _("Recused"),
        # agreements
        "sign": _("Signed"),
        "decline": _("Declined"),
        "co_design": _("Service design changed"),
        "start_delivery": _("Delivery started"),
        "complete": _("Delivery completed"),
        "settlement": _("Settlement stated"),
        "settle": _("Settled"),
        "terminate": _("Terminated"),
        "end_notice": _("End notice given"),
        "renew": _("Renewed"),
        "reschedule": _("Rescheduled"),
        "plan_evaluation": _("Evaluation planned"),
        # people
        "deactivate": _("Deactivated"),
        "reactivate": _("Reactivated"),
        "accept": _("Accepted"),
        "return": _("Returned"),
        "evaluate": _("Evaluation recorded"),
        # citizens' feedback
        "charter_edit": _("Citizen charter changed"),
        "charter_agree": _("Citizen charter agreed"),
        "survey_dimensions": _("Survey questions changed"),
        "hide_comment": _("Comment hidden"),
        "restore_comment": _("Comment shown again"),
        # money
        "release": _("Released"),
        "pay": _("Paid"),
        "settlement_restated": _("Settlement restated after a payment"),
        "bank_account_change": _("Bank account changed"),
        # accounts and colleagues
        "invite": _("Invited"),
        "password_change": _("Password changed"),
        "password_reset": _("Password reset"),
        "signin_locked": _("Sign-in locked after failed tries"),
        "signin_lock_lifted": _("Sign-in lock lifted"),
        "token_created": _("API token made"),
        "token_revoked": _("API token revoked"),
        # two-factor sign-in (portal/twofactor/)
        "two_factor_enrol": _("Two-factor sign-in turned on"),
        "two_factor_disable": _("Two-factor sign-in turned off"),
        "two_factor_codes_regenerate": _("New recovery codes made"),
        "two_factor_recovery_code_used": _("Signed in with a recovery code"),
        "two_factor_reset": _("Two-factor sign-in reset by staff"),
        # public meetings
        "meeting_register": _("Registered for a meeting"),
        "meeting_cancel_registration": _("Meeting registration cancelled"),
        "meeting_moved_up": _("Registered and moved up from the waiting list"),
        "meeting_held": _("Meeting held, minutes published"),
        # API clients
        "rotate_token": _("Token rotated"),
        "revoke": _("Access revoked"),
        # public holidays
        "remove_holiday": _("Holiday removed"),
        # grievances
        "file_grievance": _("Grievance filed"),
        "route": _("Routed"),
        "respond": _("Answered"),
        "citizen_reply": _("Citizen replied"),
        "citizen_resolved": _("Citizen said whether it was resolved"),
        "merge": _("Merged into another"),
        "auto_close": _("Closed after 10 quiet working days"),
        "erase_personal_data": _("Personal data erased"),
        "email_verified": _("Email address verified"),
        "faq_suggest": _("Question suggested"),
        "dissolve": _("Dissolved"),
        "member_add": _("Member added"),
        "member_change": _("Member's details or term changed"),
        "network_apply": _("Applied to join the network"),
        "network_propose": _("Proposed as a network member"),
        "network_certify": _("Network membership certified"),
        "network_end": _("Network membership ended"),
        "network_role": _("Network role changed"),
        "network_order": _("Governor's appointment order recorded"),
        "network_group_set_up": _("Network committee or sub-network set up"),
        "network_group_change": _("Network committee or sub-network changed"),
        "network_seat": _("Seated on a network committee or sub-network"),
        "network_seat_end": _("Seat on a network committee or sub-network ended"),
        "network_meeting": _("Network meeting recorded"),
        "issue_raise": _("Local issue raised"),
        "issue_plan": _("Goals and approach agreed"),
        "issue_close": _("Local issue closed"),
        "issue_contract": _("Action contract drawn up"),
        "contract_party_add": _("Party added to the action contract"),
        "contract_party_remove": _("Party removed from the action contract"),
        "contract_sign": _("A party signed the action contract"),
        "contract_signed": _("Action contract signed by every party"),
        "contract_progress": _("Progress reported on the action contract"),
        "contract_plan": _("Action contract recorded in the provincial plan"),
        "committee_set_up": _("User management committee set up"),
        "committee_change": _("User management committee changed"),
        "committee_member_add": _("Committee member added"),
        "committee_meeting_add": _("Committee meeting recorded"),
        "committee_recommendation_add": _("Committee recommendation recorded"),
        "ogp_commitment_add": _("Open government plan: commitment added"),
        "ogp_progress": _("Open government plan: milestone progress reported"),
        "assembly_draw": _("Assembly: members drawn by lot"),
        "assembly_withdraw": _("Assembly: a volunteer withdrew"),
        "assembly_reserve_in": _("Assembly: a reserve took a seat"),
        "assembly_seat_empty": _("Assembly: a seat left empty (no reserve)"),
        "assembly_meeting": _("Assembly: first session held"),
        "assembly_recommendation": _("Assembly: recommendation recorded"),
        "assembly_report": _("Assembly: reported"),
        "budget_start_review": _("Budget round: ideas closed, feasibility checked"),
        "budget_start_voting": _("Budget round: vote opened"),
        "budget_feasibility": _("Project's feasibility decided"),
        "budget_results": _("Budget round: vote counted, results published"),
        "budget_delivery": _("Project's delivery updated"),
        "meeting_add": _("Meeting recorded"),
        "meeting_change": _("Meeting's minutes changed"),
        "meeting_material_add": _("Meeting document added"),
        "meeting_material_remove": _("Meeting document removed"),
        "recommendation_answer": _("Recommendation answered"),
        "unpublish": _("Taken down"),
        # Consultations (agencies/consultations).
        "report": _("Response report published"),
        "document_add": _("Document added"),
        "panel_add": _("Invited to the panel"),
        "response_sent": _("Answers sent"),
        "contribute": _("Contribution posted"),
        "meeting_input": _("Input from a meeting entered"),
        "contribution_flag": _("Contribution reported"),
        "contribution_hide": _("Contribution hidden by a moderator"),
        "contribution_restore": _("Contribution shown again"),
        "contribution_approve": _("Contribution approved"),
        "contribution_flags_dismissed": _("Reports dismissed"),
        "contribution_withdraw": _("Contribution deleted by its author"),
        "contribution_anonymise": _("Contribution anonymised"),
        "report_save": _("Response report saved"),
    }
    # Where one code means something else on one kind of record (the model's name).
    MODEL_ACTION_LABELS = {
        ("invitation", "accept"): _("Invitation accepted"),
        ("invitation", "revoke"): _("Invitation withdrawn"),
    }

    @property
    def action_label(self):
        """The action in the reader's language; never the code itself (a test checks that
        every code the services write has a label)."""
        model = self.content_type.model if self.content_type_id else ""
        label = self.MODEL_ACTION_LABELS.get((model, self.action))
        return label or self.ACTION_LABELS.get(self.action, self.action)

    def _status_label(self, code):
        status_choices = getattr(self.content_type.model_class(), "Status", None)
        if code and status_choices is not None and code in status_choices.values:
            return status_choices(code).label
        return code

    def _date_label(self, key):
        """A rescheduled item's dates (``data["from"]``, ``data["to"]``), in B.E."""
        try:
            return format_be(datetime.date.fromisoformat(self.data[key]))
        except (KeyError, TypeError, ValueError):
            return ""

    @property
    def from_label(self):
        if self.action == "reschedule":
            return self._date_label("from")
        return self._status_label(self.from_status)

    @property
    def to_label(self):
        if self.action == "reschedule":
            return self._date_label("to")
        return self._status_label(self.to_status)


class IdempotencyRecord(models.Model):
    """The first answer to a write that moves money, kept by (caller, key): a replay with
    the same key and body gets it again and changes nothing; another body is a conflict."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"


__all__ = [
    "ActivityField",
    "ApiClient",
    "ApiRequestLog",
    "PublicHoliday",
    "AuditLog",
    "IdempotencyRecord",
    "NamedReference",
    "Invitation",
    "Notice",
    "NoticeKind",
    "NoticePreference",
    "Province",
    "StoredFile",
    "User",
    "UserRole",
]


class PublicHoliday(models.Model):
    """A day off the staff add to the Thai calendar of the ``holidays`` package: a
    substitution day or a special holiday the cabinet announces. Working days
    (portal.working_days) skip both."""

    day = models.DateField(_("date"), unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays (added by staff)")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name_th}"


class TaskRun(models.Model):
    """When a background job last finished (the deadline sweep, the retention purge): the
    health check and the staff's dashboard read it to notice a beat that stopped."""

    name = models.CharField(max_length=64, unique=True)
    finished_at = models.DateTimeField()

    class Meta:
        verbose_name = _("background job run")
        verbose_name_plural = _("background job runs")

    def __str__(self):
        return f"{self.name} {self.finished_at:%Y-%m-%d %H:%M}"
