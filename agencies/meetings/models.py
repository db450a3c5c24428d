from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    HEARING = "hearing", _("Public hearing")
    FOCUS_GROUP = "focus_group", _("Focus group")
    TOWN_HALL = "town_hall", _("Town hall")
    EXPERT_PANEL = "expert_panel", _("Expert panel")
    DIALOGUE = "dialogue", _("Deliberative dialogue")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open for registration")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    Kind = MeetingKind
    Status = MeetingStatus

    TRANSITIONS = {
        MeetingStatus.DRAFT: {MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED},
        MeetingStatus.PUBLISHED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
        MeetingStatus.HELD: set(),
        MeetingStatus.CANCELLED: set(),
    }

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="meetings")
    mission = models.ForeignKey(
        "agencies.Mission",
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
        verbose_name=_("mission"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("what it is about"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=500, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    minutes = models.TextField(_("minutes"), max_length=50000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="meeting_capacity"),
        ]

    def __str__(self):
        return self.title


class Material(models.Model):
    """A document for the meeting: the agenda and papers before it, the slides after it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="meetings/%Y/")
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    Status = RegistrationStatus

    class Need(models.TextChoices):
        SIGN_LANGUAGE = "sign_language", _("Sign language interpreting")
        WHEELCHAIR = "wheelchair", _("Wheelchair access")
        LARGE_PRINT = "large_print", _("Large print or Braille materials")
        HEARING_LOOP = "hearing_loop", _("Hearing loop")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_registrations"
    )
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    needs = models.JSONField(_("accessibility needs"), default=list, blank=True)
    needs_other = models.CharField(_("other needs"), max_length=500, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "id"]
        constraints = [
            # One registration per person and meeting (cancelled ones are registered again
            # by reviving the row).
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_one_registration"),
        ]

    def __str__(self):
        return f"{self.meeting} – {self.person}"

    def need_labels(self) -> list[str]:
        labels = dict(self.Need.choices)
        return [str(labels.get(need, need)) for need in self.needs]
