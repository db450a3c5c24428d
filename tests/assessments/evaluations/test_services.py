"""Evaluations of agreements through the services: periodic evaluations by outside
evaluators, and an officer's internal evaluation of their own agency's agreement only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.evaluations import services as evaluation_services
from assessments.evaluations.models import Evaluation
from portal.workflow import InvalidTransition
from tests.factories import EvaluatorFactory, award
from tests.helpers import fresh, officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- commissioning --------------------------------------------------------------------------


def test_periodic_evaluations_by_outside_evaluators_with_users_views():
    agreement = award(instrument="commissioning")
    officer = officer_of(agreement)
    university = EvaluatorFactory(username="cmu-evaluation")
    evaluation = evaluation_services.evaluation_add(
        agreement=agreement, officer=officer, due_on=datetime.date(2027, 6, 30), mode="external"
    )
    evaluation_services.evaluation_plan(
        evaluation=evaluation,
        officer=officer,
        evaluators=[university.username],
        committee=[
            {"name": "ผศ.ดร. วิภา", "organisation": "มหาวิทยาลัยเชียงใหม่", "type": "professional"},
            {"name": "นายสมชาย", "organisation": "กรมกิจการผู้สูงอายุ", "type": "agency"},
            {"name": "นางสมศรี", "organisation": agreement.cso.name_th, "type": "cso"},
        ],
    )
    with pytest.raises(PermissionDenied):  # external: the agency does not grade itself
        evaluation_services.evaluation_submit(
            evaluation=evaluation, user=officer, score=80, findings="x"
        )
    with pytest.raises(ValidationError) as exc:
        evaluation_services.evaluation_submit(
            evaluation=evaluation, user=university, score="101", findings=""
        )
    assert set(exc.value.message_dict) == {"score", "findings"}
    evaluation_services.evaluation_submit(
        evaluation=evaluation,
        user=university,
        score="76.5",
        findings="บริการต่อเนื่อง ควรเพิ่มผู้ดูแล",
        users_views="ผู้รับบริการพึงพอใจร้อยละ 88",
    )
    evaluation = fresh(evaluation)
    assert (evaluation.status, evaluation.score) == ("submitted", Decimal("76.50"))
    assert [m["type"] for m in evaluation.committee] == ["professional", "agency", "cso"]
    with pytest.raises(InvalidTransition):
        evaluation_services.evaluation_submit(
            evaluation=evaluation, user=university, score="50", findings="แก้ไข"
        )


# --- ending ---------------------------------------------------------------------------------


def test_an_officer_can_evaluate_internally_but_not_someone_elses(other_officer):
    agreement = award(instrument="performance_contract")
    midterm = agreement.evaluations.get(kind="midterm")
    with pytest.raises(PermissionDenied):
        evaluation_services.evaluation_submit(
            evaluation=midterm, user=other_officer, score=1, findings="x"
        )
    assert fresh(midterm).status == Evaluation.Status.SCHEDULED


# --- planning is audited (issue 13, item 7) ---------------------------------------------------


def test_planning_an_evaluation_leaves_audit_rows_with_who_and_what_changed():
    from portal.audit import audit_history

    agreement = award(instrument="commissioning")
    officer = officer_of(agreement)
    university = EvaluatorFactory(username="cmu-evaluation")
    evaluation = evaluation_services.evaluation_add(
        agreement=agreement, officer=officer, due_on=datetime.date(2027, 6, 30)
    )
    [added] = audit_history(evaluation)
    assert (added.action, added.actor, added.data["due_on"]) == ("create", officer, "2027-06-30")

    committee = [{"name": "ผศ.ดร. วิภา", "organisation": "มหาวิทยาลัยเชียงใหม่", "type": "professional"}]
    evaluation_services.evaluation_plan(
        evaluation=evaluation,
        officer=officer,
        mode="external",
        evaluators=[university.username],
        committee=committee,
        due_on=datetime.date(2027, 5, 31),
    )
    planned = list(audit_history(evaluation))[-1]
    assert (planned.action, planned.actor) == ("plan_evaluation", officer)
    assert planned.data["mode"] == {"from": "internal", "to": "external"}
    assert planned.data["evaluators"] == {"from": [], "to": ["cmu-evaluation"]}
    assert planned.data["committee"]["to"] == committee
    assert planned.data["due_on"] == {"from": "2027-06-30", "to": "2027-05-31"}

    # Saving the same plan again changes nothing and records nothing.
    evaluation_services.evaluation_plan(
        evaluation=evaluation, officer=officer, mode="external", committee=committee
    )
    assert len(audit_history(evaluation)) == 2
