"""CSO registration use cases. Views, API views and commands call these; none of them
changes a status itself."""

from collections.abc import Mapping, Sequence
from typing import TypedDict, Unpack

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.dates import format_year
from portal.models import ActivityField, Province
from portal.roles import CsoRole, Role, has_role
from portal.uploads import check_room, stored_upload
from portal.validation import fields_of, known_codes, name_errors, too_long
from portal.workflow import InvalidTransition, require, run_transition

from . import permissions
from .models import CSO, CSODocument
from .rules import juristic_id_problems, missing_parts

S = CSO.Status

SCALAR_FIELDS = [
    "name_th",
    "name_en",
    "org_form",
    "registered",
    "juristic_id",
    "founded_year",
    "address",
    "contact_email",
    "contact_phone",
    "staff_count",
    "certified_staff_count",
    "networks",
    "track_record",
]
M2M_FIELDS = {"activity_fields": ActivityField, "service_provinces": Province}


class RegistrationFields(TypedDict, total=False):
    """A CSO's answers in its registration; codes refer to the reference tables."""

    name_th: str
    name_en: str
    org_form: str  # CSO.OrgForm
    registered: bool
    juristic_id: str  # 13 digits; dashes and spaces are dropped
    founded_year: int | None  # Common Era
    address: str
    contact_email: str
    contact_phone: str
    staff_count: int | None
    certified_staff_count: int | None
    networks: str
    track_record: str
    activity_fields: Sequence[str]  # ActivityField codes
    service_provinces: Sequence[str]  # Province codes


def _require_editable(user, cso: CSO) -> None:
    """A stranger is refused (PermissionDenied); the organisation's own member is told the
    registration cannot change in its current status (InvalidTransition, API 409)."""
    allowed, reason = permissions.can_edit(user, cso)
    if allowed:
        return
    own = permissions.is_member(user, cso) and has_role(user, Role.CSO_MEMBER)
    if own and not cso.is_editable:
        raise InvalidTransition(reason)
    raise PermissionDenied(reason)


