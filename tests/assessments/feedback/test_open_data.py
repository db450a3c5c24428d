"""The report-card aggregates in the open data: responses and the mean per dimension of each
agreement in 360Giving ``additional_data`` and in the OCDS contract's implementation, both
files still valid against the official schemas, never a comment, and a new rating shows at
once (the cached files follow the answers)."""

import json

import jsonschema
import pytest

from assessments.feedback import services
from tests.contracts.open_data import test_open_data as od
from tests.factories import award

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "คุณสมศรีที่บ้านเลขที่ 12 ดูแลไม่ดี"


def rate(agreement, overall, address, **more):
    services.feedback_submit(
        agreement=agreement,
        ratings={"overall": overall, **more},
        comment=SECRET_COMMENT,
        address=address,
    )


@pytest.fixture(scope="module")
def giving_validator():
    """The official 360Giving schemas, offline, as the open data's own tests read them."""
    grant_schema = od._load("360giving", "360-giving-schema.json")
    return od._validator(
        jsonschema.Draft202012Validator,
        od._load("360giving", "360-giving-package-schema.json"),
        [(url, grant_schema) for url in od.GIVING_GRANT_URLS],
    )


@pytest.fixture(scope="module")
def ocds_validator():
    return od._validator(
        jsonschema.Draft4Validator,
        od._load("ocds-1.1.5", "release-package-schema.json"),
        [(od.OCDS_RELEASE_URL, od._load("ocds-1.1.5", "release-schema.json"))],
    )


@pytest.fixture
def rated():
    agreement = award()
    rate(agreement, 5, "192.0.2.1", courtesy=4)
    rate(agreement, 4, "192.0.2.2")
    unrated = award()
    return agreement, unrated


def test_360giving_carries_the_aggregates_and_stays_valid(api_client, rated, giving_validator):
    agreement, unrated = rated
    response = api_client.get("/api/v1/open-data/360giving.json")
    body = response.getvalue().decode()
    package = json.loads(body)
    od.assert_valid(giving_validator, package)
    grants = {g["id"]: g for g in package["grants"]}
    card = grants[f"360G-thcoprod-{agreement.number}"]["additional_data"]["citizenReportCard"]
    assert card["responses"] == 2 and card["meanOverall"] == 4.5
    assert card["dimensions"] == [
        {"code": "overall", "mean": 4.5, "responses": 2},
        {"code": "courtesy", "mean": 4.0, "responses": 1},
    ]
    empty = grants[f"360G-thcoprod-{unrated.number}"]["additional_data"]["citizenReportCard"]
    assert empty["responses"] == 0 and "dimensions" not in empty  # no empty list
    assert "สมศรี" not in body and "192.0.2" not in body


def test_ocds_carries_the_aggregates_in_the_implementation_and_stays_valid(
    api_client, rated, ocds_validator
):
    agreement, _unrated = rated
    body = api_client.get("/api/v1/open-data/ocds.json").getvalue().decode()
    package = json.loads(body)
    od.assert_valid(ocds_validator, package)
    card = od.contracts_of(package)[agreement.number]["implementation"]["citizenReportCard"]
    assert card["responses"] == 2 and card["meanOverall"] == 4.5
    assert "สมศรี" not in body and "192.0.2" not in body


@pytest.mark.parametrize("name", ["360giving.json", "ocds.json"])
def test_a_new_rating_shows_at_once_and_a_repeat_costs_no_query(
    api_client, rated, name, django_assert_num_queries
):
    agreement, _unrated = rated
    first = api_client.get(f"/api/v1/open-data/{name}")
    body = first.getvalue()
    with django_assert_num_queries(0):  # the data version: the tables' versions in the cache
        assert api_client.get(f"/api/v1/open-data/{name}").getvalue() == body
    rate(agreement, 1, "192.0.2.3")
    changed = api_client.get(f"/api/v1/open-data/{name}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert '"responses":3' in changed.getvalue().decode()
