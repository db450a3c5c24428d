from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import CSO


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_decision_email(cso_id: int, action: str) -> int:
    """Tell the CSO's members, each in their own language, what the committee decided
    and why. Returns the number of emails sent."""
    cso = CSO.objects.filter(pk=cso_id).first()
    if cso is None:
        return 0
    sent = 0
    for member in cso.members.exclude(email=""):
        with translation.override(member.language or settings.LANGUAGE_CODE):
            context = {"cso": cso, "action": action, "member": member}
            subject = render_to_string("csos/email/decision_subject.txt", context).strip()
            body = render_to_string("csos/email/decision_body.txt", context)
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
    return sent
