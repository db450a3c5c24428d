"""Provincial networks on the web: the map and table of provinces, a province's page with
members by sector, applying to join (for oneself or one's CSO), and the manager certifying,
naming a connector, ending a membership and recording the governor's order."""

import pytest
from django.test import Client
from django.utils import timezone

from csos.networks import services
from csos.networks.models import Network, NetworkMember
from portal.models import Province
from tests import factories
from tests.factories import sample_file
from tests.helpers import date_boxes, text

pytestmark = pytest.mark.usefixtures("english")


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_staff_set_up_people_apply_and_the_manager_runs_it(staff_admin, approved_member):
    manager = factories.OfficerFactory()
    staff = _client(staff_admin)
    chiang_mai = Province.objects.get(code="50")
    made = staff.post("/networks/new/", {"province": chiang_mai.pk, "manager": manager.username})
    assert made.status_code == 302
    assert "1 province has a network" in text(_client().get("/networks/"))

    citizen = _client(factories.citizen())
    applied = citizen.post(
        "/networks/50/apply/",
        {
            "on_behalf": "person",
            "name": "Kru Somsri",
            "sector": "academia",
            "resources": ["knowledge"],
        },
    )
    assert applied.status_code == 302
    for_cso = _client(approved_member).post(
        "/networks/50/apply/", {"on_behalf": "cso", "sector": "civil_society"}
    )
    assert for_cso.status_code == 302
    public = text(_client().get("/networks/50/"))
    assert "Kru Somsri" not in public  # not certified yet

    boss = _client(manager)
    somsri = NetworkMember.objects.get(name="Kru Somsri")
    term = timezone.localdate().replace(year=timezone.localdate().year + 2)
    boxes = {
        f"certify-{somsri.pk}-{k}": v
        for k, v in date_boxes("term_ends", term, language="en").items()
    }
    assert boss.post(f"/networks/50/members/{somsri.pk}/certify/", boxes).status_code == 302
    assert boss.post(f"/networks/50/members/{somsri.pk}/connector/").status_code == 302
    public = text(_client().get("/networks/50/"))
    assert "Kru Somsri" in public and "Connector" in public and "Knowledge" in public

    cso_member = NetworkMember.objects.get(cso=approved_member.cso)
    no_reason = boss.post(f"/networks/50/members/{cso_member.pk}/end/", {"reason": ""})
    assert no_reason.status_code == 302
    assert NetworkMember.objects.get(pk=cso_member.pk).status == "applied"  # refused: no reason

    order = {
        "order-number": "CM 1234/2570",
        **{
            f"order-{k}": v
            for k, v in date_boxes("date", timezone.localdate(), language="en").items()
        },
        "order-file": sample_file("registration.pdf", content_type="application/pdf"),
    }
    assert boss.post("/networks/50/order/", order).status_code == 302
    assert Network.objects.get().status == "appointed"
    pdf = _client().get("/networks/50/order.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "CM 1234/2570" in text(_client().get("/networks/50/"))


def test_others_are_refused(staff_admin, officer):
    network = services.network_create(
        actor=staff_admin, province=Province.objects.get(code="50"), manager=officer
    )
    member = services.member_apply(
        person=factories.citizen(),
        network=network,
        data={"kind": "person", "name": "Lung Dam", "sector": "community", "resources": []},
    )
    stranger = _client(factories.OfficerFactory())
    assert stranger.post(f"/networks/50/members/{member.pk}/certify/").status_code == 403
    assert stranger.get("/networks/new/").status_code == 403
    assert _client().get("/networks/10/").status_code == 404  # Bangkok has none
    assert _client(officer).post(f"/networks/50/members/{member.pk}/explode/").status_code == 404
    assert NetworkMember.objects.get(pk=member.pk).status == "applied"


def test_the_api_lists_networks_and_the_manager_certifies(api_as, staff_admin, officer):
    network = services.network_create(
        actor=staff_admin, province=Province.objects.get(code="50"), manager=officer
    )
    member = services.member_apply(
        person=factories.citizen(),
        network=network,
        data={"kind": "person", "name": "Lung Dam", "sector": "community", "resources": ["places"]},
    )
    row = api_as(None).get("/api/v1/networks/").json()["results"][0]
    assert row["province"] == "50" and row["members"] == 1 and row["appointed_by_order"] is None
    base = f"/api/v1/networks/{network.pk}/members/"
    assert [m["name"] for m in api_as(None).get(base).json()["results"]] == [officer.display_name()]
    assert api_as(factories.OfficerFactory()).post(f"{base}{member.pk}/certify/").status_code == 403
    certified = api_as(officer).post(f"{base}{member.pk}/certify/", {}, format="json")
    assert certified.status_code == 200 and certified.json()["status"] == "certified"
    assert api_as(officer).post(f"{base}{member.pk}/certify/", {}, format="json").status_code == 409
    row = api_as(None).get(f"/api/v1/networks/{network.pk}/").json()
    assert row["sectors"]["community"] == 1 and row["members"] == 2
    ended = api_as(officer).post(f"{base}{member.pk}/end/", {"reason": "moved"}, format="json")
    assert ended.json()["status"] == "ended"


def test_a_budget_round_run_with_the_network_shows_on_both_pages(staff_admin, officer, api_as):
    network = services.network_create(
        actor=staff_admin, province=Province.objects.get(code="50"), manager=officer
    )
    made = api_as(officer).post(
        "/api/v1/budget-rounds/",
        {
            "title": "Chiang Mai clean air budget", "description": "x", "envelope": "100000",
            "provinces": ["50"], "network": network.pk,
        },
        format="json",
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["network"] == network.pk
    other = api_as(officer).post(
        "/api/v1/budget-rounds/",
        {
            "title": "x",
            "description": "x",
            "envelope": "1",
            "provinces": ["10"],
            "network": network.pk,
        },
        format="json",
    )
    assert other.status_code == 400 and "network" in str(other.json())
    assert "Chiang Mai clean air budget" in text(_client().get("/networks/50/"))
    assert "Provincial network" in text(_client().get(f"/budgets/{made.json()['id']}/"))
