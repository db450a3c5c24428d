"""Organising a meeting and taking part in it. Registration locks the meeting's row, so its
places are never given out twice; a cancellation moves the first person waiting up."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.uploads import check_upload
from portal.validation import hidden_character_problems, text_field
from portal.workflow import AlreadyDone, require, run_transition

from . import notices
from .models import Material, Meeting, Registration
from .permissions import can_add_material, can_manage_meeting, can_register

MS = Meeting.Status
RS = Registration.Status
FIELDS = ("kind", "title", "description", "starts_at", "ends_at", "place", "online_url",
          "capacity", "mission")  # fmt: skip


def _clean(data: dict, *, agency_id: int) -> dict:
    errors: dict[str, list] = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = [_("Give the meeting a title.")]
    elif problems := hidden_character_problems(title):
        errors["title"] = problems
    if data.get("kind") not in Meeting.Kind.values:
        errors["kind"] = [_("Choose what kind of meeting it is.")]
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not starts:
        errors["starts_at"] = [_("Give when it starts.")]
    elif starts <= timezone.now():
        errors["starts_at"] = [_("A meeting is planned for a time still to come.")]
    if not ends:
        errors["ends_at"] = [_("Give when it ends.")]
    elif starts and ends <= starts:
        errors["ends_at"] = [_("It must end after it starts.")]
    if not (data.get("place") or "").strip() and not (data.get("online_url") or "").strip():
        errors["place"] = [_("Give a place, an online link, or both.")]
    capacity = data.get("capacity")
    if not capacity or capacity < 1:
        errors["capacity"] = [_("Give how many people it has room for (at least 1).")]
    mission = data.get("mission")
    if mission is not None and mission.agency_id != agency_id:
        errors["mission"] = [_("Choose one of your agency's missions.")]
    if errors:
        raise ValidationError(errors)
    return {**{f: data.get(f) for f in FIELDS}, "title": title}


def meeting_create(*, officer, **data) -> Meeting:
    require(can_manage_meeting(officer, officer.agency_id))
    fields = _clean(data, agency_id=officer.agency_id)
    with transaction.atomic():
        meeting = Meeting.objects.create(agency_id=officer.agency_id, created_by=officer, **fields)
        audit_record(obj=meeting, actor=officer, action="create", to_status=MS.DRAFT)
    return meeting


def _manage(actor, meeting):
    return can_manage_meeting(actor, meeting.agency_id)


def meeting_publish(*, meeting: Meeting, officer) -> Meeting:
    return run_transition(
        instance=meeting, target=MS.PUBLISHED, actor=officer, action="publish", permission=_manage
    )


def meeting_cancel(*, meeting: Meeting, officer, reason: str) -> Meeting:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason; those registered will read it.")]})
    meeting = run_transition(
        instance=meeting,
        target=MS.CANCELLED,
        actor=officer,
        action="cancel",
        permission=_manage,
        reason=reason,
    )
    people = [
        r.person
        for r in meeting.registrations.exclude(status=RS.CANCELLED).select_related("person")
    ]
    notices.tell_cancelled(meeting, people, reason)
    return meeting


def meeting_record(*, meeting: Meeting, officer, minutes: str, attended: list[int]) -> Meeting:
    """After the meeting: who came (registration ids) and the minutes, published."""
    if meeting.starts_at > timezone.now():
        raise ValidationError({"minutes": [_("Record the meeting once it has taken place.")]})

    def apply(locked):
        locked.minutes = (minutes or "").strip()
        came = set(attended or [])
        for registration in locked.registrations.filter(status=RS.REGISTERED):
            registration.attended = registration.pk in came
            registration.save(update_fields=["attended"])
        return ["minutes"]

    return run_transition(
        instance=meeting,
        target=MS.HELD,
        actor=officer,
        action="meeting_held",
        permission=_manage,
        apply=apply,
        data={"attended": len(set(attended or []))},
    )


def _clean_needs(needs, other: str) -> tuple[list[str], str]:
    needs = [n for n in (needs or []) if n in Registration.Need.values]
    other = (other or "").strip()
    if len(other) > 500:
        raise ValidationError({"needs_other": [_("Keep it within 500 characters.")]})
    return sorted(set(needs)), other


def register(*, meeting: Meeting, person, needs=(), needs_other: str = "") -> Registration:
    """A place if one is left, else the waiting list. Once per person and meeting."""
    needs, needs_other = _clean_needs(needs, needs_other)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require(can_register(person, locked))
        existing = Registration.objects.filter(meeting=locked, person=person).first()
        if existing is not None and existing.status != RS.CANCELLED:
            require((False, AlreadyDone(_("You have already registered for this meeting."))))
        taken = locked.registrations.filter(status=RS.REGISTERED).count()
        status = RS.REGISTERED if taken < locked.capacity else RS.WAITING
        if existing is None:
            registration = Registration.objects.create(
                meeting=locked, person=person, status=status, needs=needs, needs_other=needs_other
            )
        else:
            registration = existing
            registration.status, registration.needs = status, needs
            registration.needs_other = needs_other
            registration.registered_at = timezone.now()
            registration.save()
        audit_record(obj=registration, actor=person, action="meeting_register", to_status=status)
    return registration


def cancel_registration(*, meeting: Meeting, person) -> Registration:
    """Give up a place (or leave the waiting list); the first person waiting gets the place
    and is told."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        registration = (
            Registration.objects.select_for_update()
            .filter(meeting=locked, person=person)
            .exclude(status=RS.CANCELLED)
            .first()
        )
        if registration is None:
            require((False, AlreadyDone(_("You are not registered for this meeting."))))
        was = registration.status
        registration.status = RS.CANCELLED
        registration.save(update_fields=["status"])
        audit_record(
            obj=registration, actor=person, action="meeting_cancel_registration",
            from_status=was, to_status=RS.CANCELLED,
        )  # fmt: skip
        promoted = None
        if was == RS.REGISTERED and locked.status == MS.PUBLISHED:
            promoted = (
                locked.registrations.select_for_update()
                .filter(status=RS.WAITING)
                .order_by("registered_at", "id")
                .first()
            )
            if promoted is not None:
                promoted.status = RS.REGISTERED
                promoted.save(update_fields=["status"])
                audit_record(
                    obj=promoted, actor=None, action="meeting_moved_up",
                    from_status=RS.WAITING, to_status=RS.REGISTERED,
                )  # fmt: skip
                notices.tell_moved_up(locked, promoted.person)
    return registration


def material_add(*, officer, meeting: Meeting, title: str, upload) -> Material:
    """A PDF for the meeting (agenda, papers, slides), public with the meeting."""
    errors: dict[str, list] = {}
    title = text_field(errors, {"title": title}, "title", limit=255)
    try:
        if check_upload(upload) != "application/pdf":
            errors["file"] = [_("The document must be a PDF.")]
    except ValidationError as exc:
        errors["file"] = exc.messages
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require(can_add_material(officer, locked))
        if errors:
            raise ValidationError(errors)
        material = Material.objects.create(
            meeting=locked, title=title, file=upload, size=upload.size, added_by=officer
        )
        audit_record(
            obj=locked, actor=officer, action="meeting_material_add",
            data={"material": material.pk, "title": title},
        )  # fmt: skip
    return material


def material_remove(*, officer, material: Material) -> None:
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=material.meeting_id)
        require(can_add_material(officer, locked))
        audit_record(
            obj=locked, actor=officer, action="meeting_material_remove",
            data={"material": material.pk, "title": material.title},
        )  # fmt: skip
        name, storage = material.file.name, material.file.storage
        material.delete()
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))
