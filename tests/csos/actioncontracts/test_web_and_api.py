"""Local issues and action contracts on the web and through the API: a member raises an
issue with evidence, the manager sets goals, draws up the contract and adds parties, each
party signs and reports; the public sees it all, late commitments marked; refusals."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from csos.actioncontracts import services
from csos.actioncontracts.models import ActionContract
from csos.localissues import services as issues
from csos.localissues.models import LocalIssue
from csos.networks import services as networks
from portal.models import Province
from tests import factories
from tests.factories import sample_file
from tests.helpers import date_boxes, text

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def network(staff_admin, officer):
    return networks.network_create(
        actor=staff_admin, province=Province.objects.get(code="50"), manager=officer
    )


def _member(network, name, person):
    applied = networks.member_apply(
        person=person, network=network,
        data={"kind": "person", "name": name, "sector": "community", "resources": []},
    )  # fmt: skip
    return networks.member_certify(manager=network.manager, member=applied)


def test_from_an_issue_to_a_signed_contract_on_the_web(network):
    farmer = factories.citizen()
    farmer_member = _member(network, "Lung Dam", farmer)
    me = _client(farmer)
    assert "Raise an issue" in text(me.get("/networks/50/issues/"))
    missing = me.post("/networks/50/issues/new/", {"title": "Haze", "description": "Smoke"})
    assert missing.status_code == 400
    assert 'value="Haze"' in missing.content.decode()  # what was typed stays
    raised = me.post(
        "/networks/50/issues/new/",
        {"raised_for": farmer_member.pk, "title": "Haze every March", "description": "Smoke",
         "places": "Mae Chaem", "evidence": "Station 36T",
         "evidence_file": sample_file("photo.jpg", content_type="image/jpeg")},
    )  # fmt: skip
    assert raised.status_code == 302
    issue = LocalIssue.objects.get()
    page = f"/networks/50/issues/{issue.pk}/"
    assert raised["Location"] == page
    evidence = _client().get(f"{page}evidence/")
    assert evidence.status_code == 200 and evidence["Content-Type"] == "image/jpeg"

    boss = _client(network.manager)
    assert "Set the goals" in text(boss.get(page))
    assert "Set the goals" not in text(me.get(page))
    planned = boss.post(
        f"{page}plan/",
        {"plan-goals": "Halve burning", "plan-results": "Clean air", "plan-approach": "Chip it"},
    )
    assert planned.status_code == 302
    assert boss.post(f"{page}draw-up/", {"draw-title": "Clean air pact"}).status_code == 302
    due = {
        f"party-{k}": v
        for k, v in date_boxes(
            "due_date", timezone.localdate() + datetime.timedelta(days=60), language="en"
        ).items()
    }
    added = boss.post(
        f"{page}party/", {"party-member": farmer_member.pk, "party-commitments": "40 rai", **due}
    )
    assert added.status_code == 302
    unnamed = boss.post(f"{page}party/", {"party-commitments": "Buy stubble", **due})
    assert unnamed.status_code == 400 and "Choose a member of the network" in text(unnamed)
    boss.post(
        f"{page}party/",
        {"party-name": "District office", "party-commitments": "Buy stubble", **due},
    )
    contract = ActionContract.objects.get()
    mine, district = contract.parties.order_by("pk")

    unsigned = me.post(f"{page}sign/", {"party": mine.pk, f"sign-{mine.pk}-signed_name": "Dam"})
    assert unsigned.status_code == 400 and "Confirm" in text(unsigned)
    signed = me.post(
        f"{page}sign/",
        {"party": mine.pk, f"sign-{mine.pk}-signed_name": "Dam", f"sign-{mine.pk}-confirm": "on"},
    )
    assert signed.status_code == 302
    assert me.post(
        f"{page}sign/",
        {"party": district.pk, f"sign-{district.pk}-signed_name": "x",
         f"sign-{district.pk}-confirm": "on"},
    ).status_code == 403  # fmt: skip
    boss.post(
        f"{page}paper/",
        {"party": district.pk, f"paper-{district.pk}-signed_name": "District chief",
         f"paper-{district.pk}-confirm": "on"},
    )  # fmt: skip
    contract.refresh_from_db()
    assert contract.status == "signed"
    reported = me.post(
        f"{page}progress/",
        {"progress-party": mine.pk, "progress-text": "20 rai chipped", "progress-completes": ""},
    )
    assert reported.status_code == 302
    assert (
        boss.post(
            f"{page}plan-record/",
            {"planrec-plan_year": "2571", "planrec-project_code": "CM-71-014"},
        ).status_code
        == 302
    )

    public = text(_client().get(page))
    for shown in (
        "Clean air pact",
        "In progress",
        "Plan year 2571, project CM-71-014",
        "Dam",
        "District chief",
        "on paper",
        "20 rai chipped",
        "Halve burning",
    ):
        assert shown in public, shown  # fmt: skip
    assert "Clean air pact" not in public or "Raise an issue" not in public
    assert (
        _client(factories.citizen())
        .post(f"{page}progress/", {"progress-party": mine.pk, "progress-text": "x"})
        .status_code
        == 403
    )
    assert boss.post(f"{page}explode/").status_code == 404
    assert _client().get("/networks/50/issues/99999/").status_code == 404
    assert _client().get("/networks/50/issues/new/").status_code == 302  # sign in first
    assert _client(factories.citizen()).get("/networks/50/issues/new/").status_code == 403


def test_a_late_commitment_is_marked_on_the_public_page(network, time_machine):
    farmer = factories.citizen()
    member = _member(network, "Lung Dam", farmer)
    issue = issues.issue_raise(
        person=farmer, network=network, data={"title": "Flood", "description": "x", "places": "y"}
    )
    issues.issue_plan(
        manager=network.manager, issue=issue, data={"goals": "a", "results": "b", "approach": "c"}
    )
    contract = services.contract_draw_up(manager=network.manager, issue=issue, title="Dikes")
    due = timezone.localdate() + datetime.timedelta(days=10)
    parties = [
        services.party_add(
            manager=network.manager,
            contract=contract,
            data={**data, "commitments": "Build", "due_date": due},
        )  # fmt: skip
        for data in ({"member": member}, {"name": "Tambon office"})
    ]
    for party in parties:
        services.party_sign(
            actor=network.manager, party=party, signed_name="x", confirm=True, on_paper=True
        )
    time_machine.move_to(timezone.now() + datetime.timedelta(days=11))
    public = text(_client().get(f"/networks/50/issues/{issue.pk}/"))
    assert public.count("Late") == 2


def test_the_api_lists_issues_and_contracts_and_a_party_signs(network, api_as):
    farmer = factories.citizen()
    member = _member(network, "Lung Dam", farmer)
    base = f"/api/v1/networks/{network.pk}/issues/"
    body = {"title": "Haze", "description": "Smoke", "places": "Mae Chaem"}
    assert api_as(None).post(base, body, format="json").status_code == 401
    assert api_as(factories.citizen()).post(base, body, format="json").status_code == 403
    bad = api_as(farmer).post(base, {**body, "places": ""}, format="json")
    assert bad.status_code == 400 and "places" in bad.json()["error"]["fields"]
    made = api_as(farmer).post(base, body, format="json")
    assert made.status_code == 201 and made.json()["raised_by"] == "Lung Dam"
    issue = LocalIssue.objects.get()
    listed = api_as(None).get(base).json()["results"]
    assert [i["title"] for i in listed] == ["Haze"] and listed[0]["contract"] is None

    issues.issue_plan(
        manager=network.manager, issue=issue, data={"goals": "a", "results": "b", "approach": "c"}
    )
    contract = services.contract_draw_up(manager=network.manager, issue=issue, title="Pact")
    due = timezone.localdate() + datetime.timedelta(days=30)
    mine = services.party_add(
        manager=network.manager, contract=contract,
        data={"member": member, "commitments": "40 rai", "due_date": due},
    )  # fmt: skip
    other = services.party_add(
        manager=network.manager, contract=contract,
        data={"name": "District", "commitments": "Buy", "due_date": due},
    )  # fmt: skip
    url = f"/api/v1/action-contracts/{contract.pk}/"
    sign = {"party": mine.pk, "signed_name": "Dam", "confirm": True}
    assert api_as(factories.citizen()).post(f"{url}sign/", sign, format="json").status_code == 403
    assert (
        api_as(farmer).post(f"{url}sign/", {**sign, "party": other.pk}, format="json").status_code
        == 403
    )
    signed = api_as(farmer).post(f"{url}sign/", sign, format="json")
    assert signed.status_code == 200
    assert api_as(farmer).post(f"{url}sign/", sign, format="json").status_code == 409
    early = api_as(farmer).post(f"{url}progress/", {"party": mine.pk, "text": "x"}, format="json")
    assert early.status_code == 409
    services.party_sign(
        actor=network.manager, party=other, signed_name="Chief", confirm=True, on_paper=True
    )
    done = api_as(farmer).post(
        f"{url}progress/", {"party": mine.pk, "text": "All done", "completes": True}, format="json"
    )
    row = done.json()
    assert row["status"] == "in_progress" and row["network"] == network.pk
    assert [p["done_at"] is not None for p in row["parties"]] == [True, False]
    filtered = api_as(None).get("/api/v1/action-contracts/", {"status": "in_progress"}).json()
    assert [c["title"] for c in filtered["results"]] == ["Pact"]
    assert api_as(None).get("/api/v1/action-contracts/", {"status": "done"}).json()["results"] == []
    assert api_as(None).get(base).json()["results"][0]["contract"] == contract.pk
