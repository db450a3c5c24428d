"""The notices' records: the kinds' settings, each notice sent, each person's choices. The
app's ``portal.models`` re-exports them (app label ``portal``)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS


class NoticeKind(models.Model):
    """Each kind of notice and its lead time, which the staff admin can change here. The
    kinds themselves are defined in code (each app's ``notices.py`` registers them in
    ``portal.notices.kinds``); these rows hold the settings."""

    code = models.CharField(_("code"), max_length=48, primary_key=True)
    lead_days = models.PositiveSmallIntegerField(
        _("lead time (days)"),
        help_text=_("Days before a due date (or after it, for an overdue notice)."),
    )
    active = models.BooleanField(_("sent"), default=True)

    class Meta:
        verbose_name = _("kind of notice")
        verbose_name_plural = _("kinds of notice")
        ordering = ["code"]

    def __str__(self):
        kind = KINDS.get(self.code)
        return str(kind.label) if kind else self.code


class Notice(models.Model):
    """One notice to one person, recorded once: ``key`` is unique per (kind, object, due
    date, recipient), so a sweep that runs twice, overlapping sweeps and retried tasks
    cannot record it twice. Email is a channel of the notice, tracked here."""

    class Email(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        OFF = "off", _("Not emailed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=48, db_index=True)
    key = models.CharField(max_length=255, unique=True)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    url = models.CharField(max_length=500, blank=True)
    in_app = models.BooleanField(_("shown in the portal"), default=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(max_length=16, choices=Email.choices, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["email_status", "created_at"]),
            # The sweep's "already told": a rule leaves out what has its notice.
            models.Index(fields=["content_type", "object_id", "kind"], name="notice_object_kind"),
        ]

    def __str__(self):
        return self.subject


class NoticePreference(models.Model):
    """A person's choice per kind of notice: email on or off, and the in-app notice on or
    off except for legal deadlines, whose in-app notice cannot be turned off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(max_length=48)
    email = models.BooleanField(_("by email"), default=True)
    in_app = models.BooleanField(_("in the portal"), default=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once")
        ]

    def __str__(self):
        return f"{self.user_id}:{self.kind}"
