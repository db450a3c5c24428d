from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_proposal_email(proposal_id: int, kind: str) -> int:
    """Tell the CSO's members, each in their own language, that their proposal was received
    (with its reference number), that a presentation was scheduled, or what was decided.
    Returns the number of emails sent."""
    from .models import Proposal

    proposal = Proposal.objects.select_related("call", "cso").filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    sent = 0
    for member in proposal.cso.members.exclude(email=""):
        with translation.override(member.language or settings.LANGUAGE_CODE):
            context = {"proposal": proposal, "kind": kind, "member": member}
            subject = render_to_string("contracts/email/proposal_subject.txt", context).strip()
            body = render_to_string("contracts/email/proposal_body.txt", context)
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
    return sent


@shared_task
def close_due_calls() -> int:
    """Close every published call whose closing time has passed (Celery beat)."""
    from .services import call_close_due

    return call_close_due()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_agreement_email(agreement_id: int, kind: str, extra: dict | None = None) -> int:
    """Tell the CSO's members what happened to their agreement: an offer to sign, a tranche
    released or paid, a report returned, an end notice, a termination."""
    from .models import Agreement

    agreement = Agreement.objects.select_related("cso", "agency").filter(pk=agreement_id).first()
    if agreement is None:
        return 0
    sent = 0
    for member in agreement.cso.members.exclude(email=""):
        with translation.override(member.language or settings.LANGUAGE_CODE):
            context = {"agreement": agreement, "kind": kind, "extra": extra or {}}
            subject = render_to_string("contracts/email/agreement_subject.txt", context).strip()
            body = render_to_string("contracts/email/agreement_body.txt", context)
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
    return sent
