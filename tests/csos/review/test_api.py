"""The committee's decisions through /api/v1/csos/<id>/: approval with its certificate details,
a reason for every other decision."""

import pytest

from csos.models import CSO
from tests.factories import CSOFactory, ReviewerFactory
from tests.helpers import assert_error, fresh

pytestmark = pytest.mark.django_db
S = CSO.Status
LIST = "/api/v1/csos/"


def url(cso, action=""):
    return f"{LIST}{cso.pk}/" + (f"{action}/" if action else "")


# --- actions, as each role ------------------------------------------------------------


# action -> (the status it starts from, the status it leads to, who may do it)
ALLOWED = {
    "submit": (S.DRAFT, S.SUBMITTED, "own_member"),
    "approve": (S.SUBMITTED, S.APPROVED, "reviewer"),
    "request-changes": (S.SUBMITTED, S.CHANGES_REQUESTED, "reviewer"),
    "reject": (S.SUBMITTED, S.REJECTED, "reviewer"),
    "suspend": (S.APPROVED, S.SUSPENDED, "reviewer"),
    "reinstate": (S.SUSPENDED, S.APPROVED, "reviewer"),
}


def test_approval_answers_with_the_certificate_details(api_as):
    cso = CSOFactory(status=S.SUBMITTED, activity_fields=["social_services", "health"])

    body = (
        api_as(ReviewerFactory())
        .post(
            url(cso, "approve"),
            {"certified_fields": ["health"], "scope_note": "ดูแลสุขภาพ"},
            format="json",
        )
        .json()
    )

    assert body["certified_fields"] == ["health"]
    assert body["scope_note"] == "ดูแลสุขภาพ"
    assert body["certificate_number"].startswith("NCCS-")
    assert body["approved_at"]


@pytest.mark.parametrize("action", ["request-changes", "reject", "suspend"])
@pytest.mark.parametrize(
    "body", [{}, {"reason": "  "}, {"reason": ["list"]}], ids=["none", "blank", "list"]
)
def test_a_decision_needs_a_reason(api_as, action, body):
    cso = CSOFactory(status=ALLOWED[action][0])

    response = api_as(ReviewerFactory()).post(url(cso, action), body, format="json")

    assert_error(response, 400, "validation_error", fields=["reason"])
    assert fresh(cso).status == ALLOWED[action][0]


@pytest.mark.parametrize(
    "body", [{}, {"certified_fields": []}, {"certified_fields": ["space_travel"]}]
)
def test_approval_needs_certified_fields(api_as, body):
    cso = CSOFactory(status=S.SUBMITTED)

    response = api_as(ReviewerFactory()).post(url(cso, "approve"), body, format="json")

    assert_error(response, 400, "validation_error", fields=["certified_fields"])
    assert fresh(cso).status == S.SUBMITTED
