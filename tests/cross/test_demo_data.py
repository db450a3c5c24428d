"""`make run` seeds demo data; a second run must change nothing and fail on nothing."""

import pytest
from django.core.management import call_command

from agencies.budgets.models import BudgetProject, BudgetRound
from contracts.calls.models import Call
from contracts.proposals.models import Proposal
from csos.models import CSO, BankAccount
from portal.models import User

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        CSO.objects.count(),
        Call.objects.count(),
        Proposal.objects.count(),
        BudgetProject.objects.count(),
    )


def test_demo_data_is_seeded_once_through_the_services(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert Call.objects.filter(status="open").count() == 2
    assert set(Proposal.objects.values_list("status", flat=True)) == {"submitted"}
    evaluator = User.objects.get(username="evaluator")
    assert all(evaluator in call.evaluators.all() for call in Call.objects.all())
    assert "demo-pass" in capsys.readouterr().out
    # Each approved demo CSO has the bank account its tranches are released into.
    assert BankAccount.objects.count() == CSO.objects.filter(status="approved").count() == 2
    # A participatory budget whose vote is open, and a verified citizen to vote in it.
    citizen = User.objects.get(username="citizen")
    assert citizen.email_verified_at is not None
    budget = BudgetRound.objects.get()
    assert budget.status == "voting"
    assert budget.projects.filter(status="feasible").count() == 3


def test_demo_seeding_is_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEMO_SEEDING_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="officer").exists()
