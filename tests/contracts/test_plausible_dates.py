"""Proposal and agreement dates lie in a plausible window: not before the call opened, not
more than 10 years ahead, and an award does not start in the past. No year 0001 or 9999
reaches the database, by the services, the pages or the API."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from tests.factories import CallFactory, ProposalFactory, selected_proposal
from tests.helpers import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _member(proposal):
    return proposal.cso.members.get()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start_date", datetime.date(1, 1, 1), "on or after the day the call opened"),
        ("end_date", datetime.date(9999, 12, 31), "within 10 years from today"),
        ("start_date", datetime.date(2026, 1, 1), "on or after the day the call opened"),
    ],
)
def test_a_proposal_date_outside_the_window_is_refused(field, value, message):
    draft = ProposalFactory(complete=False)

    with pytest.raises(ValidationError) as refused:
        proposal_services.proposal_update(proposal=draft, user=_member(draft), **{field: value})

    assert message in refused.value.message_dict[field][0]
    assert getattr(Proposal.objects.get(pk=draft.pk), field) is None


def test_the_api_answers_400_not_500_for_the_year_9999(api_as):
    draft = ProposalFactory(complete=False)

    response = api_as(_member(draft), lang="en").patch(
        f"/api/v1/proposals/{draft.pk}/",
        {"start_date": "9999-01-01", "end_date": "9999-12-31"},
        format="json",
    )

    assert_error(response, 400, "validation_error", fields=["start_date", "end_date"])


def test_the_window_is_shown_in_buddhist_era_in_thai():
    draft = ProposalFactory(complete=False)
    opened = timezone.localtime(draft.call.opens_at).date()

    with pytest.raises(ValidationError) as refused, translation.override("th"):
        proposal_services.proposal_update(
            proposal=draft, user=_member(draft), start_date=opened - datetime.timedelta(1)
        )

    message = refused.value.message_dict["start_date"][0]
    assert f"พ.ศ. {opened.year + 543}" in message
    assert opened.isoformat() not in message


def test_an_award_whose_period_has_started_needs_a_start_from_today():
    # The proposal was written a month ago to start a week later; it is awarded today.
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30)):
        call = CallFactory()
        today_then = timezone.localdate()
        proposal = selected_proposal(
            call=call,
            start_date=today_then + datetime.timedelta(days=7),
            end_date=today_then + datetime.timedelta(days=200),
        )
    officer = call.created_by

    with pytest.raises(ValidationError) as refused:
        agreement_services.agreement_award(proposal=proposal, officer=officer)
    assert (
        "which has passed; give a start date from today on"
        in (refused.value.message_dict["start_date"][0])
    )
    assert not Agreement.objects.exists()

    today = timezone.localdate()
    agreement = agreement_services.agreement_award(
        proposal=proposal, officer=officer, start_date=today
    )
    assert (agreement.start_date, agreement.end_date) == (today, proposal.end_date)
