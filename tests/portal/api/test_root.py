"""The API's root lists every app's collections, and a collection answers with a format
suffix, as one router serving them all did before each app routed its own."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_root_lists_every_collection(client):
    listing = client.get("/api/v1/").json()
    assert set(listing) == {
        "agencies",
        "missions",
        "meetings",
        "consultations",
        "faqs",
        "advisory-groups",
        "csos",
        "calls",
        "proposals",
        "agreements",
        "grievances",
        "notices",
        "polls",
        "budget-rounds",
        "assemblies",
        "ogp/commitments",
        "networks",
        "action-contracts",
        "saved-searches",
    }
    # Each link leads to the API's collection, not to a web page of the same name.
    for name, link in listing.items():
        assert link.endswith(f"/api/v1/{name}/"), (name, link)


@pytest.mark.parametrize("collection", ["agencies", "missions", "csos", "calls"])
def test_a_public_collection_answers_with_a_json_suffix(client, collection):
    response = client.get(f"/api/v1/{collection}.json")
    assert response.status_code == 200
    assert "results" in response.json()
