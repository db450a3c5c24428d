"""The invitation email, a Celery task (found by the worker through ``tasks``)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Invitation


def invitation_url(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("invitation-accept", args=[token])


@shared_task(name="portal.tasks.send_invitation_email")
def send_invitation_email(invitation_id: int, token: str, language: str = "th") -> int:
    """Email one invitation, in the inviter's language; the link is built from
    PORTAL_BASE_URL. Nothing is sent for an invitation withdrawn in the meantime."""
    invitation = (
        Invitation.objects.select_related("cso", "agency", "invited_by")
        .filter(pk=invitation_id, revoked_at__isnull=True, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return 0
    with translation.override(language):
        context = {"invitation": invitation, "url": invitation_url(token)}
        subject = render_to_string("invitations/invitation_subject.txt", context).strip()
        body = render_to_string("invitations/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return 1
