"""The citizen's emails: when their grievance is received, routed, rejected, answered or
closed, to the address they gave (a phone number gets none: the portal sends no SMS). The
address is read when the email goes, never logged, and the email names only their own
grievance. Queued by the services on commit."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.grievances.models import Grievance
from assessments.grievances.rules import contact_email

EVENTS = {"received", "routed", "rejected", "responded", "closed"}


def _text(grievance, event) -> tuple[str, str]:
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "grievance-status", args=[grievance.tracking_id]
    )
    subject = _("Your grievance %(id)s: %(status)s") % {
        "id": grievance.tracking_id,
        "status": grievance.get_status_display(),
    }
    lines = [subject, "", grievance.title]
    if event == "rejected":
        lines += ["", grievance.reject_reason]
    if event == "responded":
        lines += ["", _("The agency's answer:"), grievance.response]
        lines += ["", _("Was this resolved? Tell us on the status page, or reply to it there.")]
    lines += ["", _("Follow it here: %(link)s") % {"link": link}]
    return subject, "\n".join(lines)


@shared_task(bind=True, max_retries=5, name="assessments.grievances.send_citizen_email")
def send_citizen_email(self, grievance_id: int, event: str) -> int:
    grievance = Grievance.objects.filter(pk=grievance_id).first()
    if grievance is None or event not in EVENTS:
        return 0
    address = contact_email(grievance)
    if not address:
        return 0
    parts = []
    for language in ("th", "en"):
        with translation.override(language):
            parts.append(_text(grievance, event))
    subject = parts[0][0][:255]
    body = parts[0][1] + "\n\n——\n\n" + parts[1][1]
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except (OSError, smtplib.SMTPException) as exc:
        if self.request.retries >= self.max_retries:
            return 0
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
    return 1
