"""Writes for user management committees: set one up, members with terms, meetings with
minutes and decisions, recommendations and the agency's answer to each. Audited on the
agreement; the agreement's row is locked first."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.advisory.services import answer_recommendation
from contracts.agreements.models import Agreement
from portal.audit import audit_record
from portal.validation import text_field
from portal.workflow import require

from . import permissions
from .models import CommitteeMeeting, CommitteeMember, CommitteeRecommendation, UserCommittee


def _locked(agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def committee_set_up(*, officer, agreement, purpose: str) -> UserCommittee:
    with transaction.atomic():
        locked = _locked(agreement)
        require(permissions.can_manage(officer, locked))
        errors = {}
        purpose = text_field(errors, {"purpose": purpose}, "purpose", limit=5000)
        if errors:
            raise ValidationError(errors)
        committee, created = UserCommittee.objects.update_or_create(
            agreement=locked, defaults={"purpose": purpose}
        )
        audit_record(
            obj=locked, actor=officer,
            action="committee_set_up" if created else "committee_change",
        )  # fmt: skip
    return committee


def _committee(officer, agreement):
    locked = _locked(agreement)
    require(permissions.can_manage(officer, locked))
    committee = UserCommittee.objects.filter(agreement=locked).first()
    if committee is None:
        raise ValidationError(_("Set up the committee first."))
    return locked, committee


def member_add(*, officer, agreement, data: dict) -> CommitteeMember:
    with transaction.atomic():
        locked, committee = _committee(officer, agreement)
        errors = {}
        name = text_field(errors, data, "name", limit=255)
        side = data.get("side")
        if side not in CommitteeMember.Side.values:
            errors["side"] = [_("Say whether they are a service user, the agency or the CSO.")]
        start, end = data.get("term_start"), data.get("term_end")
        if not start:
            errors["term_start"] = [_("Give when the term starts.")]
        elif end and end < start:
            errors["term_end"] = [_("The term cannot end before it starts.")]
        if errors:
            raise ValidationError(errors)
        member = CommitteeMember.objects.create(
            committee=committee, name=name, side=side, is_chair=bool(data.get("is_chair")),
            term_start=start, term_end=end,
        )  # fmt: skip
        audit_record(obj=locked, actor=officer, action="committee_member_add", data={"side": side})
    return member


def meeting_add(*, officer, agreement, data: dict) -> CommitteeMeeting:
    with transaction.atomic():
        locked, committee = _committee(officer, agreement)
        errors = {}
        minutes = text_field(errors, data, "minutes", limit=20000)
        decisions = text_field(errors, data, "decisions", limit=5000, required=False)
        if not data.get("held_on"):
            errors["held_on"] = [_("Give the meeting's date.")]
        elif data["held_on"] > timezone.localdate():
            errors["held_on"] = [_("Record a meeting once it has taken place.")]
        if errors:
            raise ValidationError(errors)
        meeting = CommitteeMeeting.objects.create(
            committee=committee, held_on=data["held_on"], minutes=minutes, decisions=decisions
        )
        audit_record(obj=locked, actor=officer, action="committee_meeting_add")
    return meeting


def recommendation_add(*, officer, agreement, data: dict) -> CommitteeRecommendation:
    with transaction.atomic():
        locked, committee = _committee(officer, agreement)
        errors = {}
        text = text_field(errors, data, "text", limit=5000)
        if errors:
            raise ValidationError(errors)
        rec = CommitteeRecommendation.objects.create(
            committee=committee, text=text, made_on=data.get("made_on") or timezone.localdate()
        )
        audit_record(obj=locked, actor=officer, action="committee_recommendation_add")
    return rec


def recommendation_answer(*, officer, recommendation, answer: str, explanation: str):
    with transaction.atomic():
        locked = _locked(recommendation.committee.agreement)
        require(permissions.can_manage(officer, locked))
        return answer_recommendation(
            model=CommitteeRecommendation, pk=recommendation.pk, officer=officer, answer=answer,
            explanation=explanation,
        )  # fmt: skip
