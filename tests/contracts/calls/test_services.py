"""Calls through the services: drafting, weights, publishing, closing, cancelling and the
evaluation panel; every allowed and refused move, for every role."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.missions import services as mission_services
from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import (
    CallFactory,
    EvaluatorFactory,
    MemberFactory,
    MissionFactory,
    OfficerFactory,
    ProposalFactory,
)
from tests.helpers import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
CS = Call.Status
PS = Proposal.Status


def call_data(**overrides):
    now = timezone.now()
    data = {
        "instrument": "grant",
        "title": "ทุนดูแลผู้สูงอายุ",
        "budget_ceiling": Decimal("300000.00"),
        "opens_at": now,
        "closes_at": now + datetime.timedelta(days=10),
        "costing_method": "per_person",
    }
    data.update(overrides)
    return data


def close(call):
    """The officer closes the call so decisions can be made."""
    officer = call.created_by
    return call_services.call_close(call=call, user=officer)


# --- calls -----------------------------------------------------------------------------


def test_an_officer_drafts_a_call_with_equal_weights_and_the_missions_eligibility():
    officer = OfficerFactory()
    mission = MissionFactory(officer=officer, provinces=["10", "50"], activity_field="health")

    call = call_services.call_create(user=officer, mission=mission, **call_data())

    call = fresh(call)
    assert call.status == CS.DRAFT
    assert call.agency_id == officer.agency_id
    assert call.criteria_weights == {
        "expertise": 20,
        "standards": 20,
        "service_area": 20,
        "track_record": 20,
        "networking": 20,
    }
    assert sorted(p.code for p in call.eligible_provinces.all()) == ["10", "50"]
    assert [f.code for f in call.eligible_activity_fields.all()] == ["health"]
    assert [row.action for row in audit_history(call)] == ["create"]


@pytest.mark.parametrize(
    "who", ["other_officer", "member", "evaluator", "staff_admin"], ids=lambda w: w
)
def test_only_the_missions_agency_opens_a_call(who, request):
    mission = MissionFactory()
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        call_services.call_create(user=user, mission=mission, **call_data())
    assert not Call.objects.exists()


def test_a_mission_limited_to_information_cannot_open_a_call():
    officer = OfficerFactory()
    mission = MissionFactory(
        officer=officer, service_category="administrative", mission_type="direct_service"
    )

    with pytest.raises(InvalidTransition) as exc:
        CallFactory(officer=officer, mission=mission)

    assert "A call cannot be opened for this mission" in exc.value.message
    assert "“Information”" in exc.value.message
    assert not Call.objects.exists()


def test_a_draft_whose_mission_became_information_only_is_not_published():
    officer = OfficerFactory()
    mission = MissionFactory(officer=officer, service_category="social_cultural")
    call = CallFactory(officer=officer, mission=mission, status=CS.DRAFT)
    mission_services.mission_update(
        mission=mission, officer=officer, service_category="administrative"
    )

    with pytest.raises(InvalidTransition) as exc:
        call_services.call_publish(call=fresh(call), user=officer)

    assert "A call cannot be opened for this mission" in exc.value.message
    assert fresh(call).status == CS.DRAFT


@pytest.mark.parametrize(
    ("category", "mission_type"),
    [("industrial_commercial", "technical"), ("social_cultural", "direct_service")],
)
def test_a_mission_open_beyond_information_opens_a_call(category, mission_type):
    officer = OfficerFactory()
    mission = MissionFactory(officer=officer, service_category=category, mission_type=mission_type)

    call = CallFactory(officer=officer, mission=mission, status=CS.DRAFT)

    assert call.mission_id == mission.pk and call.status == CS.DRAFT


@pytest.mark.parametrize(
    "who", ["other_officer", "member", "evaluator", "staff_admin"], ids=lambda w: w
)
def test_others_are_refused_an_administrative_mission_for_who_they_are(who, request):
    mission = MissionFactory(service_category="administrative", mission_type="permits")
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        call_services.call_create(user=user, mission=mission, **call_data())
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"expertise": 30, "standards": 20, "service_area": 20, "track_record": 15,
          "networking": 10}, "now 95"),
        ({"expertise": 101, "standards": 0, "service_area": 0, "track_record": 0,
          "networking": -1}, "whole number from 0 to 100"),
        ({"expertise": "20.5", "standards": 20, "service_area": 20, "track_record": 20,
          "networking": 20}, "whole number"),
        ({"expertise": 40, "standards": 20, "service_area": 20, "track_record": 20},
         "each of the five"),
        ({"expertise": 20, "standards": 20, "service_area": 20, "track_record": 20,
          "networking": 10, "price": 10}, "Unknown criteria: price"),
    ],
)  # fmt: skip
def test_weights_are_five_whole_numbers_that_sum_to_100(weights, message):
    officer = OfficerFactory()
    mission = MissionFactory(officer=officer)

    with pytest.raises(ValidationError) as exc:
        call_services.call_create(
            user=officer, mission=mission, **call_data(criteria_weights=weights)
        )
    assert list(exc.value.message_dict) == ["criteria_weights"]
    assert message in exc.value.message_dict["criteria_weights"][0]


def test_the_database_holds_the_weights_at_100():
    call = CallFactory(status="draft")
    call.weight_expertise = 25

    with pytest.raises(IntegrityError), transaction.atomic():
        call.save(update_fields=["weight_expertise"])


def test_weights_that_sum_to_100_are_kept():
    officer = OfficerFactory()
    weights = {
        "expertise": 30,
        "standards": 25,
        "service_area": 20,
        "track_record": 15,
        "networking": 10,
    }
    call = call_services.call_create(
        user=officer,
        mission=MissionFactory(officer=officer),
        **call_data(criteria_weights=weights),
    )
    assert fresh(call).criteria_weights == weights


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"budget_ceiling": "0"}, "budget_ceiling"),
        ({"budget_ceiling": "12.345"}, "budget_ceiling"),
        ({"budget_ceiling": "abc"}, "budget_ceiling"),
        ({"budget_ceiling": "1000000000000"}, "budget_ceiling"),
        ({"instrument": "loan"}, "instrument"),
        ({"costing_method": "free"}, "costing_method"),
        ({"eligible_provinces": ["10", "99"]}, "eligible_provinces"),
        ({"closes_at": timezone.now() - datetime.timedelta(days=1)}, "closes_at"),
        ({"opens_at": datetime.datetime(2027, 1, 1)}, "opens_at"),  # noqa: DTZ001 - naive
    ],
)
def test_a_call_with_bad_answers_is_refused_by_field(overrides, field):
    officer = OfficerFactory()
    with pytest.raises(ValidationError) as exc:
        call_services.call_create(
            user=officer, mission=MissionFactory(officer=officer), **call_data(**overrides)
        )
    assert field in exc.value.message_dict


def test_a_draft_call_can_be_changed_and_a_published_one_cannot():
    call = CallFactory(status="draft")
    officer = call.created_by

    call_services.call_update(call=call, user=officer, budget_ceiling="450000.00")
    assert fresh(call).budget_ceiling == Decimal("450000.00")

    call_services.call_publish(call=call, user=officer)
    with pytest.raises(InvalidTransition):
        call_services.call_update(call=call, user=officer, budget_ceiling="900000.00")
    assert fresh(call).budget_ceiling == Decimal("450000.00")


def test_another_agencys_officer_cannot_touch_a_call(other_officer):
    call = CallFactory(status="draft")
    for action in (
        lambda: call_services.call_update(call=call, user=other_officer, title="x"),
        lambda: call_services.call_publish(call=call, user=other_officer),
        lambda: call_services.call_cancel(call=call, user=other_officer, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert fresh(call).status == CS.DRAFT


def test_publish_close_and_the_audit_trail():
    call = CallFactory(status="draft")
    officer = call.created_by

    call_services.call_publish(call=call, user=officer)
    call_services.call_close(call=call, user=officer, reason="ครบกำหนด")

    call = fresh(call)
    assert call.status == CS.CLOSED and call.published_at and call.closed_at
    rows = list(audit_history(call))
    assert [(r.action, r.from_status, r.to_status, r.actor) for r in rows[1:]] == [
        ("publish", "draft", "open", officer),
        ("close", "open", "closed", officer),
    ]
    with pytest.raises(InvalidTransition):
        call_services.call_publish(call=call, user=officer)


def test_a_call_whose_closing_time_has_passed_cannot_be_published():
    call = CallFactory(status="draft")
    late = call.closes_at + datetime.timedelta(seconds=1)
    with time_machine.travel(late), pytest.raises(ValidationError) as exc:
        call_services.call_publish(call=call, user=call.created_by)
    assert "closes_at" in exc.value.message_dict
    assert fresh(call).status == CS.DRAFT


def test_an_open_call_reads_closed_from_its_closing_time_and_the_sweep_closes_it():
    call = CallFactory()
    other = CallFactory(closes_at=call.closes_at + datetime.timedelta(days=3))

    with time_machine.travel(call.closes_at):
        assert fresh(call).effective_status() == CS.CLOSED
        assert fresh(call).status == CS.OPEN  # nobody closed it yet
        assert call_services.call_close_due() == 1

    assert fresh(call).status == CS.CLOSED
    assert fresh(call).closed_at == call.closes_at
    assert fresh(other).status == CS.OPEN
    last = list(audit_history(call))[-1]
    assert (last.action, last.actor, last.to_status) == ("close", None, "closed")


def test_cancelling_needs_a_reason_and_tells_the_waiting_proposals():
    call = CallFactory()
    submitted = ProposalFactory(call=call, status="submitted")
    draft = ProposalFactory(call=call)

    with pytest.raises(ValidationError):
        call_services.call_cancel(call=call, user=call.created_by, reason="  ")
    call_services.call_cancel(call=call, user=call.created_by, reason="งบประมาณถูกปรับลด")

    assert fresh(call).status == CS.CANCELLED
    assert fresh(submitted).status == PS.NOT_SELECTED
    assert "งบประมาณถูกปรับลด" in fresh(submitted).decision_reason
    assert fresh(draft).status == PS.DRAFT
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_submit(proposal=draft, user=draft.cso.members.first())


def test_the_panel_holds_evaluators_only_and_keeps_those_who_scored():
    from assessments.reviews.services import review_save

    call = CallFactory()
    officer = call.created_by
    first, second = EvaluatorFactory(), EvaluatorFactory()
    not_an_evaluator = MemberFactory()

    with pytest.raises(ValidationError) as exc:
        call_services.call_assign_evaluators(
            call=call, user=officer, usernames=[first.username, not_an_evaluator.username]
        )
    assert not_an_evaluator.username in exc.value.message_dict["usernames"][0]

    call_services.call_assign_evaluators(
        call=call, user=officer, usernames=[first.username, second.username]
    )
    assert set(call.evaluators.all()) == {first, second}

    proposal = ProposalFactory(call=call, status="submitted")
    review_save(
        proposal=proposal, evaluator=first, scores={"expertise": 3}, no_conflict_of_interest=True
    )
    with pytest.raises(ValidationError):
        call_services.call_assign_evaluators(call=call, user=officer, usernames=[second.username])
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[first.username])
    assert list(call.evaluators.all()) == [first]
    assert audit_history(call).filter(action="assign_evaluators").count() == 2


def test_only_the_calls_officers_assign_evaluators(other_officer, evaluator):
    call = CallFactory()
    with pytest.raises(PermissionDenied):
        call_services.call_assign_evaluators(
            call=call, user=other_officer, usernames=[evaluator.username]
        )
    assert not call.evaluators.exists()
