"""Writes for advisory groups: set up, activate and dissolve a group; members with terms;
meetings with minutes; recommendations and the agency's answer to each. Audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.validation import text_field
from portal.workflow import require, transition_refusal

from . import notices, permissions
from .models import AdvisoryGroup, GroupMeeting, Member, Recommendation

GS = AdvisoryGroup.Status
TRANSITIONS = {GS.DRAFT: {GS.ACTIVE}, GS.ACTIVE: {GS.DISSOLVED}}


def _choice(errors, data, field, choices, default=None):
    value = data.get(field) or default
    if value not in choices.values:
        errors[field] = [_("Choose one of the listed options.")]
    return value


def _locked(group_id) -> AdvisoryGroup:
    return AdvisoryGroup.objects.select_for_update().get(pk=group_id)


@transaction.atomic
def group_create(*, officer, data: dict) -> AdvisoryGroup:
    agency = officer.agency
    require(permissions.can_manage(officer, officer.agency_id))
    errors = {}
    fields = {
        "kind": _choice(errors, data, "kind", AdvisoryGroup.Kind),
        "name": text_field(errors, data, "name", limit=255),
        "purpose": text_field(errors, data, "purpose", limit=10000),
    }
    missions = list(data.get("missions") or [])
    if any(m.agency_id != agency.pk for m in missions):
        errors["missions"] = [_("Choose among your agency's missions.")]
    if errors:
        raise ValidationError(errors)
    group = AdvisoryGroup.objects.create(agency=agency, **fields)
    group.missions.set(missions)
    audit_record(obj=group, actor=officer, action="create", to_status=group.status)
    return group


def _move(group, *, officer, target, action, reason=""):
    with transaction.atomic():
        locked = _locked(group.pk)
        require(permissions.can_manage(officer, locked.agency_id))
        refusal = transition_refusal(
            TRANSITIONS, locked.status, target, label=locked.get_status_display()
        )
        require((refusal is None, refusal))
        before, locked.status = locked.status, target
        locked.save(update_fields=["status"])
        audit_record(
            obj=locked, actor=officer, action=action, from_status=before, to_status=target,
            reason=reason,
        )  # fmt: skip
    return locked


def group_activate(*, officer, group):
    return _move(group, officer=officer, target=GS.ACTIVE, action="publish")


def group_dissolve(*, officer, group, reason: str):
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the group is dissolved.")]})
    return _move(group, officer=officer, target=GS.DISSOLVED, action="dissolve", reason=reason)


def _member_fields(data: dict) -> dict:
    errors = {}
    fields = {
        "name": text_field(errors, data, "name", limit=255),
        "member_type": _choice(errors, data, "member_type", Member.Type),
        "organisation": text_field(errors, data, "organisation", limit=255, required=False),
        "role": _choice(errors, data, "role", Member.Role, Member.Role.MEMBER),
        "term_start": data.get("term_start"),
        "term_end": data.get("term_end"),
    }
    start, end = fields["term_start"], fields["term_end"]
    if not start:
        errors["term_start"] = [_("Give when the term starts.")]
    elif end and end < start:
        errors["term_end"] = [_("The term cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def member_add(*, officer, group, data: dict) -> Member:
    locked = _locked(group.pk)
    require(permissions.can_change(officer, locked))
    fields = _member_fields(data)
    member = Member.objects.create(group=locked, account=data.get("account"), **fields)
    audit_record(obj=locked, actor=officer, action="member_add", data={"member": member.pk})
    return member


@transaction.atomic
def member_change(*, officer, member, data: dict) -> Member:
    """Correct a member's details or end their term (a former member stays on the record)."""
    locked = _locked(member.group_id)
    require(permissions.can_change(officer, locked))
    fields = _member_fields(data)
    member = Member.objects.select_for_update().get(pk=member.pk)
    changed = {f: str(v) for f, v in fields.items() if getattr(member, f) != v}
    for field, value in fields.items():
        setattr(member, field, value)
    member.save(update_fields=list(fields))
    audit_record(
        obj=locked, actor=officer, action="member_change",
        data={"member": member.pk, "changed": changed},
    )  # fmt: skip
    return member


