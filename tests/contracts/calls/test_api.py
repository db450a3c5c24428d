"""/api/v1/calls/: who sees which call, the effective status, filters, drafting and editing,
each action as each role, and the evaluation panel. (The ranking: tests/assessments/reviews/
test_api_ranking.py.)"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals.models import Proposal
from tests.factories import (
    CallFactory,
    EvaluatorFactory,
    MissionFactory,
    ProposalFactory,
    StaffAdminFactory,
)
from tests.helpers import assert_error, fresh, has_thai, in_thai

pytestmark = pytest.mark.django_db
S = Call.Status
LIST = "/api/v1/calls/"
WEIGHTS = {
    "expertise": 30,
    "standards": 25,
    "service_area": 20,
    "track_record": 15,
    "networking": 10,
}


def url(call, action=""):
    return f"{LIST}{call.pk}/" + (f"{action}/" if action else "")


def ids(response):
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def body(for_mission, **overrides):
    now = timezone.now()
    data = {
        "mission": for_mission.pk,
        "instrument": "performance_contract",
        "title": "สัญญาจ้างดูแลผู้สูงอายุติดเตียง",
        "description": "จ้างองค์กรภาคประชาสังคมดูแลผู้สูงอายุติดเตียงในเขตกรุงเทพมหานคร",
        "budget_ceiling": "800000.00",
        "opens_at": (now + datetime.timedelta(days=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=30)).isoformat(),
        "costing_method": "per_project",
        "criteria_weights": WEIGHTS,
        "eligible_provinces": ["10", "12"],
        "eligible_activity_fields": ["social_services", "health"],
        "required_documents": ["แผนการดำเนินงาน", "งบการเงินปีล่าสุด"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(officer, mission):
    return CallFactory(officer=officer, mission=mission, status=S.DRAFT)


@pytest.fixture
def open_call(officer, mission):
    return CallFactory(officer=officer, mission=mission, status=S.OPEN)


@pytest.fixture
def roles(officer, other_officer, approved_member, evaluator, staff_admin):
    """Every kind of caller except the anonymous one, by name."""
    return {
        "officer": officer,
        "other_officer": other_officer,
        "member": approved_member,
        "evaluator": evaluator,
        "staff": staff_admin,
    }


# --- who sees what --------------------------------------------------------------------


@pytest.fixture
def one_of_each(officer, mission):
    calls = {
        s: CallFactory(officer=officer, mission=mission, status=s)
        for s in [S.DRAFT, S.OPEN, S.CLOSED]
    }
    cancelled = CallFactory(officer=officer, mission=mission, status=S.OPEN)
    calls[S.CANCELLED] = call_services.call_cancel(
        call=cancelled, user=officer, reason="งบประมาณถูกตัด"
    )
    return calls


@pytest.mark.parametrize(
    "who, sees",
    [
        (None, {S.OPEN, S.CLOSED}),
        ("member", {S.OPEN, S.CLOSED}),
        ("evaluator", {S.OPEN, S.CLOSED}),
        ("other_officer", {S.OPEN, S.CLOSED}),
        ("officer", {S.DRAFT, S.OPEN, S.CLOSED, S.CANCELLED}),
        ("staff", {S.DRAFT, S.OPEN, S.CLOSED, S.CANCELLED}),
    ],
)
def test_published_calls_are_public_and_drafts_stay_with_the_agency(
    api_as, roles, one_of_each, who, sees
):
    client = api_as(roles[who] if who else None)

    assert ids(client.get(LIST)) == {one_of_each[s].pk for s in sees}
    for status, call in one_of_each.items():
        response = client.get(url(call))
        if status in sees:
            assert response.status_code == 200
            assert response.json()["status"] == status
        else:
            assert_error(response, 404, "not_found")


def test_a_call_reads_as_the_contract_says(api_client, officer, mission):
    call = CallFactory(officer=officer, mission=mission, criteria_weights=WEIGHTS)

    response = api_client.get(url(call))

    assert response.status_code == 200
    row = response.json()
    assert set(row) >= {
        "id", "agency", "mission", "instrument", "title", "description", "budget_ceiling",
        "opens_at", "closes_at", "costing_method", "criteria_weights", "eligible_provinces",
        "eligible_activity_fields", "required_documents", "status", "accepting_proposals",
        "published_at",
    }  # fmt: skip
    assert row["agency"] == officer.agency_id
    assert row["mission"] == mission.pk
    assert row["instrument"] == "grant"
    assert row["budget_ceiling"] == "500000.00"
    assert row["criteria_weights"] == WEIGHTS
    assert row["eligible_provinces"] == ["10"]
    assert row["eligible_activity_fields"] == ["social_services"]
    assert row["required_documents"] == ["แผนการดำเนินงาน"]
    assert row["costing_method"] == "per_person"
    assert row["status"] == "open"
    assert row["accepting_proposals"] is True
    assert row["published_at"] is not None
    assert datetime.datetime.fromisoformat(row["closes_at"]) == call.closes_at


def test_an_open_call_reads_closed_from_its_closing_time(api_client, open_call):
    just_after = open_call.closes_at + datetime.timedelta(seconds=1)

    with time_machine.travel(just_after, tick=False):
        row = api_client.get(url(open_call)).json()
        closed = ids(api_client.get(LIST, {"status": "closed"}))
        still_open = ids(api_client.get(LIST, {"status": "open"}))

    assert fresh(open_call).status == S.OPEN  # nobody closed it
    assert row["status"] == "closed"
    assert row["accepting_proposals"] is False
    assert open_call.pk in closed
    assert open_call.pk not in still_open


def test_a_call_not_yet_open_is_published_but_not_accepting(api_client, officer, mission):
    later = CallFactory(
        officer=officer,
        mission=mission,
        opens_at=timezone.now() + datetime.timedelta(days=2),
    )

    row = api_client.get(url(later)).json()

    assert row["status"] == "open"
    assert row["accepting_proposals"] is False


# --- filters and search ---------------------------------------------------------------


def test_the_list_filters_as_the_contract_names_them(api_client, officer):
    bangkok = CallFactory(officer=officer, title="เยี่ยมบ้านผู้สูงอายุ")
    chiang_mai_mission = MissionFactory(
        officer=officer, provinces=["50"], activity_field="environment"
    )
    chiang_mai = CallFactory(
        officer=officer,
        mission=chiang_mai_mission,
        instrument="commissioning",
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    everywhere = CallFactory(eligible_provinces=[], eligible_activity_fields=[])
    closed = CallFactory(officer=officer, status=S.CLOSED)

    assert ids(api_client.get(LIST)) == {bangkok.pk, chiang_mai.pk, everywhere.pk, closed.pk}
    assert ids(api_client.get(LIST, {"agency": officer.agency_id})) == {
        bangkok.pk,
        chiang_mai.pk,
        closed.pk,
    }
    assert ids(api_client.get(LIST, {"instrument": "commissioning"})) == {chiang_mai.pk}
    assert ids(api_client.get(LIST, {"province": "50"})) == {chiang_mai.pk, everywhere.pk}
    assert ids(api_client.get(LIST, {"activity_field": "environment"})) == {
        chiang_mai.pk,
        everywhere.pk,
    }
    assert ids(api_client.get(LIST, {"mission": chiang_mai_mission.pk})) == {chiang_mai.pk}
    assert ids(api_client.get(LIST, {"closing_soon": "true"})) == {chiang_mai.pk}
    assert len(ids(api_client.get(LIST, {"closing_soon": "false"}))) == 4
    assert ids(api_client.get(LIST, {"status": "closed"})) == {closed.pk}
    assert ids(api_client.get(LIST, {"search": "เยี่ยมบ้าน"})) == {bangkok.pk}
    ordered = api_client.get(LIST, {"ordering": "closes_at"}).json()["results"]
    assert ordered[0]["id"] == chiang_mai.pk


def test_a_bad_filter_value_is_a_validation_error(api_client):
    assert_error(
        api_client.get(LIST, {"status": "finished"}), 400, "validation_error", fields=["status"]
    )
    assert_error(
        api_client.get(LIST, {"agency": "abc"}), 400, "validation_error", fields=["agency"]
    )


# --- drafting a call -------------------------------------------------------------------


def test_an_officer_drafts_a_call_for_their_mission(api_as, officer, mission):
    response = api_as(officer).post(LIST, body(mission), format="json")

    assert response.status_code == 201, response.content
    row = response.json()
    assert row["status"] == "draft"
    assert row["agency"] == officer.agency_id
    assert row["criteria_weights"] == WEIGHTS
    assert row["budget_ceiling"] == "800000.00"
    assert sorted(row["eligible_provinces"]) == ["10", "12"]
    assert sorted(row["eligible_activity_fields"]) == ["health", "social_services"]
    assert row["required_documents"] == ["แผนการดำเนินงาน", "งบการเงินปีล่าสุด"]
    assert row["published_at"] is None
    call = Call.objects.get(pk=row["id"])
    assert call.created_by == officer
    assert call.weight_expertise == 30


def test_weights_are_equal_and_eligibility_follows_the_mission_by_default(api_as, officer, mission):
    data = body(mission)
    for name in ("criteria_weights", "eligible_provinces", "eligible_activity_fields"):
        del data[name]

    row = api_as(officer).post(LIST, data, format="json").json()

    assert row["criteria_weights"] == dict.fromkeys(WEIGHTS, 20)
    assert row["eligible_provinces"] == ["10"]
    assert row["eligible_activity_fields"] == ["social_services"]


@pytest.mark.parametrize("who", ["member", "evaluator", "staff"])
def test_only_an_officer_drafts_a_call_and_is_told_before_the_answers_are_read(
    api_as, roles, mission, who
):
    client = api_as(roles[who])

    assert_error(client.post(LIST, {}, format="json"), 403, "permission_denied")
    assert_error(client.post(LIST, body(mission), format="json"), 403, "permission_denied")
    assert not Call.objects.exists()


def test_an_anonymous_caller_must_sign_in_to_draft(api_client, mission):
    assert_error(api_client.post(LIST, body(mission), format="json"), 401, "not_authenticated")


def test_an_officer_cannot_draft_for_another_agencys_mission(api_as, other_officer, mission):
    error = assert_error(
        api_as(other_officer, lang="en").post(
            LIST, {"mission": mission.pk, "budget_ceiling": "x"}, format="json"
        ),
        403,
        "permission_denied",
    )

    assert "own agency" in error["message"]
    assert not Call.objects.exists()


@pytest.fixture
def administrative(officer):
    return MissionFactory(
        officer=officer, service_category="administrative", mission_type="direct_service"
    )


def test_a_mission_limited_to_information_cannot_open_a_call_409(api_as, officer, administrative):
    error = assert_error(
        api_as(officer, lang="en").post(LIST, body(administrative), format="json"),
        409,
        "invalid_transition",
    )

    assert error["message"].startswith("A call cannot be opened for this mission")
    assert "“Information”" in error["message"]
    assert not Call.objects.exists()


def test_the_409_speaks_thai(api_as, officer, administrative):
    error = assert_error(
        api_as(officer).post(LIST, body(administrative), format="json"), 409, "invalid_transition"
    )

    assert has_thai(error["message"])
    assert error["message"] == in_thai(
        "A call cannot be opened for this mission: in an “%(category)s” the deepest "
        "participation is “%(level)s”. The state delivers the service itself, so no "
        "organisation can be funded or contracted to deliver it."
    ) % {
        "category": in_thai("Administrative public service"),
        "level": in_thai("Information"),
    }


@pytest.mark.parametrize(
    ("who", "code", "error"),
    [
        ("other_officer", 403, "permission_denied"),
        ("member", 403, "permission_denied"),
        ("evaluator", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_others_are_refused_an_administrative_mission_for_who_they_are(
    api_as, roles, administrative, who, code, error
):
    assert_error(api_as(roles[who]).post(LIST, body(administrative), format="json"), code, error)
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"criteria_weights": {**WEIGHTS, "networking": 0}}, "criteria_weights"),
        (
            {"criteria_weights": {**WEIGHTS, "networking": 20, "expertise": 20, "x": 1}},
            "criteria_weights",
        ),
        ({"criteria_weights": {"expertise": 100}}, "criteria_weights"),
        ({"criteria_weights": "equal"}, "criteria_weights"),
        ({"eligible_provinces": ["99"]}, "eligible_provinces"),
        ({"eligible_activity_fields": ["astrology"]}, "eligible_activity_fields"),
        ({"budget_ceiling": "0"}, "budget_ceiling"),
        ({"budget_ceiling": "abc"}, "budget_ceiling"),
        ({"title": ""}, "title"),
        ({"instrument": "loan"}, "instrument"),
        ({"costing_method": "per_hour"}, "costing_method"),
        ({"mission": None}, "mission"),
        ({"mission": 999999}, "mission"),
        (
            {"opens_at": "2027-03-01T09:00:00+07:00", "closes_at": "2027-02-01T09:00:00+07:00"},
            "closes_at",
        ),
        ({"closes_at": "next week"}, "closes_at"),
    ],
)
def test_a_call_with_wrong_answers_is_refused_by_field(api_as, officer, mission, overrides, field):
    response = api_as(officer).post(LIST, body(mission, **overrides), format="json")

    assert_error(response, 400, "validation_error", fields=[field])
    assert not Call.objects.exists()


def test_weights_not_summing_to_100_say_the_total(api_as, officer, mission):
    data = body(mission, criteria_weights={**WEIGHTS, "networking": 0})

    error = assert_error(
        api_as(officer, lang="en").post(LIST, data, format="json"), 400, "validation_error"
    )

    assert error["fields"]["criteria_weights"] == ["The weights must add up to 100 (now 90)."]


def test_a_validation_error_speaks_thai(api_as, officer, mission):
    data = body(mission, criteria_weights={**WEIGHTS, "networking": 0})

    error = assert_error(
        api_as(officer, lang="th").post(LIST, data, format="json"), 400, "validation_error"
    )

    assert error["message"] == "ข้อมูลบางรายการต้องได้รับการแก้ไข"
    expected = in_thai("The weights must add up to 100 (now %(total)s).") % {"total": 90}
    assert error["fields"]["criteria_weights"] == [expected]


def test_a_refusal_speaks_thai(api_as, approved_member, mission):
    error = assert_error(
        api_as(approved_member, lang="th").post(LIST, {}, format="json"), 403, "permission_denied"
    )

    assert error["message"] == in_thai("Only an agency officer can open a call.")


# --- editing ---------------------------------------------------------------------------


def test_an_officer_edits_a_draft(api_as, officer, draft):
    response = api_as(officer).patch(
        url(draft),
        {"title": "ทุนดูแลผู้สูงอายุ ฉบับแก้ไข", "criteria_weights": WEIGHTS, "eligible_provinces": []},
        format="json",
    )

    assert response.status_code == 200, response.content
    row = response.json()
    assert row["title"] == "ทุนดูแลผู้สูงอายุ ฉบับแก้ไข"
    assert row["criteria_weights"] == WEIGHTS
    assert row["eligible_provinces"] == []
    assert row["budget_ceiling"] == "500000.00"  # untouched


def test_editing_a_draft_checks_the_weights(api_as, officer, draft):
    response = api_as(officer).patch(
        url(draft), {"criteria_weights": {**WEIGHTS, "expertise": 31}}, format="json"
    )

    assert_error(response, 400, "validation_error", fields=["criteria_weights"])
    assert fresh(draft).criteria_weights == dict.fromkeys(WEIGHTS, 20)


def test_a_published_call_cannot_be_edited(api_as, officer, open_call):
    response = api_as(officer).patch(url(open_call), {"title": "ชื่อใหม่"}, format="json")

    assert_error(response, 409, "invalid_transition")
    assert fresh(open_call).title == open_call.title


def test_put_is_not_offered(api_as, officer, draft):
    response = api_as(officer).put(url(draft), {"title": "ชื่อใหม่"}, format="json")

    assert_error(response, 405, "method_not_allowed")


@pytest.mark.parametrize(
    "who, call_status, code",
    [
        (None, S.DRAFT, 401),
        ("other_officer", S.DRAFT, 404),
        ("member", S.DRAFT, 404),
        ("evaluator", S.DRAFT, 404),
        ("staff", S.DRAFT, 403),
        ("other_officer", S.OPEN, 403),
        ("member", S.OPEN, 403),
        ("evaluator", S.OPEN, 403),
        ("staff", S.OPEN, 403),
    ],
)
def test_only_the_agencys_officers_edit_a_call(
    api_as, roles, officer, mission, who, call_status, code
):
    call = CallFactory(officer=officer, mission=mission, status=call_status)
    client = api_as(roles[who] if who else None)

    response = client.patch(url(call), {"criteria_weights": "not even a dict"}, format="json")

    names = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}
    assert_error(response, code, names[code])
    assert fresh(call).title == call.title


# --- publish, close, cancel ------------------------------------------------------------


def test_an_officer_publishes_closes_a_call(api_as, officer, draft):
    client = api_as(officer)

    published = client.post(url(draft, "publish"))
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "open"
    assert published.json()["published_at"] is not None
    assert_error(client.post(url(draft, "publish")), 409, "invalid_transition")

    closed = client.post(url(draft, "close"), {"reason": "ครบกำหนด"}, format="json")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert fresh(draft).closed_at is not None
    assert_error(client.post(url(draft, "close")), 409, "invalid_transition")


def test_a_draft_cannot_be_closed(api_as, officer, draft):
    assert_error(api_as(officer).post(url(draft, "close")), 409, "invalid_transition")


def test_a_call_whose_closing_time_passed_cannot_be_published(api_as, officer, draft):
    with time_machine.travel(draft.closes_at + datetime.timedelta(minutes=1)):
        response = api_as(officer).post(url(draft, "publish"))

    assert_error(response, 400, "validation_error", fields=["closes_at"])
    assert fresh(draft).status == S.DRAFT


def test_cancelling_needs_a_reason_and_turns_waiting_proposals_down(api_as, officer, open_call):
    proposal = ProposalFactory(call=open_call, status="submitted")
    client = api_as(officer)

    assert_error(client.post(url(open_call, "cancel")), 400, "validation_error", fields=["reason"])
    assert_error(
        client.post(url(open_call, "cancel"), {"reason": ["list"]}, format="json"),
        400,
        "validation_error",
        fields=["reason"],
    )
    response = client.post(url(open_call, "cancel"), {"reason": "งบประมาณถูกตัด"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "งบประมาณถูกตัด"
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.NOT_SELECTED
    assert_error(
        client.post(url(open_call, "cancel"), {"reason": "อีกครั้ง"}, format="json"),
        409,
        "invalid_transition",
    )


@pytest.mark.parametrize("action", ["publish", "close", "cancel"])
@pytest.mark.parametrize("who", ["other_officer", "member", "evaluator", "staff"])
def test_only_the_agencys_officers_move_a_call(api_as, roles, open_call, action, who):
    response = api_as(roles[who]).post(url(open_call, action), {"reason": 5}, format="json")

    assert_error(response, 403, "permission_denied")
    assert fresh(open_call).status == S.OPEN


@pytest.mark.parametrize("action", ["publish", "close", "cancel"])
def test_an_anonymous_caller_cannot_move_a_call(api_client, open_call, action):
    assert_error(api_client.post(url(open_call, action)), 401, "not_authenticated")


@pytest.mark.parametrize("action", ["publish", "close", "cancel", "ranking", "evaluators"])
def test_another_agencys_draft_is_not_found(api_as, other_officer, draft, action):
    client = api_as(other_officer)
    response = (
        client.get(url(draft, action))
        if action in {"ranking", "evaluators"}
        else client.post(url(draft, action))
    )

    assert_error(response, 404, "not_found")


def test_an_unknown_call_is_not_found(api_client):
    assert_error(api_client.get(f"{LIST}999999/"), 404, "not_found")
    assert_error(api_client.get(f"{LIST}abc/"), 404, "not_found")


# --- the evaluation panel -----------------------------------------------------------------


def test_an_officer_sets_the_panel(api_as, officer, open_call):
    a, b = EvaluatorFactory(username="eva_a"), EvaluatorFactory(username="eva_b")
    client = api_as(officer)

    response = client.post(
        url(open_call, "assign-evaluators"), {"usernames": ["eva_b", "eva_a"]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert [row["username"] for row in response.json()] == ["eva_a", "eva_b"]
    listed = client.get(url(open_call, "evaluators"))
    assert listed.status_code == 200
    assert [row["username"] for row in listed.json()] == ["eva_a", "eva_b"]
    assert set(listed.json()[0]) == {"username", "name", "assigned_at"}

    client.post(url(open_call, "assign-evaluators"), {"usernames": ["eva_a"]}, format="json")
    assert list(open_call.evaluators.all()) == [a]
    assert b not in open_call.evaluators.all()


def test_only_evaluators_sit_on_a_panel(api_as, officer, open_call, approved_member):
    client = api_as(officer)

    for usernames in ([approved_member.username], ["nobody-by-this-name"]):
        response = client.post(
            url(open_call, "assign-evaluators"), {"usernames": usernames}, format="json"
        )
        error = assert_error(response, 400, "validation_error", fields=["usernames"])
        assert usernames[0] in error["fields"]["usernames"][0]
    assert_error(
        client.post(url(open_call, "assign-evaluators"), {"usernames": "eva"}, format="json"),
        400,
        "validation_error",
        fields=["usernames"],
    )
    assert not open_call.evaluators.exists()


def test_the_panel_of_a_cancelled_call_is_fixed(api_as, officer, open_call, evaluator):
    call_services.call_cancel(call=open_call, user=officer, reason="ยกเลิก")

    response = api_as(officer).post(
        url(open_call, "assign-evaluators"), {"usernames": [evaluator.username]}, format="json"
    )

    assert_error(response, 409, "invalid_transition")


@pytest.mark.parametrize("who", ["other_officer", "member", "evaluator", "staff"])
def test_only_the_agencys_officers_set_and_see_the_panel(api_as, roles, open_call, who):
    client = api_as(roles[who])

    assert_error(
        client.post(url(open_call, "assign-evaluators"), {"usernames": 1}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(client.get(url(open_call, "evaluators")), 403, "permission_denied")


def test_an_anonymous_caller_cannot_see_the_panel(api_client, open_call):
    assert_error(api_client.get(url(open_call, "evaluators")), 401, "not_authenticated")
    assert_error(
        api_client.post(url(open_call, "assign-evaluators"), {"usernames": []}, format="json"),
        401,
        "not_authenticated",
    )


# --- query counts ----------------------------------------------------------------------


def _queries(client, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("who", ["anonymous", "officer", "staff"])
def test_the_call_list_costs_the_same_queries_for_2_or_6_calls(api_as, officer, who):
    client = api_as({"anonymous": None, "officer": officer, "staff": StaffAdminFactory()}[who])
    mission = MissionFactory(officer=officer, provinces=["10", "50", "57"])

    def add(n):
        for i in range(n):
            CallFactory(officer=officer, mission=mission, status=S.DRAFT if i % 3 == 2 else S.OPEN)

    add(2)
    few, body_few = _queries(client, LIST, {"province": "10"})
    add(4)
    many, body_many = _queries(client, LIST, {"province": "10"})

    assert body_many["count"] > body_few["count"]
    assert many == few
