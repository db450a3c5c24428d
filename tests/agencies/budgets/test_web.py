"""Participatory budgeting on the web, without JavaScript: an officer opens a round, a
resident proposes a project (a refused form keeps what was typed), the officer checks
feasibility, opens the vote, a resident's ballot over the envelope comes back with the
ticks kept and the bar over, a ballot within it counts, and the results page shows the
full count. Lists stay constant-query."""

from django.test import Client

from agencies.budgets import services
from agencies.budgets.models import Ballot, BudgetProject, BudgetRound
from portal.models import Province
from tests import factories
from tests.helpers import page

from .test_services import PROJECTS, _by_letter, _ready_to_vote


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_a_round_from_the_officers_form_to_the_published_count(officer):
    officer_client = _client(officer)
    chiang_mai = Province.objects.get(code="50")
    made = officer_client.post(
        "/budgets/new/",
        {
            "title": "Chiang Mai 2027",
            "description": "Projects residents choose.",
            "envelope": "5,000,000",
            "provinces": [chiang_mai.pk],
            "tie_break": "lower_cost",
        },
    )
    assert made.status_code == 302, page(made)[:2000]
    budget_round = BudgetRound.objects.get()
    assert budget_round.envelope == 5000000

    resident = factories.citizen()
    resident_client = _client(resident)
    refused = resident_client.post(
        f"/budgets/{budget_round.pk}/propose/",
        {"title": "Reading corner", "description": "Books for the village", "cost": "lots"},
    )
    assert refused.status_code == 400
    assert 'value="Reading corner"' in page(refused)
    sent = resident_client.post(
        f"/budgets/{budget_round.pk}/propose/",
        {
            "title": "Reading corner",
            "description": "Books",
            "place": "Ban Pa Daet",
            "cost": "300000",
        },
    )
    assert sent.status_code == 302
    project = BudgetProject.objects.get()
    assert resident.username not in page(Client().get(f"/budgets/{budget_round.pk}/"))

    assert officer_client.post(f"/budgets/{budget_round.pk}/start-review/").status_code == 302
    no_reason = officer_client.post(
        f"/budgets/{budget_round.pk}/projects/{project.pk}/review/", {"feasible": "no"}
    )
    assert no_reason.status_code == 400
    assert "Say why it is not feasible" in page(no_reason)
    feasible = officer_client.post(
        f"/budgets/{budget_round.pk}/projects/{project.pk}/review/", {"feasible": "yes"}
    )
    assert feasible.status_code == 302
    assert officer_client.post(f"/budgets/{budget_round.pk}/start-voting/").status_code == 302

    ballot = resident_client.get(f"/budgets/{budget_round.pk}/ballot/")
    assert ballot.status_code == 200 and "Reading corner" in page(ballot)
    cast = resident_client.post(f"/budgets/{budget_round.pk}/ballot/", {"projects": [project.pk]})
    assert cast.status_code == 302
    assert Ballot.objects.count() == 1
    assert officer_client.post(f"/budgets/{budget_round.pk}/close/").status_code == 302

    results = page(_client().get(f"/budgets/{budget_round.pk}/results/"))
    assert "Reading corner" in results and "Selected" in results
    assert "1 ballot was cast" in results
    assert "300,000.00" in results


def test_a_ballot_over_the_envelope_comes_back_with_the_ticks_kept(officer):
    budget_round = _ready_to_vote(officer)
    letters = _by_letter(budget_round)
    client = _client(factories.citizen())
    chosen = [letters[x].pk for x in "ABC"]  # 5.5M of 5M
    over = client.post(f"/budgets/{budget_round.pk}/ballot/", {"projects": chosen})
    assert over.status_code == 400
    html = page(over)
    assert "more than the envelope" in html
    assert "500,000.00 baht over" in html
    for pk in chosen:
        assert f'value="{pk}" id="project-{pk}" data-cost' in html
    assert html.count(" checked") == 3
    assert not Ballot.objects.exists()


def test_a_visitor_is_asked_to_sign_in_and_others_are_refused(officer, other_officer):
    budget_round = _ready_to_vote(officer)
    assert "Sign in to vote" in page(_client().get(f"/budgets/{budget_round.pk}/"))
    assert _client().get(f"/budgets/{budget_round.pk}/ballot/").status_code == 302
    unverified = _client(factories.citizen(verified=False))
    assert unverified.get(f"/budgets/{budget_round.pk}/ballot/").status_code == 403
    stranger = _client(other_officer)
    assert stranger.post(f"/budgets/{budget_round.pk}/close/").status_code == 403
    assert BudgetRound.objects.get().status == "voting"
    for odd in ("?province=abc", "?province=%00", "?state=<", "?page=999"):
        assert _client().get("/budgets/" + odd).status_code == 200


def test_the_list_query_count_does_not_grow(officer, django_assert_max_num_queries):
    factories.budget_round(officer, projects=PROJECTS[:2])
    client = _client()
    with django_assert_max_num_queries(30) as first:
        client.get("/budgets/")
    for _ in range(4):
        factories.budget_round(officer, projects=PROJECTS[:3])
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get("/budgets/").status_code == 200


def test_selected_projects_delivery_is_followed_publicly(officer, mission):
    budget_round = _ready_to_vote(officer)
    letters = _by_letter(budget_round)
    services.ballot_cast(
        voter=factories.citizen(), budget_round=budget_round, project_ids=[letters["A"].pk]
    )
    services.round_close(officer=officer, budget_round=budget_round)
    client = _client(officer)
    url = f"/budgets/{budget_round.pk}/projects/{letters['A'].pk}/delivery/"
    answer = client.post(
        url, {"mission": mission.pk, "delivery": "under_way", "note": "Poles ordered"}
    )
    assert answer.status_code == 302
    results = page(Client().get(f"/budgets/{budget_round.pk}/results/"))
    assert "Poles ordered" in results and mission.title in results
    assert _client(factories.OfficerFactory()).get(url).status_code == 403