def _meeting_fields(data: dict) -> dict:
    errors = {}
    fields = {
        "agenda": text_field(errors, data, "agenda", limit=5000),
        "minutes": text_field(errors, data, "minutes", limit=50000, required=False),
        "held_on": data.get("held_on"),
        "published": bool(data.get("published")),
    }
    if not fields["held_on"]:
        errors["held_on"] = [_("Give the meeting's date.")]
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def meeting_add(*, officer, group, data: dict) -> GroupMeeting:
    locked = _locked(group.pk)
    require(permissions.can_change(officer, locked))
    meeting = GroupMeeting.objects.create(group=locked, **_meeting_fields(data))
    audit_record(obj=locked, actor=officer, action="meeting_add", data={"meeting": meeting.pk})
    return meeting


@transaction.atomic
def meeting_change(*, officer, meeting, data: dict) -> GroupMeeting:
    """Write or correct the minutes and publish them (often some time after the meeting)."""
    locked = _locked(meeting.group_id)
    require(permissions.can_change(officer, locked))
    fields = _meeting_fields(data)
    meeting = GroupMeeting.objects.select_for_update().get(pk=meeting.pk)
    was_published = meeting.published
    for field, value in fields.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=list(fields))
    audit_record(
        obj=locked, actor=officer, action="meeting_change",
        data={"meeting": meeting.pk, "published": [was_published, meeting.published]},
    )  # fmt: skip
    return meeting


@transaction.atomic
def recommendation_add(*, officer, group, data: dict) -> Recommendation:
    locked = _locked(group.pk)
    require(permissions.can_change(officer, locked))
    errors = {}
    text = text_field(errors, data, "text", limit=5000)
    meeting = data.get("meeting")
    if meeting is not None and meeting.group_id != locked.pk:
        errors["meeting"] = [_("Choose one of this group's meetings.")]
    if errors:
        raise ValidationError(errors)
    made_on = data.get("made_on") or (meeting.held_on if meeting else timezone.localdate())
    rec = Recommendation.objects.create(group=locked, meeting=meeting, text=text, made_on=made_on)
    audit_record(obj=rec, actor=officer, action="create", to_status=rec.answer)
    return rec


def answer_recommendation(*, model, pk, officer, answer: str, explanation: str):
    """Record the agency's answer to a recommendation of ``model`` (an advisory group's, a
    citizens' assembly's, a user committee's: each has answer, explanation, answered_on),
    audited; changed later if need be. The caller has asked who may answer and holds the
    lock of the body the recommendation belongs to."""
    Answer = Recommendation.Answer
    rec = model.objects.select_for_update().get(pk=pk)
    errors = {}
    if answer not in Answer.values or answer == Answer.PENDING:
        errors["answer"] = [_("Choose the agency's answer.")]
    explanation = text_field(errors, {"explanation": explanation}, "explanation", limit=5000)
    if errors:
        raise ValidationError(errors)
    before = rec.answer
    rec.answer, rec.explanation, rec.answered_on = answer, explanation, timezone.localdate()
    rec.save(update_fields=["answer", "explanation", "answered_on"])
    audit_record(
        obj=rec, actor=officer, action="recommendation_answer", from_status=before,
        to_status=answer, reason=explanation,
    )  # fmt: skip
    return rec


def recommendation_answer(*, officer, recommendation, answer: str, explanation: str):
    """The agency's answer (changed later if need be, each change audited); the group's
    members with an account are told."""
    with transaction.atomic():
        group = _locked(recommendation.group_id)
        require(permissions.can_manage(officer, group.agency_id))
        rec = answer_recommendation(
            model=Recommendation, pk=recommendation.pk, officer=officer, answer=answer,
            explanation=explanation,
        )  # fmt: skip
        notices.tell_members(rec)
    return rec
