"""The verification email, a Celery task."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .tokens import make_token


def verification_url(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("verify-email", args=[token])


@shared_task(name="portal.tasks.send_verification_email")
def send_verification_email(user_id: int, language: str = "th") -> int:
    """Email the link to the account's current address (nothing once it is verified)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified_at is not None or not user.email:
        return 0
    with translation.override(language):
        context = {
            "user": user,
            "url": verification_url(make_token(user)),
            "days": settings.EMAIL_VERIFICATION_DAYS,
        }
        subject = render_to_string("verification/email_subject.txt", context).strip()
        body = render_to_string("verification/email_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return 1
