"""Schemathesis over the whole OpenAPI schema, as anonymous and as each role: no input makes
the API answer 5xx, and every answer (status, content type, body) is one the schema
documents.

The schema is read from the app itself (``/api/schema/``) and each generated request goes
through the WSGI application in-process, on a small realistic dataset: an agency with an
officer and a mission, an approved CSO with a submitted proposal to an open call that has
an evaluator assigned, an active performance contract whose mid-term evaluation that
evaluator makes, a CSO waiting for review and another government system with every scope.
Path ids mostly point at those rows (so actions reach real objects in real states); some
stay as generated, so a missing object is tried too.

Each request runs inside a savepoint that is rolled back afterwards: every example starts
from the same data, so a failure is reproducible on its own. The run is bounded and
deterministic (fixed seed, a few examples per operation, no shrinking) so CI stays stable.
"""

from types import SimpleNamespace

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.views import APIView
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments.evaluations.services import evaluation_plan
from contracts.calls import services as call_services
from portal.models import ApiClient
from portal.roles import Role
from portal.wsgi import application
from tests import factories
from tests.helpers import assert_error

MAX_EXAMPLES = 8
SEED = 20260601
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }
)

ROLES = [
    None,
    Role.AGENCY_OFFICER,
    Role.CSO_MEMBER,
    Role.COMMITTEE_REVIEWER,
    Role.EVALUATOR,
    Role.API_CLIENT,
    Role.STAFF_ADMIN,
]


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small world every request runs against, made once for the module inside a
    transaction that is rolled back at its end; each test then runs in a savepoint of it."""
    media = tmp_path_factory.mktemp("fuzz-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield _seed(media)
        transaction.set_rollback(True)


def _seed(media):
    agency = factories.AgencyFactory()
    officer = factories.OfficerFactory(agency=agency)
    mission = factories.MissionFactory(officer=officer)
    cso = factories.CSOFactory(status="approved")
    member = cso.members.get()
    call = factories.CallFactory(officer=officer, mission=mission)
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    evaluator = factories.EvaluatorFactory()
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[evaluator.username])
    agreement = factories.award(
        instrument="performance_contract",
        cso=cso,
        call=factories.CallFactory(
            instrument="performance_contract", officer=officer, mission=mission
        ),
    )
    evaluation_plan(
        evaluation=agreement.evaluations.order_by("due_on").first(),
        officer=officer,
        mode="external",
        evaluators=[evaluator.username],
    )
    waiting_cso = factories.CSOFactory(status="submitted")
    users = {
        Role.AGENCY_OFFICER: officer,
        Role.CSO_MEMBER: member,
        Role.COMMITTEE_REVIEWER: factories.ReviewerFactory(),
        Role.EVALUATOR: evaluator,
        Role.API_CLIENT: factories.ApiClientFactory(scopes=list(ApiClient.Scope.values)).user,
        Role.STAFF_ADMIN: factories.StaffAdminFactory(),
    }
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    # What each path parameter may point at, by the resource the path starts with.
    ids = {
        "agencies": {"id": [agency.pk]},
        "missions": {"id": [mission.pk]},
        "csos": {
            "id": [cso.pk, waiting_cso.pk],
            "document_id": list(cso.documents.values_list("pk", flat=True)),
        },
        "calls": {"id": [call.pk, agreement.proposal.call_id]},
        "proposals": {
            "id": [proposal.pk, agreement.proposal_id],
            "document_id": list(proposal.documents.values_list("pk", flat=True)),
        },
        "agreements": {
            "id": [agreement.pk],
            "eid": list(agreement.evaluations.values_list("pk", flat=True)),
            "seq": [1, 2],
        },
        "notices": {"id": list(member.notices.values_list("pk", flat=True))},
    }
    return SimpleNamespace(tokens=tokens, ids=ids, media=media)


@pytest.fixture
def world(db, dataset, settings):
    """The seeded data, in this test's savepoint; its uploaded files where it left them.
    A real request closes stale connections when it starts and ends; inside a test that
    would break the transaction the data lives in, so those two hooks are off here (as in
    Django's test client). Throttles are off too: hundreds of requests by one caller are
    the fuzzer's, not a client's, and throttling has tests of its own."""
    settings.MEDIA_ROOT = dataset.media
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    original = APIView.check_throttles
    APIView.check_throttles = lambda self, request: None
    try:
        yield dataset
    finally:
        APIView.check_throttles = original
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


def point_at_seeded_rows(case, ids):
    """Most generated ids become the seeded rows' (one in four stays as generated, so a
    missing object is asked for too)."""
    resource = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    for name, value in (case.path_parameters or {}).items():
        choices = ids.get(resource, {}).get(name)
        if choices and isinstance(value, int) and value % 4 != 3:
            case.path_parameters[name] = choices[value % len(choices)]


@schema.parametrize()
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
# Health checks judge the data generation, not the API: CI must not flake on them.
@hypothesis_settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_breaks_the_api_or_its_schema(case, role, world):
    point_at_seeded_rows(case, world.ids)
    headers = {"Authorization": f"Token {world.tokens[role]}"} if role else {}
    savepoint = transaction.savepoint()
    try:
        response = case.call(headers=headers)
    finally:
        transaction.savepoint_rollback(savepoint)
    case.validate_response(response, checks=CHECKS, headers=headers)


@pytest.mark.django_db
def test_an_api_address_that_names_nothing_answers_in_the_error_shape(api_client, client):
    for address in ("/api/v1/csos/abc/", "/api/v1/agreements/1/tranches/x/pay/", "/api/v2/"):
        response = api_client.get(address, HTTP_ACCEPT_LANGUAGE="en")
        assert response["Content-Type"] == "application/json"
        assert_error(response, 404, "not_found")
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
