"""Writes for FAQs: suggest, answer and publish, write directly, decline, take down, and
count a view. Status changes are audited."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.rates import spend
from portal.validation import text_field
from portal.workflow import require

from . import notices, permissions
from .models import Faq


def _mission(errors, agency, mission):
    if mission is not None and mission.agency_id != agency.pk:
        errors["mission"] = [_("Choose one of this agency's services.")]
    return mission


def faq_suggest(*, person, agency, mission=None, question: str) -> Faq:
    require(permissions.can_suggest(person))
    errors = {}
    if agency is None:
        errors["agency"] = [_("Choose the agency you ask.")]
    question = text_field(
        errors, {"question": question}, "question", limit=500, missing=_("Write your question.")
    )
    if agency is not None:
        _mission(errors, agency, mission)
    if errors:
        raise ValidationError(errors)
    spend(what="faq_suggest", who=person, rate=settings.FAQ_SUGGESTION_RATE)
    with transaction.atomic():
        faq = Faq.objects.create(
            agency=agency, mission=mission, question=question, suggested_by=person
        )
        audit_record(obj=faq, actor=person, action="faq_suggest", to_status=faq.status)
    return faq


@transaction.atomic
def faq_write(*, officer, agency, mission=None, question: str, answer: str) -> Faq:
    """An officer writes and publishes an FAQ directly."""
    require(permissions.can_manage(officer, agency.pk))
    errors = {}
    question = text_field(
        errors, {"question": question}, "question", limit=500, missing=_("Write the question.")
    )
    answer = text_field(
        errors, {"answer": answer}, "answer", limit=10000, missing=_("Write the answer.")
    )
    _mission(errors, agency, mission)
    if errors:
        raise ValidationError(errors)
    faq = Faq.objects.create(
        agency=agency,
        mission=mission,
        question=question,
        answer=answer,
        status=Faq.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    audit_record(obj=faq, actor=officer, action="publish", to_status=faq.status)
    return faq


def faq_answer(*, officer, faq, question: str, answer: str) -> Faq:
    """Answer (and if need be reword) a suggested question, or change a published answer;
    either way it is published. The suggester is told the first time."""
    with transaction.atomic():
        locked = Faq.objects.select_for_update().select_related("agency").get(pk=faq.pk)
        require(permissions.can_answer(officer, locked))
        errors = {}
        question = text_field(
            errors, {"question": question}, "question", limit=500, missing=_("Write the question.")
        )
        answer = text_field(
            errors, {"answer": answer}, "answer", limit=10000, missing=_("Write the answer.")
        )
        if errors:
            raise ValidationError(errors)
        before = locked.status
        first = locked.published_at is None
        locked.question, locked.answer, locked.status = question, answer, Faq.Status.PUBLISHED
        if first:
            locked.published_at = timezone.now()
        locked.save(update_fields=["question", "answer", "status", "published_at"])
        audit_record(
            obj=locked,
            actor=officer,
            action="publish" if before != Faq.Status.PUBLISHED else "update",
            from_status=before,
            to_status=locked.status,
        )
        if first and before == Faq.Status.SUGGESTED:
            notices.tell_suggester(locked, "faq_answered")
    return locked


def faq_decline(*, officer, faq, reason: str) -> Faq:
    with transaction.atomic():
        locked = Faq.objects.select_for_update().select_related("agency").get(pk=faq.pk)
        require(permissions.can_decline(officer, locked))
        errors = {}
        reason = text_field(errors, {"reason": reason}, "reason", limit=1000, missing=_("Say why."))
        if errors:
            raise ValidationError(errors)
        locked.status, locked.decline_reason = Faq.Status.DECLINED, reason
        locked.save(update_fields=["status", "decline_reason"])
        audit_record(
            obj=locked,
            actor=officer,
            action="decline",
            from_status=Faq.Status.SUGGESTED,
            to_status=locked.status,
            reason=reason,
        )
        notices.tell_suggester(locked, "faq_declined")
    return locked


def faq_unpublish(*, officer, faq, reason: str = "") -> Faq:
    with transaction.atomic():
        locked = Faq.objects.select_for_update().get(pk=faq.pk)
        require(permissions.can_unpublish(officer, locked))
        locked.status = Faq.Status.UNPUBLISHED
        locked.save(update_fields=["status"])
        audit_record(
            obj=locked,
            actor=officer,
            action="unpublish",
            from_status=Faq.Status.PUBLISHED,
            to_status=locked.status,
            reason=reason,
        )
    return locked


def faq_count_view(faq, seen: set) -> bool:
    """Count a reading once per visitor session (``seen`` is the session's set of ids): one
    UPDATE, no read."""
    if faq.pk in seen or faq.status != Faq.Status.PUBLISHED:
        return False
    Faq.objects.filter(pk=faq.pk).update(views=F("views") + 1)
    seen.add(faq.pk)
    return True
