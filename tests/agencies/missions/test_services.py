"""Missions: the registry count behind the suitability advice, and who may add or change a
mission."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.missions import selectors, services
from agencies.models import Mission
from csos.models import CSO
from portal.models import AuditLog
from tests.factories import (
    AgencyFactory,
    CSOFactory,
    MemberFactory,
    MissionFactory,
    OfficerFactory,
    ReviewerFactory,
    StaffAdminFactory,
)

# --- capable_cso_count ----------------------------------------------------------------


def _cso(status, fields, provinces):
    return CSOFactory(status=status, activity_fields=fields, service_provinces=provinces)


@pytest.fixture
def registry(db):
    """Approved and other CSOs around a social-services mission in Bangkok (10) and
    Chiang Mai (50)."""
    return {
        "bangkok": _cso(CSO.Status.APPROVED, ["social_services"], ["10"]),
        "both": _cso(CSO.Status.APPROVED, ["social_services", "health"], ["10", "50"]),
        "korat_only": _cso(CSO.Status.APPROVED, ["social_services"], ["30"]),
        "other_field": _cso(CSO.Status.APPROVED, ["health"], ["10"]),
        "submitted": _cso(CSO.Status.SUBMITTED, ["social_services"], ["10"]),
        "draft": _cso(CSO.Status.DRAFT, ["social_services"], ["50"]),
        "suspended": _cso(CSO.Status.SUSPENDED, ["social_services"], ["10"]),
        "rejected": _cso(CSO.Status.REJECTED, ["social_services"], ["10"]),
    }


def _count(mission):
    """The count as the detail page (no annotation) and as the list (annotated) give it."""
    alone = selectors.mission_suitability(Mission.objects.get(pk=mission.pk))["capable_cso_count"]
    listed = selectors.mission_list().get(pk=mission.pk).capable_cso_count
    assert alone == listed
    return alone


def test_counts_approved_csos_in_the_field_serving_a_mission_province(registry):
    mission = MissionFactory(activity_field="social_services", provinces=["10", "50"])

    assert _count(mission) == 2  # "bangkok" and "both", once each


def test_only_csos_the_committee_certified_in_the_field_count(registry):
    declared_only = CSOFactory(
        status=CSO.Status.APPROVED,
        activity_fields=["social_services", "health"],
        certified_fields=["health"],
        service_provinces=["10"],
    )
    social = MissionFactory(activity_field="social_services", provinces=["10"])
    health = MissionFactory(activity_field="health", provinces=["10"])

    assert _count(social) == 2  # bangkok and both; declared_only is not certified in it
    assert _count(health) == 3  # both, other_field and declared_only
    assert declared_only.activity_fields.filter(code="social_services").exists()


def test_a_nationwide_mission_counts_csos_from_any_province(registry):
    mission = MissionFactory(activity_field="social_services", provinces=[])

    assert _count(mission) == 3  # bangkok, both, korat_only


def test_a_suspended_cso_stops_counting_and_counts_again_when_reinstated(registry):
    from csos.review import services as cso_review_services

    mission = MissionFactory(activity_field="social_services", provinces=["10"])
    assert _count(mission) == 2
    reviewer = ReviewerFactory()

    cso_review_services.cso_suspend(cso=registry["bangkok"], reviewer=reviewer, reason="ถูกร้องเรียน")
    assert _count(mission) == 1

    cso_review_services.cso_reinstate(cso=registry["suspended"], reviewer=reviewer)
    assert _count(mission) == 2


def test_a_mission_where_no_cso_works_counts_none(registry):
    mission = MissionFactory(activity_field="religion", provinces=["10"])
    remote = MissionFactory(activity_field="social_services", provinces=["96"])

    assert _count(mission) == 0
    assert _count(remote) == 0


def test_suitability_follows_the_mission(registry):
    mission = MissionFactory(
        service_category="industrial_commercial", mission_type="technical", provinces=["50"]
    )

    suitability = selectors.mission_suitability(selectors.mission_get(mission.pk))

    assert suitability["max_level"] == "decision_making"
    assert suitability["recommended_models"] == ["co_management"]
    assert suitability["capable_cso_count"] == 1  # "both"


# --- who adds and changes missions ----------------------------------------------------


DATA = {
    "title_th": "ตรวจวัดฝุ่นละออง PM2.5 โดยชุมชน",
    "title_en": "Community monitoring of PM2.5 dust",
    "description": "ชุมชนร่วมตรวจวัดและรายงานคุณภาพอากาศ",
    "service_category": "industrial_commercial",
    "mission_type": "technical",
    "activity_field": "environment",
    "target_groups": ["ชุมชนในพื้นที่เสี่ยงหมอกควัน", "  ", "โรงเรียน"],
    "provinces": ["50", "57", "50"],
}


@pytest.mark.django_db
def test_an_officer_adds_a_mission_for_their_own_agency():
    officer = OfficerFactory()
    other = AgencyFactory()

    with pytest.raises(TypeError):  # the service has no way to name another agency
        services.mission_create(officer=officer, **DATA, agency=other.pk)
    mission = services.mission_create(officer=officer, **DATA)

    mission = Mission.objects.get(pk=mission.pk)
    assert mission.agency == officer.agency
    assert mission.title_th == DATA["title_th"]
    assert mission.target_groups == ["ชุมชนในพื้นที่เสี่ยงหมอกควัน", "โรงเรียน"]
    assert sorted(p.code for p in mission.provinces.all()) == ["50", "57"]
    row = AuditLog.objects.get(content_type__model="mission", object_id=str(mission.pk))
    assert (row.action, row.actor) == ("create", officer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_user",
    [
        MemberFactory,
        ReviewerFactory,
        StaffAdminFactory,
        lambda: OfficerFactory(agency=None),
        lambda: CSOFactory(status="approved").members.get(),
    ],
    ids=["member", "reviewer", "staff_admin", "officer_without_agency", "approved_cso_member"],
)
def test_only_an_officer_with_an_agency_adds_missions(make_user):
    with pytest.raises(PermissionDenied):
        services.mission_create(officer=make_user(), **DATA)

    assert not Mission.objects.exists()


@pytest.mark.django_db
def test_an_officer_changes_their_own_agencys_mission():
    mission = MissionFactory(provinces=["10"])
    colleague = OfficerFactory(agency=mission.agency)

    services.mission_update(
        mission=mission,
        officer=colleague,
        title_th="บริการดูแลผู้สูงอายุ (ปรับปรุง)",
        provinces=["50"],
    )

    mission = Mission.objects.get(pk=mission.pk)
    assert mission.title_th == "บริการดูแลผู้สูงอายุ (ปรับปรุง)"
    assert [p.code for p in mission.provinces.all()] == ["50"]
    assert mission.mission_type == "direct_service"  # untouched
    row = AuditLog.objects.filter(action="update", object_id=str(mission.pk)).get()
    assert row.actor == colleague
    assert row.data == {"fields": ["provinces", "title_th"]}


@pytest.mark.django_db
def test_an_officer_cannot_change_another_agencys_mission():
    mission = MissionFactory(title_th="ภารกิจเดิม")

    with pytest.raises(PermissionDenied):
        services.mission_update(mission=mission, officer=OfficerFactory(), title_th="ยึด")

    assert Mission.objects.get(pk=mission.pk).title_th == "ภารกิจเดิม"
    assert not AuditLog.objects.filter(action="update").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title_th": "  "}, "title_th"),
        ({"service_category": "military"}, "service_category"),
        ({"mission_type": "catering"}, "mission_type"),
        ({"activity_field": "space_travel"}, "activity_field"),
        ({"provinces": ["10", "00"]}, "provinces"),
        ({"target_groups": [f"กลุ่ม {n}" for n in range(51)]}, "target_groups"),
        ({"target_groups": ["ก" * 201]}, "target_groups"),
    ],
)
def test_bad_answers_are_field_errors(change, field):
    officer = OfficerFactory()

    with pytest.raises(ValidationError) as exc:
        services.mission_create(officer=officer, **{**DATA, **change})
    assert list(exc.value.message_dict) == [field]
    assert not Mission.objects.exists()

    mission = MissionFactory(officer=officer)
    with pytest.raises(ValidationError) as exc:
        services.mission_update(mission=mission, officer=officer, **change)
    assert list(exc.value.message_dict) == [field]
