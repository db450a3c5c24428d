"""``manage.py seed_scale`` (issue 18): the national data set, here at a five-hundredth of
its size, has every kind of object the portal has, at the sizes asked, every row accepted by
the database's constraints; a second run changes nothing; production is refused."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from csos.models import CSO

pytestmark = pytest.mark.django_db

EVERY_KIND = [
    "agencies.Agency",
    "agencies.Mission",
    "csos.CSO",
    "contracts.Call",
    "contracts.Proposal",
    "contracts.BudgetLine",
    "contracts.CallEvaluator",
    "assessments.Review",
    "contracts.Agreement",
    "contracts.Tranche",
    "contracts.Settlement",
    "contracts.ProgressReport",
    "contracts.Expense",
    "contracts.Variation",
    "assessments.Evaluation",
    "assessments.FeedbackResponse",
    "assessments.Rating",
    "assessments.Grievance",
    "agencies.Consultation",
    "agencies.Contribution",
    "agencies.BudgetRound",
    "agencies.BudgetProject",
    "agencies.Ballot",
    "agencies.Poll",
    "agencies.Vote",
    "agencies.Meeting",
    "csos.Network",
]


def test_the_national_data_set_has_every_kind_of_object_at_the_sizes_asked():
    log = io.StringIO()
    call_command("seed_scale", scale=0.002, csos=90, agencies=4, stdout=log, stderr=log)

    assert CSO.objects.count() == 90
    empty = [label for label in EVERY_KIND if not apps.get_model(label).objects.exists()]
    assert empty == [], log.getvalue()
    agreements = apps.get_model("contracts.Agreement").objects.count()
    assert agreements == 40  # 20,000 at a five-hundredth

    again = io.StringIO()
    call_command("seed_scale", scale=0.002, stdout=again, stderr=again)
    assert "already there" in again.getvalue()
    assert CSO.objects.count() == 90


def test_production_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(CommandError, match="never runs in production"):
        call_command("seed_scale", scale=0.002, stdout=io.StringIO())
    assert not CSO.objects.exists()
