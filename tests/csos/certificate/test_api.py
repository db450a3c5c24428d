"""/api/v1/csos/<id>/certificate/: the certificate of an approved CSO, and none before."""

import pytest

from csos.models import CSO
from tests.factories import CSOFactory
from tests.factories.csos import caller
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db
S = CSO.Status
LIST = "/api/v1/csos/"


# --- actions, as each role ------------------------------------------------------------


# --- certificate ----------------------------------------------------------------------


def test_an_approved_cso_has_a_certificate(api_client):
    cso = CSOFactory(status=S.APPROVED)

    response = api_client.get(f"{LIST}{cso.pk}/certificate.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_contracts_certificate_address_answers_the_pdf(api_client):
    """api-contract.md spells it without the router's trailing slash."""
    cso = CSOFactory(status=S.APPROVED)

    response = api_client.get(f"{LIST}{cso.pk}/certificate.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.REJECTED, S.SUSPENDED]
)
@pytest.mark.parametrize("who", ["own_member", "reviewer"])
def test_no_certificate_before_approval_or_while_suspended(api_as, status, who):
    cso = CSOFactory(status=status)

    response = api_as(caller(who, cso)).get(f"{LIST}{cso.pk}/certificate.pdf")

    assert_error(response, 404, "not_found")
