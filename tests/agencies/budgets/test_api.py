"""/api/v1/budget-rounds/ as the contract has it: the officer opens a round and moves it on,
residents propose and vote (one ballot, changeable, within the envelope), the officer checks
feasibility, and the published count lists the projects in selection order with the
running total. Wrong people get 401/403, wrong moments 409."""

import pytest

from agencies.budgets.models import Ballot, BudgetRound
from tests import factories

from .test_services import BALLOTS, PROJECTS, _by_letter, _ready_to_vote

pytestmark = pytest.mark.usefixtures("english")
BASE = "/api/v1/budget-rounds/"


def test_a_round_from_opening_to_the_published_count(api_as, officer):
    agency = api_as(officer)
    made = agency.post(
        BASE,
        {
            "title": "Chiang Mai 2027",
            "description": "Residents choose.",
            "envelope": "5000000.00",
            "provinces": ["50"],
            "tie_break": "lower_cost",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["status"], body["provinces"], body["envelope"]) == (
        "proposing", ["50"], "5000000.00"
    )  # fmt: skip
    pk = body["id"]

    resident = api_as(factories.citizen())
    proposed = resident.post(
        f"{BASE}{pk}/projects/",
        {"title": "Bus stop shelters", "description": "Shade", "cost": "800000"},
        format="json",
    )
    assert proposed.status_code == 201, proposed.json()
    project = proposed.json()
    assert "proposer" not in project
    assert api_as(None).get(f"{BASE}{pk}/projects/").json()["results"][0]["title"] == (
        "Bus stop shelters"
    )

    assert resident.post(f"{BASE}{pk}/start-review/").status_code == 403
    assert agency.post(f"{BASE}{pk}/start-voting/").status_code == 409
    assert agency.post(f"{BASE}{pk}/start-review/").json()["status"] == "reviewing"
    no_reason = agency.post(f"{BASE}{pk}/projects/{project['id']}/infeasible/", {}, format="json")
    assert no_reason.status_code == 400
    feasible = agency.post(f"{BASE}{pk}/projects/{project['id']}/feasible/")
    assert feasible.json()["status"] == "feasible"
    assert agency.post(f"{BASE}{pk}/start-voting/").json()["status"] == "voting"

    cast = resident.post(f"{BASE}{pk}/ballot/", {"projects": [project["id"]]}, format="json")
    assert cast.status_code == 200
    assert cast.json() == {
        "projects": [project["id"]], "total": "800000.00", "envelope": "5000000.00"
    }  # fmt: skip
    assert resident.get(f"{BASE}{pk}/ballot/").json()["projects"] == [project["id"]]
    assert api_as(None).get(f"{BASE}{pk}/results/").status_code == 409
    assert agency.post(f"{BASE}{pk}/close/").json()["status"] == "closed"
    results = api_as(None).get(f"{BASE}{pk}/results/").json()
    assert results["ballots"] == 1
    assert results["projects"] == [
        {
            "rank": 1, "project": project["id"], "title": "Bus stop shelters",
            "cost": "800000.00", "votes": 1, "selected": True, "running_total": "800000.00",
        }
    ]  # fmt: skip


def test_the_worked_example_through_the_api(api_as, officer):
    budget_round = _ready_to_vote(officer)
    letters = _by_letter(budget_round)
    for ballot in BALLOTS:
        voter = api_as(factories.citizen())
        answer = voter.post(
            f"{BASE}{budget_round.pk}/ballot/",
            {"projects": [letters[x].pk for x in ballot]},
            format="json",
        )
        assert answer.status_code == 200
    api_as(officer).post(f"{BASE}{budget_round.pk}/close/")
    rows = api_as(None).get(f"{BASE}{budget_round.pk}/results/").json()["projects"]
    assert [(r["project"], r["votes"], r["selected"], r["running_total"]) for r in rows] == [
        (letters["A"].pk, 5, True, "2000000.00"),
        (letters["C"].pk, 4, True, "3000000.00"),
        (letters["B"].pk, 4, False, "3000000.00"),
        (letters["D"].pk, 3, True, "4500000.00"),
        (letters["E"].pk, 0, False, "4500000.00"),
    ]


def test_refusals(api_as, officer, other_officer, system_user):
    budget_round = _ready_to_vote(officer)
    letters = _by_letter(budget_round)
    url = f"{BASE}{budget_round.pk}/ballot/"
    assert api_as(None).post(url, {"projects": [letters["A"].pk]}, format="json").status_code == 401
    unverified = api_as(factories.citizen(verified=False))
    assert unverified.post(url, {"projects": [letters["A"].pk]}, format="json").status_code == 403
    assert api_as(system_user).post(url, {"projects": [1]}, format="json").status_code == 403
    voter = api_as(factories.citizen())
    over = voter.post(url, {"projects": [letters[x].pk for x in "ABC"]}, format="json")
    assert over.status_code == 400
    assert voter.post(url, {"projects": ["x"]}, format="json").status_code == 400
    assert (
        voter.post(url, {"projects": [letters["A"].pk], "extra": 1}, format="json").status_code
        == 400
    )
    assert api_as(other_officer).post(f"{BASE}{budget_round.pk}/close/").status_code == 403
    assert (
        api_as(factories.citizen())
        .post(f"{BASE}{budget_round.pk}/projects/", {"title": "x", "description": "y", "cost": "1"})
        .status_code
        == 409
    )
    assert api_as(factories.citizen()).post(BASE, {}, format="json").status_code == 403
    assert not Ballot.objects.exists()
    assert BudgetRound.objects.get().status == "voting"
    assert api_as(None).get(f"{BASE}99999999999/").status_code == 404


def test_the_list_is_public_and_constant_query(api_as, officer, django_assert_max_num_queries):
    factories.budget_round(officer, projects=PROJECTS[:2])
    with django_assert_max_num_queries(20) as first:
        assert api_as(None).get(BASE).status_code == 200
    for _ in range(3):
        factories.budget_round(officer, projects=PROJECTS)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(api_as(None).get(BASE).json()["results"]) == 4
