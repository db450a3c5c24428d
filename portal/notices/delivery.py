"""Email, a channel of a notice: one Celery task sends one notice's email, once."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notice


@shared_task(bind=True, max_retries=8, name="portal.tasks.send_notice_email")
def send_notice_email(self, notice_id: int) -> int:
    """Email one notice, once. The row is claimed under a lock (pending → sending) so two
    tasks for the same notice send one email; a failure puts it back to pending and retries
    with back-off; the in-app notice exists whatever happens to the email."""
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notice_id, email_status=Notice.Email.PENDING)
            .first()
        )
        if notice is None:
            return 0
        notice.email_status = Notice.Email.SENDING
        notice.email_attempts += 1
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["email_status", "email_attempts", "emailed_at"])
    body = notice.body
    if notice.url:
        body += "\n\n" + settings.PORTAL_BASE_URL.rstrip("/") + notice.url
    try:
        send_mail(notice.subject, body, settings.DEFAULT_FROM_EMAIL, [notice.recipient.email])
    except (OSError, smtplib.SMTPException) as exc:
        final = self.request.retries >= self.max_retries
        Notice.objects.filter(pk=notice_id).update(
            email_status=Notice.Email.FAILED if final else Notice.Email.PENDING
        )
        if final:
            return 0
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 6 * 3600)) from exc
    Notice.objects.filter(pk=notice_id).update(
        email_status=Notice.Email.SENT, emailed_at=timezone.now()
    )
    return 1
