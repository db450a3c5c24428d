"""An invitation to join an organisation (a CSO) or an agency, sent by email. The token is
in the email only; the table keeps its SHA-256 hash."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    class Kind(models.TextChoices):
        # A CSO's roles, then an agency's.
        MEMBER = "member", _("Member")
        SIGNATORY = "signatory", _("Signatory")
        OFFICER = "officer", _("Officer")
        AGENCY_ADMIN = "agency_admin", _("Agency admin")

    CSO_ROLES = (Kind.MEMBER, Kind.SIGNATORY)
    AGENCY_ROLES = (Kind.OFFICER, Kind.AGENCY_ADMIN)

    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Kind.choices)
    cso = models.ForeignKey(
        "csos.CSO", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(cso__isnull=False, agency__isnull=True) & Q(role__in=["member", "signatory"])
                )
                | (
                    Q(cso__isnull=True, agency__isnull=False)
                    & Q(role__in=["officer", "agency_admin"])
                ),
                name="invitation_to_one_cso_or_agency",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]
        indexes = [
            models.Index(fields=["cso", "-created_at", "-id"]),
            models.Index(fields=["agency", "-created_at", "-id"]),
        ]

    def __str__(self):
        return f"{self.email} ({self.role})"

    @property
    def organisation(self):
        return self.cso if self.cso_id else self.agency
