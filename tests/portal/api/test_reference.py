"""The reference sets."""

import pytest

from tests.helpers import assert_error, has_thai

pytestmark = pytest.mark.django_db


# --- reference sets -------------------------------------------------------------------


SETS = {
    "service-categories": 3,
    "mission-types": 7,
    "participation-models": 3,
    "participation-levels": 4,
    "activity-fields": 11,
    "org-forms": 14,
    "selection-criteria": 5,
    "costing-methods": 3,
    "provinces": 77,
    "banks": 16,
}


@pytest.mark.parametrize(("name", "size"), SETS.items())
def test_every_reference_set_is_public_and_complete(api_client, name, size):
    response = api_client.get(f"/api/v1/reference/{name}/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == size
    assert len(body["results"]) == size  # one page, whatever the default page size
    assert body["next"] is None
    codes = [item["code"] for item in body["results"]]
    assert len(set(codes)) == size
    for item in body["results"]:
        assert set(item) == {"code", "name_th", "name_en"}
        assert item["code"] and item["name_th"] and item["name_en"]


def test_reference_sets_page_on_request(api_client):
    response = api_client.get("/api/v1/reference/provinces/", {"page_size": 10, "page": 2})

    body = response.json()
    assert body["count"] == 77
    assert len(body["results"]) == 10
    assert body["next"] and body["previous"]


def test_provinces_use_dopa_codes(api_client):
    items = api_client.get("/api/v1/reference/provinces/").json()["results"]
    by_code = {item["code"]: item for item in items}

    assert by_code["10"]["name_th"] == "กรุงเทพมหานคร"
    assert by_code["10"]["name_en"] == "Bangkok"
    assert by_code["50"]["name_th"] == "เชียงใหม่"
    assert all(code.isdigit() and len(code) == 2 for code in by_code)


def test_reference_codes_are_the_ones_in_domain_md(api_client):
    def codes(name):
        return [i["code"] for i in api_client.get(f"/api/v1/reference/{name}/").json()["results"]]

    assert codes("service-categories") == [
        "administrative",
        "industrial_commercial",
        "social_cultural",
    ]
    assert codes("participation-levels") == [
        "information",
        "consultation",
        "decision_making",
        "co_production",
    ]
    assert "law_advocacy_politics" in codes("activity-fields")
    assert codes("costing-methods") == ["per_person", "per_project", "reference_price"]


@pytest.mark.parametrize(
    "name",
    [
        "service-categories",
        "mission-types",
        "participation-models",
        "participation-levels",
        "org-forms",
        "selection-criteria",
        "costing-methods",
    ],
)
def test_choice_sets_have_thai_and_english_names(api_client, name):
    items = api_client.get(f"/api/v1/reference/{name}/", HTTP_ACCEPT_LANGUAGE="en").json()
    for item in items["results"]:
        assert has_thai(item["name_th"]), item
        assert not has_thai(item["name_en"]), item


def test_category_names_are_the_ones_in_domain_md(api_client):
    items = api_client.get("/api/v1/reference/service-categories/").json()["results"]

    assert {i["code"]: i["name_th"] for i in items} == {
        "administrative": "บริการสาธารณะทางปกครอง",
        "industrial_commercial": "บริการสาธารณะทางพาณิชยกรรมและอุตสาหกรรม",
        "social_cultural": "บริการสาธารณะทางสังคมและวัฒนธรรม",
    }


def test_activity_fields_have_thai_names(api_client):
    items = api_client.get("/api/v1/reference/activity-fields/").json()["results"]

    assert all(has_thai(item["name_th"]) and not has_thai(item["name_en"]) for item in items)


def test_an_unknown_reference_set_is_not_found(api_client):
    assert_error(api_client.get("/api/v1/reference/colours/"), 404, "not_found")