def validate_registration(*, cso: CSO | None, answers: Mapping) -> dict:
    """Check the answers; return them cleaned. Raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(answers)
    for name in SCALAR_FIELDS:
        if name == "juristic_id":  # checked below, once the dashes and spaces are gone
            continue
        limit = CSO._meta.get_field(name).max_length
        value = cleaned.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            errors[name] = [too_long(value, limit)]
    for name, problems in name_errors(cleaned, ["name_th", "name_en"]).items():
        errors.setdefault(name, []).extend(problems)
    registered = cleaned.get("registered", cso.registered if cso else False)
    if "juristic_id" in cleaned or "registered" in cleaned:
        typed = cleaned.get("juristic_id", cso.juristic_id if cso else "")
        jid, problems = juristic_id_problems(typed, registered=registered, cso=cso)
        if problems:
            errors["juristic_id"] = problems
        cleaned["juristic_id"] = jid
    year = cleaned.get("founded_year")
    if year is not None and year != "":
        this_year = timezone.localdate().year
        if not (1800 <= int(year) <= this_year):
            errors["founded_year"] = [
                _("Give a year from %(first)s to %(last)s.")
                % {"first": format_year(1800), "last": format_year(this_year)}
            ]
    staff = cleaned.get("staff_count", cso.staff_count if cso else None)
    certified = cleaned.get("certified_staff_count", cso.certified_staff_count if cso else None)
    if staff is not None and certified is not None and certified > staff:
        errors["certified_staff_count"] = [
            _("Certified staff cannot be more than all staff (%(staff)s).") % {"staff": staff}
        ]
    for name, model in M2M_FIELDS.items():
        if name in cleaned:
            try:
                cleaned[name] = known_codes(model, cleaned[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _apply(cso: CSO, cleaned: dict) -> list[str]:
    changed = []
    for name in SCALAR_FIELDS:
        if name in cleaned:
            value = cleaned[name]
            if value is None and name not in {
                "founded_year",
                "staff_count",
                "certified_staff_count",
            }:
                value = ""
            setattr(cso, name, value)
            changed.append(name)
    return changed


def _save_m2m(cso: CSO, cleaned: dict) -> None:
    for name in M2M_FIELDS:
        if name in cleaned:
            getattr(cso, name).set(cleaned[name])


def _save(cso: CSO, fields=None):
    try:
        with transaction.atomic():
            cso.save(update_fields=fields)
    except IntegrityError as exc:
        # The partial unique index is the last word when two people race for one ID.
        if "juristic" in str(exc):
            raise ValidationError(
                {"juristic_id": [_("This juristic person ID is already registered.")]}
            ) from exc
        raise


def cso_create(*, user, **fields: Unpack[RegistrationFields]) -> CSO:
    """A CSO member starts a registration from whichever part they fill first; the draft is
    theirs to fill in parts, in any order. The Thai name and the organisation form, when
    given, may not be blank; submitting needs them (rules.part_states)."""
    require(permissions.can_create(user))
    cleaned = validate_registration(cso=None, answers=fields_of(RegistrationFields, fields))
    if "name_th" in cleaned and not cleaned["name_th"]:
        raise ValidationError({"name_th": [_("Give the organisation's name in Thai.")]})
    if "org_form" in cleaned and not cleaned["org_form"]:
        raise ValidationError({"org_form": [_("Choose the organisation form.")]})
    with transaction.atomic():
        user_locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user_locked.cso_id:
            raise PermissionDenied(_("Your account already belongs to an organisation."))
        cso = CSO(created_by=user)
        _apply(cso, cleaned)
        _save(cso)
        _save_m2m(cso, cleaned)
        # The person who registers the organisation is its first signatory; the colleagues
        # they invite join as members unless invited as signatories.
        user_locked.cso, user_locked.cso_role = cso, CsoRole.SIGNATORY
        user_locked.save(update_fields=["cso", "cso_role"])
        user.cso, user.cso_role = cso, CsoRole.SIGNATORY
        audit_record(obj=cso, actor=user, action="create", to_status=cso.status)
    return cso


def cso_update(*, cso: CSO, user, **fields: Unpack[RegistrationFields]) -> CSO:
    """Save answers to one part of the registration (draft or changes requested); the
    fields left out keep their values."""
    answers = fields_of(RegistrationFields, fields)
    with transaction.atomic():
        locked = CSO.objects.select_for_update().get(pk=cso.pk)
        _require_editable(user, locked)
        cleaned = validate_registration(cso=locked, answers=answers)
        fields = _apply(locked, cleaned)
        if fields:
            _save(locked, fields + ["updated_at"])
        _save_m2m(locked, cleaned)
    return locked


def cso_submit(*, cso: CSO, user) -> CSO:
    def check(actor, obj):
        allowed, why = permissions.can_submit(actor, obj)
        if allowed and obj.is_editable:
            missing = missing_parts(obj)
            if missing:
                raise ValidationError(
                    {part: [_("Complete this part before you submit.")] for part in missing}
                )
        return allowed, why

    def stamp(obj):
        obj.submitted_at = timezone.now()
        return ["submitted_at"]

    return run_transition(
        instance=cso, target=S.SUBMITTED, actor=user, action="submit", permission=check, apply=stamp
    )


def cso_document_add(*, cso: CSO, user, kind: str, upload, title: str = "") -> CSODocument:
    errors = {}
    if kind not in CSODocument.Kind.values:
        errors["kind"] = [_("Choose the document type.")]
    errors.update(name_errors({"title": title}, ["title"]))
    title = str(title or "").strip()
    if len(title) > 255:  # refused with the limit, never cut
        errors["title"] = [too_long(title, 255)]
    try:
        stored = stored_upload(upload)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CSO.objects.select_for_update().get(pk=cso.pk)
        _require_editable(user, locked)
        check_room(documents=locked.documents.count(), cso_id=locked.pk, size=stored["size"])
        document = CSODocument.objects.create(
            cso=locked, kind=kind, title=title, uploaded_by=user, **stored
        )
    return document


def cso_document_delete(*, document: CSODocument, user) -> None:
    with transaction.atomic():
        locked = CSO.objects.select_for_update().get(pk=document.cso_id)
        _require_editable(user, locked)
        document.file.delete(save=False)
        document.delete()
