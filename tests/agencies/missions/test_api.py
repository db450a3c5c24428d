"""/api/v1/agencies/ and /api/v1/missions/: public reads, officers' writes, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency, Mission
from tests import factories
from tests.factories import AgencyFactory, CSOFactory, MissionFactory, OfficerFactory
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

AGENCIES = "/api/v1/agencies/"
MISSIONS = "/api/v1/missions/"

NEW_MISSION = {
    "title_th": "ตรวจวัดฝุ่นละออง PM2.5 โดยชุมชน",
    "title_en": "Community monitoring of PM2.5 dust",
    "description": "ชุมชนร่วมตรวจวัดและรายงานคุณภาพอากาศ",
    "service_category": "industrial_commercial",
    "mission_type": "technical",
    "activity_field": "environment",
    "target_groups": ["ชุมชนในพื้นที่เสี่ยงหมอกควัน"],
    "provinces": ["50", "57"],
}


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- agencies -------------------------------------------------------------------------


def test_agencies_are_public(api_client):
    ministry = AgencyFactory(kind=Agency.Kind.MINISTRY, name_th="กระทรวงทดสอบ", province_id=None)
    department = AgencyFactory(parent=ministry, province_id="50")

    response = api_client.get(AGENCIES)

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[department.pk] == {
        "id": department.pk,
        "name_th": department.name_th,
        "name_en": department.name_en,
        "kind": "department",
        "parent": ministry.pk,
        "province": "50",
    }
    assert rows[ministry.pk]["parent"] is None
    assert rows[ministry.pk]["province"] is None


def test_agencies_filter_by_kind_parent_and_province(api_client):
    ministry = AgencyFactory(kind=Agency.Kind.MINISTRY, province_id=None)
    north = AgencyFactory(parent=ministry, province_id="50")
    AgencyFactory(province_id="10")

    assert ids(api_client.get(AGENCIES, {"kind": "ministry"})) >= {ministry.pk}
    assert north.pk not in ids(api_client.get(AGENCIES, {"kind": "ministry"}))
    assert ids(api_client.get(AGENCIES, {"parent": ministry.pk})) == {north.pk}
    assert ids(api_client.get(AGENCIES, {"province": "50"})) == {north.pk}


def test_agencies_are_read_only(api_as):
    officer = OfficerFactory()

    response = api_as(officer).post(AGENCIES, {"name_th": "หน่วยงานใหม่", "kind": "other"})

    assert_error(response, 405, "method_not_allowed")


def test_an_unknown_agency_is_not_found(api_client):
    assert_error(api_client.get(f"{AGENCIES}999999/"), 404, "not_found")


# --- missions: reading ----------------------------------------------------------------


def test_missions_are_public_with_their_suitability(api_client):
    CSOFactory(status="approved", activity_fields=["environment"], service_provinces=["57"])
    mission = MissionFactory(**NEW_MISSION)

    response = api_client.get(f"{MISSIONS}{mission.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["agency"] == mission.agency_id
    assert body["title_th"] == NEW_MISSION["title_th"]
    assert sorted(body["provinces"]) == ["50", "57"]
    assert body["target_groups"] == ["ชุมชนในพื้นที่เสี่ยงหมอกควัน"]
    suitability = body["suitability"]
    assert suitability["max_level"] == "decision_making"
    assert suitability["recommended_models"] == ["co_management"]
    assert suitability["capable_cso_count"] == 1
    assert suitability["rationale_th"] and suitability["rationale_en"]


def test_every_field_of_the_contract_is_there(api_client):
    MissionFactory()

    row = api_client.get(MISSIONS).json()["results"][0]

    assert {
        "id", "agency", "title_th", "title_en", "description", "service_category",
        "mission_type", "target_groups", "provinces", "suitability",
    } <= set(row)  # fmt: skip
    assert set(row["suitability"]) == {
        "max_level", "recommended_models", "capable_cso_count", "rationale_th", "rationale_en",
    }  # fmt: skip


def test_missions_list_and_filters(api_client):
    agency = AgencyFactory()
    air = MissionFactory(agency=agency, **NEW_MISSION)
    care = MissionFactory(provinces=["10"])

    assert ids(api_client.get(MISSIONS)) == {air.pk, care.pk}
    assert ids(api_client.get(MISSIONS, {"agency": agency.pk})) == {air.pk}
    assert ids(api_client.get(MISSIONS, {"province": "57"})) == {air.pk}
    assert ids(api_client.get(MISSIONS, {"service_category": "social_cultural"})) == {care.pk}
    assert ids(api_client.get(MISSIONS, {"search": "PM2.5"})) == {air.pk}


def test_an_unknown_mission_is_not_found(api_client):
    assert_error(api_client.get(f"{MISSIONS}999999/"), 404, "not_found")
    assert_error(api_client.get(f"{MISSIONS}not-a-number/"), 404, "not_found")


# --- missions: writing ----------------------------------------------------------------


def test_an_officer_adds_a_mission_to_their_own_agency(api_as):
    officer = OfficerFactory()
    elsewhere = AgencyFactory()

    response = api_as(officer).post(
        MISSIONS, {**NEW_MISSION, "agency": elsewhere.pk}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["agency"] == officer.agency_id
    assert body["suitability"]["recommended_models"] == ["co_management"]
    assert body["suitability"]["capable_cso_count"] == 0
    mission = Mission.objects.get(pk=body["id"])
    assert mission.agency == officer.agency
    assert sorted(p.code for p in mission.provinces.all()) == ["50", "57"]


def test_anonymous_cannot_add_a_mission(api_client):
    response = api_client.post(MISSIONS, NEW_MISSION, format="json")

    assert_error(response, 401, "not_authenticated")
    assert not Mission.objects.exists()


@pytest.mark.parametrize(
    "make_user",
    [
        factories.MemberFactory,
        lambda: CSOFactory(status="approved").members.get(),
        factories.ReviewerFactory,
        factories.EvaluatorFactory,
        factories.StaffAdminFactory,
        lambda: factories.ApiClientFactory(scopes=["read", "payments", "reports"]).user,
        lambda: OfficerFactory(agency=None),
    ],
    ids=[
        "member",
        "approved_member",
        "reviewer",
        "evaluator",
        "staff_admin",
        "api_client",
        "officer_without_agency",
    ],
)
def test_only_officers_add_missions(api_as, make_user):
    response = api_as(make_user()).post(MISSIONS, NEW_MISSION, format="json")

    assert_error(response, 403, "permission_denied")
    assert not Mission.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service_category": "military"}, "service_category"),
        ({"mission_type": "catering"}, "mission_type"),
        ({"activity_field": "space_travel"}, "activity_field"),
        ({"provinces": ["10", "99"]}, "provinces"),
        ({"title_th": ""}, "title_th"),
        ({"target_groups": ["ก" * 201]}, "target_groups"),
        ({"provinces": "10"}, "provinces"),
    ],
)
def test_bad_codes_and_answers_are_field_errors(api_as, change, field):
    response = api_as(OfficerFactory()).post(MISSIONS, {**NEW_MISSION, **change}, format="json")

    assert_error(response, 400, "validation_error", fields=[field])
    assert not Mission.objects.exists()


def test_a_mission_needs_its_codes(api_as):
    response = api_as(OfficerFactory()).post(MISSIONS, {"title_th": "ภารกิจ"}, format="json")

    error = assert_error(response, 400, "validation_error")
    assert {"service_category", "mission_type", "activity_field"} <= set(error["fields"])


def test_an_officer_edits_their_agencys_mission(api_as):
    mission = MissionFactory(provinces=["10"])
    colleague = OfficerFactory(agency=mission.agency)

    response = api_as(colleague).patch(
        f"{MISSIONS}{mission.pk}/",
        {"mission_type": "policy", "provinces": ["10", "50"]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["mission_type"] == "policy"
    assert sorted(body["provinces"]) == ["10", "50"]
    assert body["suitability"]["recommended_models"] == ["co_governance"]
    assert body["title_th"] == mission.title_th
    assert Mission.objects.get(pk=mission.pk).mission_type == "policy"


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("other_officer", 403, "permission_denied"),
        ("member", 403, "permission_denied"),
        ("reviewer", 403, "permission_denied"),
    ],
)
def test_others_cannot_edit_a_mission(api_as, who, status, code):
    mission = MissionFactory(title_th="ภารกิจเดิม")
    user = {
        "anonymous": lambda: None,
        "other_officer": OfficerFactory,
        "member": factories.MemberFactory,
        "reviewer": factories.ReviewerFactory,
    }[who]()

    response = api_as(user).patch(f"{MISSIONS}{mission.pk}/", {"title_th": "ยึด"}, format="json")

    assert_error(response, status, code)
    assert Mission.objects.get(pk=mission.pk).title_th == "ภารกิจเดิม"


def test_editing_with_a_bad_province_changes_nothing(api_as):
    mission = MissionFactory(provinces=["10"])

    response = api_as(OfficerFactory(agency=mission.agency)).patch(
        f"{MISSIONS}{mission.pk}/", {"title_th": "ใหม่", "provinces": ["00"]}, format="json"
    )

    assert_error(response, 400, "validation_error", fields=["provinces"])
    mission = Mission.objects.get(pk=mission.pk)
    assert mission.title_th != "ใหม่"
    assert [p.code for p in mission.provinces.all()] == ["10"]


def test_editing_an_unknown_mission_is_not_found(api_as):
    response = api_as(OfficerFactory()).patch(
        f"{MISSIONS}999999/", {"title_th": "x"}, format="json"
    )

    assert_error(response, 404, "not_found")


def test_a_mission_cannot_be_deleted(api_as):
    mission = MissionFactory()

    response = api_as(OfficerFactory(agency=mission.agency)).delete(f"{MISSIONS}{mission.pk}/")

    assert_error(response, 405, "method_not_allowed")
    assert Mission.objects.filter(pk=mission.pk).exists()


def test_messages_follow_the_request_language(api_as):
    mission = MissionFactory()
    stranger = OfficerFactory()

    en = assert_error(
        api_as(stranger, lang="en").patch(f"{MISSIONS}{mission.pk}/", {}, format="json"),
        403,
        "permission_denied",
    )
    th = assert_error(
        api_as(stranger, lang="th").patch(f"{MISSIONS}{mission.pk}/", {}, format="json"),
        403,
        "permission_denied",
    )

    assert en["message"] == "You can only change your own agency's missions."
    assert th["message"] != en["message"]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in th["message"])


# --- query counts ---------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "officer"])
def test_the_missions_list_costs_the_same_queries_for_3_or_9_missions(api_as, signed_in):
    CSOFactory(status="approved", service_provinces=["10", "50"])
    client = api_as(OfficerFactory() if signed_in else None)

    def add(n):
        for i in range(n):
            MissionFactory(provinces=["10", "50", "57"] if i % 2 else [])

    add(3)
    few, count_few = _queries(client, MISSIONS)
    add(6)
    many, count_many = _queries(client, MISSIONS)

    assert count_many == count_few + 6
    assert many == few


def test_the_agencies_list_costs_the_same_queries_for_3_or_9_agencies(api_client):
    ministry = AgencyFactory(kind=Agency.Kind.MINISTRY)

    def add(n):
        for i in range(n):
            AgencyFactory(parent=ministry, province_id=["10", "50", "57"][i % 3])

    add(3)
    few, count_few = _queries(api_client, AGENCIES)
    add(6)
    many, count_many = _queries(api_client, AGENCIES)

    assert count_many == count_few + 6
    assert many == few
