"""Citizens' assemblies on the web and through the API: the officer sets one up with quota
boxes (a bad line keeps what was typed), residents volunteer (a missing value is shown on its
field), the officer draws with a seed, the draw's record re-runs to the same members, and
the API answers as the contract has it."""

import pytest
from django.test import Client

from agencies.assemblies import selectors, services, sortition
from agencies.assemblies.models import Assembly, Volunteer
from tests import factories
from tests.helpers import page

from .test_services import QUOTAS, _assembly, _volunteers

pytestmark = pytest.mark.usefixtures("english")


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_an_officer_sets_up_an_assembly_and_draws_it_on_the_web(officer):
    client = _client(officer)
    form = {
        "title": "Clean air assembly",
        "purpose": "How should the burn ban work?",
        "seats": "4",
        "reserves": "2",
        "quota_gender": "women = 2\nmen = 2",
        "quota_age_band": "under 40 = 2\n40 and over",
    }
    bad = client.post("/assemblies/new/", form)
    assert bad.status_code == 400
    assert "40 and over" in page(bad) and "Clean air assembly" in page(bad)
    made = client.post("/assemblies/new/", {**form, "quota_age_band": "under 40 = 2\n40+ = 2"})
    assert made.status_code == 302
    assembly = Assembly.objects.get()
    assert assembly.quotas == {
        "gender": {"women": 2, "men": 2}, "age_band": {"under 40": 2, "40+": 2}
    }  # fmt: skip

    resident = _client(factories.citizen())
    missing = resident.post(f"/assemblies/{assembly.pk}/volunteer/", {"gender": "women"})
    assert missing.status_code == 400
    assert 'id="id_age_band_error"' in page(missing)
    assert (
        resident.post(
            f"/assemblies/{assembly.pk}/volunteer/", {"gender": "women", "age_band": "40+"}
        ).status_code
        == 302
    )
    for i in range(7):
        services.volunteer(
            person=factories.citizen(),
            assembly=assembly,
            traits={"gender": ["women", "men"][i % 2], "age_band": ["under 40", "40+"][i % 2]},
        )
    assert (
        client.post(f"/assemblies/{assembly.pk}/draw/", {"seed": "lottery 16 Dec"}).status_code
        == 302
    )
    assembly.refresh_from_db()
    assert assembly.status == "drawn" and assembly.seed == "lottery 16 Dec"

    html = page(Client().get(f"/assemblies/{assembly.pk}/"))
    assert "lottery 16 Dec" in html and assembly.snapshot_hash in html
    record = Client().get(f"/assemblies/{assembly.pk}/draw.json").json()
    again = sortition.draw(
        record["snapshot"], seed=record["seed"], seats=4, reserves=2, quotas=record["quotas"]
    )
    assert sorted(again.members) == record["members"]
    assert "username" not in str(record)


def test_the_api_volunteer_and_draw(api_as, officer, other_officer):
    assembly = _assembly(officer)
    base = f"/api/v1/assemblies/{assembly.pk}/"
    listed = api_as(None).get("/api/v1/assemblies/").json()["results"][0]
    assert (listed["seats"], listed["quotas"], listed["status"]) == (6, QUOTAS, "recruiting")

    person = api_as(factories.citizen())
    answer = person.post(
        base + "volunteer/", {"traits": {"gender": "หญิง", "age_band": "60+"}}, format="json"
    )
    assert answer.status_code == 201 and answer.json() == {"number": 1, "status": "volunteered"}
    assert (
        person.post(
            base + "volunteer/", {"traits": {"gender": "หญิง", "age_band": "60+"}}, format="json"
        ).status_code
        == 409
    )
    assert api_as(None).post(base + "volunteer/", {"traits": {}}, format="json").status_code == 401
    _volunteers(assembly, n=11)

    assert api_as(other_officer).post(base + "draw/", {}, format="json").status_code == 403
    drawn = api_as(officer).post(base + "draw/", {"seed": "123456"}, format="json")
    assert drawn.status_code == 200
    body = drawn.json()
    assert body["seed"] == "123456" and len(body["members"]) == 6
    public = api_as(None).get(base + "draw/").json()
    assert public["members"] == body["members"]
    assert public["snapshot_hash"] == sortition.snapshot_hash(public["snapshot"])
    assert api_as(officer).post(base + "draw/", {}, format="json").status_code == 409
    members = Volunteer.objects.filter(assembly=assembly, status="member")
    assert sorted(members.values_list("number", flat=True)) == public["members"]
    assert selectors.member_counts(assembly) == QUOTAS
