from collections.abc import Sequence
from typing import TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.models import ActivityField, Province
from portal.reference import MissionType, ServiceCategory
from portal.validation import fields_of, known_codes, name_errors

from . import permissions
from .models import Mission

FIELDS = ["title_th", "title_en", "description", "service_category", "mission_type"]


class MissionFields(TypedDict, total=False):
    """What an officer says about a mission; codes refer to the reference tables."""

    title_th: str
    title_en: str
    description: str
    service_category: str  # ServiceCategory
    mission_type: str  # MissionType
    activity_field: str  # ActivityField code
    provinces: Sequence[str]  # Province codes
    target_groups: Sequence[str]


def _clean(data: dict, *, creating: bool) -> dict:
    errors = {}
    cleaned = dict(data)
    if (creating or "title_th" in data) and not (data.get("title_th") or "").strip():
        errors["title_th"] = [_("Give the mission's title in Thai.")]
    errors.update(name_errors(data, ["title_th", "title_en"]))
    if (creating or "service_category" in data) and data.get(
        "service_category"
    ) not in ServiceCategory.values:
        errors["service_category"] = [_("Choose a service category.")]
    if (creating or "mission_type" in data) and data.get("mission_type") not in MissionType.values:
        errors["mission_type"] = [_("Choose a mission type.")]
    if creating or "activity_field" in data:
        code = data.get("activity_field")
        if not code or not ActivityField.objects.filter(code=code).exists():
            errors["activity_field"] = [_("Choose an activity field.")]
    if "provinces" in data:
        try:
            cleaned["provinces"] = known_codes(Province, data["provinces"])
        except ValidationError as exc:
            errors["provinces"] = exc.messages
    if "target_groups" in data:
        groups = [str(g).strip() for g in data.get("target_groups") or [] if str(g).strip()]
        if any(len(g) > 200 for g in groups) or len(groups) > 50:
            errors["target_groups"] = [_("Give at most 50 target groups of 200 characters each.")]
        cleaned["target_groups"] = groups
    if errors:
        raise ValidationError(errors)
    return cleaned


def _apply(mission: Mission, cleaned: dict):
    for name in FIELDS:
        if name in cleaned:
            setattr(mission, name, cleaned[name] or "")
    if "activity_field" in cleaned:
        mission.activity_field_id = cleaned["activity_field"]
    if "target_groups" in cleaned:
        mission.target_groups = cleaned["target_groups"]


def mission_create(*, officer, **fields: Unpack[MissionFields]) -> Mission:
    """An officer describes one of the agency's missions: the Thai title, the category, the
    type and the activity field are required."""
    allowed, why = permissions.can_manage_missions(officer, officer.agency)
    if not allowed:
        raise PermissionDenied(why)
    cleaned = _clean(fields_of(MissionFields, fields), creating=True)
    with transaction.atomic():
        mission = Mission(agency=officer.agency)
        _apply(mission, cleaned)
        mission.save()
        mission.provinces.set(cleaned.get("provinces", []))
        audit_record(obj=mission, actor=officer, action="create")
    return mission


def mission_update(*, mission: Mission, officer, **fields: Unpack[MissionFields]) -> Mission:
    """Change the fields given; those left out keep their values."""
    allowed, why = permissions.can_manage_missions(officer, mission.agency)
    if not allowed:
        raise PermissionDenied(why)
    cleaned = _clean(fields_of(MissionFields, fields), creating=False)
    with transaction.atomic():
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        _apply(locked, cleaned)
        locked.save()
        if "provinces" in cleaned:
            locked.provinces.set(cleaned["provinces"])
        audit_record(obj=locked, actor=officer, action="update", data={"fields": sorted(cleaned)})
    return locked
