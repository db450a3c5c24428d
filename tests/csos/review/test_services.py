"""The committee's decisions on a registration through the services: approve with certified
fields, request changes, reject, suspend and reinstate; and who may not decide."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from csos.models import CSO
from csos.review import services as review_services
from portal.roles import Role
from portal.workflow import InvalidTransition
from tests import factories
from tests.factories import CSOFactory, ReviewerFactory
from tests.helpers import audit_rows, fresh, last_audit

pytestmark = pytest.mark.django_db
S = CSO.Status


# --- the allowed moves ----------------------------------------------------------------


def test_reviewer_approves_with_certified_fields_and_scope_note():
    cso = CSOFactory(status=S.SUBMITTED, activity_fields=["social_services", "health"])
    reviewer = ReviewerFactory()

    review_services.cso_approve(
        cso=cso,
        reviewer=reviewer,
        certified_fields=["health"],
        scope_note="ร่วมจัดบริการดูแลผู้สูงอายุระยะยาว",
    )

    cso = fresh(cso)
    assert cso.status == S.APPROVED
    assert [f.code for f in cso.certified_fields.all()] == ["health"]
    assert cso.scope_note == "ร่วมจัดบริการดูแลผู้สูงอายุระยะยาว"
    assert cso.approved_at is not None
    be_year = cso.approved_at.year + 543
    assert cso.certificate_number == f"NCCS-{be_year}-{cso.pk:06d}"
    row = last_audit(cso)
    assert (row.action, row.actor, row.from_status, row.to_status, row.reason) == (
        "approve",
        reviewer,
        S.SUBMITTED,
        S.APPROVED,
        "ร่วมจัดบริการดูแลผู้สูงอายุระยะยาว",
    )
    assert row.data == {"certified_fields": ["health"]}


@pytest.mark.parametrize("certified", [[], ["not_a_field"]])
def test_approval_needs_known_certified_fields(certified):
    cso = CSOFactory(status=S.SUBMITTED)

    with pytest.raises(ValidationError) as exc:
        review_services.cso_approve(cso=cso, reviewer=ReviewerFactory(), certified_fields=certified)

    assert "certified_fields" in exc.value.message_dict
    assert fresh(cso).status == S.SUBMITTED


@pytest.mark.parametrize(
    ("decide", "target", "action"),
    [
        (review_services.cso_request_changes, S.CHANGES_REQUESTED, "request_changes"),
        (review_services.cso_reject, S.REJECTED, "reject"),
    ],
)
def test_reviewer_decides_with_a_reason(decide, target, action):
    cso = CSOFactory(status=S.SUBMITTED)
    reviewer = ReviewerFactory()

    decide(cso=cso, reviewer=reviewer, reason="  ขาดงบการเงินปีล่าสุด  ")

    cso = fresh(cso)
    assert cso.status == target
    assert cso.decision_reason == "ขาดงบการเงินปีล่าสุด"
    row = last_audit(cso)
    assert (row.action, row.actor, row.from_status, row.to_status, row.reason) == (
        action,
        reviewer,
        S.SUBMITTED,
        target,
        "ขาดงบการเงินปีล่าสุด",
    )


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        (S.SUBMITTED, review_services.cso_request_changes),
        (S.SUBMITTED, review_services.cso_reject),
        (S.APPROVED, review_services.cso_suspend),
    ],
)
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_decision_without_a_reason_is_refused(status, decide, reason):
    cso = CSOFactory(status=status)
    rows_before = len(audit_rows(cso))

    with pytest.raises(ValidationError) as exc:
        decide(cso=cso, reviewer=ReviewerFactory(), reason=reason)

    assert "reason" in exc.value.message_dict
    assert fresh(cso).status == status
    assert len(audit_rows(cso)) == rows_before


def test_reviewer_suspends_and_reinstates_an_approved_cso():
    cso = CSOFactory(status=S.APPROVED)
    number = cso.certificate_number
    reviewer = ReviewerFactory()

    review_services.cso_suspend(cso=cso, reviewer=reviewer, reason="ไม่ส่งรายงานผลการดำเนินงาน")
    assert fresh(cso).status == S.SUSPENDED
    assert fresh(cso).decision_reason == "ไม่ส่งรายงานผลการดำเนินงาน"

    review_services.cso_reinstate(cso=cso, reviewer=reviewer, reason="ส่งรายงานครบแล้ว")
    cso = fresh(cso)
    assert cso.status == S.APPROVED
    assert cso.decision_reason == ""
    assert cso.certificate_number == number

    trail = [(r.action, r.from_status, r.to_status, r.reason) for r in audit_rows(cso)][-2:]
    assert trail == [
        ("suspend", S.APPROVED, S.SUSPENDED, "ไม่ส่งรายงานผลการดำเนินงาน"),
        ("reinstate", S.SUSPENDED, S.APPROVED, "ส่งรายงานครบแล้ว"),
    ]
    assert {r.actor for r in audit_rows(cso)[-2:]} == {reviewer}


# --- refusals: the wrong person -------------------------------------------------------


def test_a_reviewer_cannot_decide_on_their_own_organisation():
    cso = CSOFactory(status=S.SUBMITTED)
    member = cso.members.get()
    factories.grant(member, [Role.COMMITTEE_REVIEWER])

    with pytest.raises(PermissionDenied):
        review_services.cso_approve(cso=cso, reviewer=member, certified_fields=["social_services"])
    assert fresh(cso).status == S.SUBMITTED


# --- refusals: the wrong status -------------------------------------------------------


def test_a_stale_copy_cannot_undo_another_reviewers_decision():
    """Two reviewers open the same registration; the second decision finds it decided."""
    cso = CSOFactory(status=S.SUBMITTED)
    stale = fresh(cso)
    review_services.cso_reject(cso=cso, reviewer=ReviewerFactory(), reason="ไม่ผ่านเกณฑ์")

    with pytest.raises(InvalidTransition):
        review_services.cso_approve(
            cso=stale, reviewer=ReviewerFactory(), certified_fields=["health"]
        )

    assert fresh(cso).status == S.REJECTED
    assert fresh(cso).certificate_number == ""
