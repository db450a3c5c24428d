"""/api/v1/grievances/: filing without an account (flood-limited per address, honeypot),
the public status without personal data, each action per role and its refusals, and the
staff list by role with a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.helpers import assert_error

from .conftest import file_one

BODY = {
    "kind": "complaint",
    "title": "ไม่มีผู้ดูแลมาเยี่ยม",
    "body": "นายสมชาย รักดี รอทั้งวัน",
    "occurred_on": "2026-01-05",
    "province": "10",
    "name": "สมชาย รักดี",
    "contact": "somchai@example.org",
}
PERSONAL = ("สมชาย", "somchai", "รอทั้งวัน")


def test_anyone_files_and_reads_the_public_status_without_personal_data(api_as, project):
    anonymous = api_as(None)
    response = anonymous.post(
        "/api/v1/grievances/", {**BODY, "agreement": project.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    filed = response.json()
    assert set(filed) == {"tracking_id", "citizen_token"}
    status = anonymous.get(f"/api/v1/grievances/{filed['tracking_id']}/")
    assert status.status_code == 200
    body = status.json()
    assert body["status"] == "received" and body["route_by"]
    for word in PERSONAL:
        assert word not in status.content.decode()
    assert not {"name", "contact", "body"} & set(body)


def test_filing_is_refused_for_a_robot_and_for_a_flood(api_as, project, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "grievance": "2/hour",
        },
    }
    client = api_as(None)
    robot = client.post(
        "/api/v1/grievances/",
        {**BODY, "agreement": project.pk, "website": "http://spam"},
        format="json",
    )
    assert_error(robot, 400, "validation_error", fields=["website"])
    ok = client.post("/api/v1/grievances/", {**BODY, "agreement": project.pk}, format="json")
    assert ok.status_code == 201
    flood = client.post("/api/v1/grievances/", {**BODY, "agreement": project.pk}, format="json")
    assert_error(flood, 429, "throttled")
    # Another address is not held back.
    other = api_as(None).post(
        "/api/v1/grievances/",
        {**BODY, "agreement": project.pk},
        format="json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 201


def test_strict_validation_names_each_field(api_as, project):
    response = api_as(None).post(
        "/api/v1/grievances/",
        {**BODY, "title": "a\u200bb", "province": "99", "surprise": 1},
        format="json",
    )
    assert_error(response, 400, "validation_error", fields=["surprise"])
    response = api_as(None).post(
        "/api/v1/grievances/", {**BODY, "title": "a\u200bb", "province": "99"}, format="json"
    )
    assert_error(response, 400, "validation_error", fields=["title", "province", "agency"])


def test_actions_by_role_and_their_refusals(api_as, filed, verifier, project_officer):
    grievance, token = filed
    url = f"/api/v1/grievances/{grievance.tracking_id}"
    assert_error(api_as(None).post(f"{url}/route/", {}, format="json"), 401, "not_authenticated")
    assert_error(
        api_as(project_officer).post(f"{url}/route/", {}, format="json"), 403, "permission_denied"
    )
    assert_error(
        api_as(project_officer).post(f"{url}/respond/", {"response": "x"}, format="json"),
        409,
        "invalid_transition",
    )
    routed = api_as(verifier).post(f"{url}/route/", {}, format="json")
    assert routed.status_code == 200 and routed.json()["status"] == "routed"
    assert_error(
        api_as(factories.OfficerFactory()).post(
            f"{url}/respond/", {"response": "x"}, format="json"
        ),
        403,
        "permission_denied",
    )
    answered = api_as(project_officer).post(
        f"{url}/respond/", {"response": "ส่งผู้ดูแลแล้ว", "upheld": True}, format="json"
    )
    assert answered.json()["status"] == "responded"
    wrong = api_as(None).post(
        f"{url}/resolved/", {"citizen_token": "AAAA-BBBB-CCCC", "resolved": "yes"}, format="json"
    )
    assert_error(wrong, 403, "permission_denied")
    reply = api_as(None).post(
        f"{url}/reply/", {"citizen_token": token, "text": "ยังไม่มา"}, format="json"
    )
    assert reply.status_code == 200 and reply.json()["status"] == "routed"
    project_officer_client = api_as(project_officer)
    project_officer_client.post(f"{url}/respond/", {"response": "มาแล้ว"}, format="json")
    closed = api_as(None).post(
        f"{url}/resolved/", {"citizen_token": token, "resolved": "yes"}, format="json"
    )
    assert closed.json()["status"] == "closed" and closed.json()["resolved"] == "yes"


def test_reject_and_merge_by_the_verifier(api_as, project, verifier):
    first, _t = file_one(project)
    second, _t = file_one(project)
    third, _t = file_one(project)
    client = api_as(verifier)
    assert_error(
        client.post(
            f"/api/v1/grievances/{first.tracking_id}/reject/", {"reason": ""}, format="json"
        ),
        400,
        "validation_error",
        fields=["reason"],
    )
    rejected = client.post(
        f"/api/v1/grievances/{third.tracking_id}/reject/", {"reason": "นอกขอบเขต"}, format="json"
    )
    assert rejected.json()["reject_reason"] == "นอกขอบเขต"
    merged = client.post(
        f"/api/v1/grievances/{second.tracking_id}/merge/",
        {"into": first.tracking_id},
        format="json",
    )
    assert merged.status_code == 200
    public = api_as(None).get(f"/api/v1/grievances/{second.tracking_id}/").json()
    assert public["tracking_id"] == first.tracking_id
    assert public["merged_into"] == first.tracking_id and public["status"] == "received"


def test_the_staff_list_by_role(api_as, project, verifier, project_officer, project_member):
    received, _t = file_one(project)
    routed, _t = file_one(project)
    api_as(verifier).post(f"/api/v1/grievances/{routed.tracking_id}/route/", {}, format="json")
    other_agency = factories.OfficerFactory()
    outsider = factories.MemberFactory()

    def ids(user, query=""):
        response = api_as(user).get(f"/api/v1/grievances/{query}")
        assert response.status_code == 200, response.content
        return {row["tracking_id"] for row in response.json()["results"]}, response.json()

    assert ids(verifier)[0] == {received.tracking_id, routed.tracking_id}
    assert ids(project_officer)[0] == {routed.tracking_id}  # once routed to the agency
    assert ids(project_member)[0] == {routed.tracking_id}  # the CSO of the project
    assert ids(other_agency)[0] == set()
    assert ids(outsider)[0] == set()
    assert ids(verifier, "?status=received")[0] == {received.tracking_id}
    assert_error(api_as(None).get("/api/v1/grievances/"), 401, "not_authenticated")
    assert_error(api_as(verifier).get("/api/v1/grievances/?status=nope"), 400, "validation_error")
    # The verifier sees the citizen's name; the officer too (not confidential).
    assert ids(project_officer)[1]["results"][0]["name"] == "สมชาย รักดี"


def test_a_confidential_name_is_shown_to_the_verifier_only(
    api_as, project, verifier, project_officer
):
    grievance, _t = file_one(project, confidential=True)
    api_as(verifier).post(f"/api/v1/grievances/{grievance.tracking_id}/route/", {}, format="json")
    as_verifier = api_as(verifier).get("/api/v1/grievances/").json()["results"][0]
    as_officer = api_as(project_officer).get("/api/v1/grievances/").json()["results"][0]
    assert as_verifier["name"] == "สมชาย รักดี"
    assert as_officer["name"] is None and as_officer["contact"] is None


@pytest.mark.parametrize("size", [2, 6])
def test_the_list_costs_the_same_whatever_its_size(api_as, project, verifier, size, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the list as built, not as kept for its caller
    for _i in range(size):
        file_one(project)
    client = api_as(verifier)
    client.get("/api/v1/grievances/")  # warm: the token, the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/grievances/")
    assert response.json()["count"] == size
    assert len(queries) <= 8, [q["sql"] for q in queries]


def test_a_kept_list_is_the_callers_own_and_follows_new_grievances(
    api_as, project, verifier, project_officer
):
    grievance, _t = file_one(project, confidential=True)
    api_as(verifier).post(f"/api/v1/grievances/{grievance.tracking_id}/route/", {}, format="json")
    officer = api_as(project_officer)
    officer.get("/api/v1/grievances/")
    kept = officer.get("/api/v1/grievances/").json()["results"]
    assert [row["name"] for row in kept] == [None]  # confidential: not for the officer

    as_verifier = api_as(verifier).get("/api/v1/grievances/").json()["results"]
    assert [row["name"] for row in as_verifier] == ["สมชาย รักดี"]

    another, _t = file_one(project)
    api_as(verifier).post(f"/api/v1/grievances/{another.tracking_id}/route/", {}, format="json")
    assert officer.get("/api/v1/grievances/").json()["count"] == 2


def test_the_kept_home_lists_follow_the_complaints_officers_flag(project, complaints_officer):
    from django.test import Client
    from django.urls import reverse

    grievance, _t = file_one(project)

    def home():  # a new browser each time: the page is built, its lists may be kept
        browser = Client()
        browser.force_login(complaints_officer)
        return browser.get(reverse("my-work")).content.decode()

    assert grievance.tracking_id in home()
    type(complaints_officer).objects.filter(pk=complaints_officer.pk).update(
        complaints_officer=False
    )
    assert grievance.tracking_id not in home()
