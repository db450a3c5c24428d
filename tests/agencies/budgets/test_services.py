"""Participatory budgeting through the services: a round from ideas to published results,
the count on a worked example (with its tie broken as the round says), one ballot per
account that can change until closing, refusals for the wrong person or the wrong stage,
and concurrent ballots on PostgreSQL."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.budgets import rules, selectors, services
from agencies.budgets.models import Ballot, BudgetProject, BudgetRound
from portal.audit import audit_history
from portal.models import Notice
from portal.workflow import InvalidTransition
from tests import factories
from tests.helpers import run_together

pytestmark = pytest.mark.django_db

# The worked example: a 5,000,000-baht envelope and five projects, proposed in this order.
PROJECTS = [
    ("ไฟส่องสว่างถนนเลียบคลอง", "2000000"),  # A
    ("ศูนย์เด็กเล็กบ้านป่าแดด", "2500000"),  # B
    ("ลานกีฬาชุมชนหนองหอย", "1000000"),  # C
    ("รถรับส่งผู้สูงอายุไปโรงพยาบาล", "1500000"),  # D
    ("ป้ายบอกทางอักษรเบรลล์", "400000"),  # E
]
# Seven ballots, each within the envelope: A 5 votes, B 4, C 4, D 3, E none.
BALLOTS = ["AB", "AB", "AB", "ACD", "ACD", "BC", "CD"]


def _ready_to_vote(officer, **over):
    made = factories.budget_round(officer, projects=PROJECTS, **over)
    services.round_start_review(officer=officer, budget_round=made)
    for project in made.projects.all():
        services.project_review(officer=officer, project=project, feasible=True)
    return services.round_start_voting(officer=officer, budget_round=made)


def _by_letter(budget_round):
    return dict(zip("ABCDE", budget_round.projects.order_by("created_at", "pk"), strict=True))


def _vote_all(budget_round, ballots=BALLOTS):
    letters = _by_letter(budget_round)
    for ballot in ballots:
        services.ballot_cast(
            voter=factories.citizen(),
            budget_round=budget_round,
            project_ids=[letters[x].pk for x in ballot],
        )
    return letters


def test_the_worked_example_selects_the_most_voted_that_fit_and_breaks_the_tie_by_cost(officer):
    budget_round = _ready_to_vote(officer)
    letters = _vote_all(budget_round)
    services.round_close(officer=officer, budget_round=budget_round)

    rows = selectors.results(budget_round)
    # B and C tie on 4 votes: the cheaper (C) is counted first. A (2.0M) and C (1.0M) fit;
    # B (2.5M) no longer fits the 2.0M left and is skipped; D (1.5M) fits; E has no vote.
    assert [(r["project"].pk, r["votes"], r["selected"]) for r in rows] == [
        (letters["A"].pk, 5, True),
        (letters["C"].pk, 4, True),
        (letters["B"].pk, 4, False),
        (letters["D"].pk, 3, True),
        (letters["E"].pk, 0, False),
    ]
    assert [r["running_total"] for r in rows] == [
        Decimal("2000000"), Decimal("3000000"), Decimal("3000000"), Decimal("4500000"),
        Decimal("4500000"),
    ]  # fmt: skip
    budget_round.refresh_from_db()
    assert budget_round.status == "closed" and budget_round.ballot_count == 7
    # Every proposer heard the feasibility decision; every voter hears the result.
    assert Notice.objects.filter(kind="budget_project_checked").count() == 5
    assert Notice.objects.filter(kind="budget_results").count() == 7
    results = [e for e in audit_history(budget_round) if e.action == "budget_results"]
    assert results[0].data["selected"] == [letters[x].pk for x in "ACD"]
    assert results[0].data["total"] == "4500000.00"


def test_ties_broken_by_the_earlier_proposal_change_the_outcome(officer):
    budget_round = _ready_to_vote(officer, tie_break="earlier")
    letters = _vote_all(budget_round)
    services.round_close(officer=officer, budget_round=budget_round)
    selected = set(budget_round.projects.filter(status="selected").values_list("pk", flat=True))
    # A, then B (proposed before C): 4.5M spent; C (1.0M) and D (1.5M) no longer fit.
    assert selected == {letters["A"].pk, letters["B"].pk}


def test_the_rule_is_a_pure_function_anyone_can_rerun():
    counted = [
        rules.Counted(1, Decimal("300"), 2, 0),
        rules.Counted(2, Decimal("800"), 9, 1),
        rules.Counted(3, Decimal("100"), 2, 2),
    ]
    outcomes = rules.select_within_envelope(counted, Decimal("1000"), "lower_cost")
    assert [(o.pk, o.selected, o.running_total) for o in outcomes] == [
        (2, True, Decimal("800")),
        (3, True, Decimal("900")),
        (1, False, Decimal("900")),
    ]


def test_one_ballot_per_account_changeable_until_closing(officer):
    budget_round = _ready_to_vote(officer)
    letters = _by_letter(budget_round)
    voter = factories.citizen()
    services.ballot_cast(voter=voter, budget_round=budget_round, project_ids=[letters["A"].pk])
    services.ballot_cast(
        voter=voter, budget_round=budget_round, project_ids=[letters["C"].pk, letters["D"].pk]
    )
    assert Ballot.objects.filter(round=budget_round).count() == 1
    assert selectors.my_ballot(voter, budget_round) == {letters["C"].pk, letters["D"].pk}
    budget_round.refresh_from_db()
    assert budget_round.ballot_count == 1
    services.round_close(officer=officer, budget_round=budget_round)
    with pytest.raises(InvalidTransition):
        services.ballot_cast(voter=voter, budget_round=budget_round, project_ids=[letters["A"].pk])


def test_a_ballot_over_the_envelope_or_off_the_ballot_is_refused(officer):
    budget_round = _ready_to_vote(officer)
    letters = _by_letter(budget_round)
    voter = factories.citizen()
    with pytest.raises(ValidationError) as over:
        services.ballot_cast(
            voter=voter,
            budget_round=budget_round,
            project_ids=[letters[x].pk for x in "ABC"],  # 5.5M
        )
    assert "5,500,000.00" in over.value.message_dict["projects"][0]
    for bad in ([], ["x"], [999999]):
        with pytest.raises(ValidationError):
            services.ballot_cast(voter=voter, budget_round=budget_round, project_ids=bad)
    assert not Ballot.objects.exists()


def test_who_may_do_what_and_when(officer, other_officer):
    budget_round = factories.budget_round(officer, projects=PROJECTS[:1])
    unverified = factories.citizen(verified=False)
    with pytest.raises(PermissionDenied):
        services.project_propose(
            person=unverified,
            budget_round=budget_round,
            data={"title": "x", "description": "y", "cost": "10"},
        )
    with pytest.raises(PermissionDenied):
        services.round_start_review(officer=other_officer, budget_round=budget_round)
    with pytest.raises(InvalidTransition):  # voting before review
        services.round_start_voting(officer=officer, budget_round=budget_round)
    with pytest.raises(InvalidTransition):
        services.ballot_cast(voter=factories.citizen(), budget_round=budget_round, project_ids=[1])
    services.round_start_review(officer=officer, budget_round=budget_round)
    with pytest.raises(InvalidTransition):  # no more ideas once in review
        services.project_propose(
            person=factories.citizen(),
            budget_round=budget_round,
            data={"title": "x", "description": "y", "cost": "10"},
        )
    with pytest.raises(ValidationError):  # a project still waits for its decision
        services.round_start_voting(officer=officer, budget_round=budget_round)
    project = budget_round.projects.get()
    with pytest.raises(ValidationError) as no_reason:
        services.project_review(officer=officer, project=project, feasible=False)
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(PermissionDenied):
        services.project_review(officer=other_officer, project=project, feasible=True)
    services.project_review(
        officer=officer, project=project, feasible=False, reason="อยู่นอกเขตจังหวัด"
    )
    with pytest.raises(ValidationError):  # nothing feasible: nothing to vote on
        services.round_start_voting(officer=officer, budget_round=budget_round)
    assert [e.action for e in audit_history(project)] == ["create", "budget_feasibility"]
    told = Notice.objects.get(kind="budget_project_checked", recipient=project.proposer)
    assert "อยู่นอกเขตจังหวัด" in told.body  # the reason reaches the resident


def test_bad_amounts_and_text_are_refused_field_by_field(officer):
    with pytest.raises(ValidationError) as bad:
        factories.budget_round(officer, envelope="lots", title="")
    assert set(bad.value.message_dict) >= {"envelope", "title"}
    budget_round = factories.budget_round(officer)
    for cost in ("0", "-5", "abc", "6000000", "10.001", "NaN", "1e400"):
        with pytest.raises(ValidationError) as refused:
            services.project_propose(
                person=factories.citizen(),
                budget_round=budget_round,
                data={"title": "ห้องสมุด", "description": "หนังสือ", "cost": cost},
            )
        assert "cost" in refused.value.message_dict, cost
    assert not BudgetProject.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_ballots_count_each_account_once(officer):
    budget_round = _ready_to_vote(officer)
    letters = _by_letter(budget_round)
    voter = factories.citizen()
    others = [factories.citizen() for _ in range(4)]
    outcomes = run_together(
        *[
            (lambda v=v: services.ballot_cast(
                voter=v, budget_round=budget_round, project_ids=[letters["A"].pk]
            ))
            for v in [voter, voter, voter, *others]
        ]
    )  # fmt: skip
    assert all(isinstance(o, Ballot) for o in outcomes), outcomes
    budget_round.refresh_from_db()
    assert Ballot.objects.filter(round=budget_round).count() == 5
    assert budget_round.ballot_count == 5
    assert BudgetRound.objects.get(pk=budget_round.pk).status == "voting"
