"""Missions on the web: an officer adds one and sees the advice; the form keeps what was typed."""

import html
import re

import pytest

from agencies.models import Mission
from csos.models import CSO
from tests import factories

pytestmark = pytest.mark.django_db


def test_officer_adds_a_mission_and_sees_the_advice(client):
    client.cookies["django_language"] = "en"
    officer = factories.OfficerFactory()
    factories.CSOFactory(
        status=CSO.Status.APPROVED, activity_fields=["social_services"], service_provinces=["50"]
    )
    client.force_login(officer)
    response = client.post(
        "/missions/new/",
        {
            "title_th": "ศูนย์ดูแลผู้สูงอายุกลางวัน",
            "service_category": "social_cultural",
            "mission_type": "direct_service",
            "activity_field": "social_services",
            "target_groups": "ผู้สูงอายุ\nผู้ดูแล",
            "provinces": ["50", "10"],
        },
    )
    assert response.status_code == 302
    mission = Mission.objects.get()
    assert mission.agency == officer.agency
    assert mission.target_groups == ["ผู้สูงอายุ", "ผู้ดูแล"]
    page = client.get(response["Location"]).content.decode()
    assert "co-production" in page  # the Thai rationale names the model
    assert "A direct service in a social and cultural service fits co-production" in page
    assert "1 organisation certified in this field" in page  # one capable approved CSO

    listing = client.get("/missions/").content.decode()
    assert "ศูนย์ดูแลผู้สูงอายุกลางวัน" in listing


def test_mission_form_keeps_input_on_error(client):
    client.force_login(factories.OfficerFactory())
    response = client.post(
        "/missions/new/",
        {"title_th": "ภารกิจ", "description": "ข" * 5001, "service_category": "bogus"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="ภารกิจ"' in page
    assert 'href="#id_service_category"' in page and 'href="#id_description"' in page
    assert not Mission.objects.exists()


def test_only_officers_reach_the_mission_pages(client):
    client.force_login(factories.MemberFactory())
    assert client.get("/missions/").status_code == 403
    assert client.get("/missions/new/").status_code == 403
    mission = factories.MissionFactory()
    client.force_login(factories.OfficerFactory())
    assert client.get(f"/missions/{mission.pk}/edit/").status_code == 403
    assert client.get(f"/missions/{mission.pk}/").status_code == 200


def _href(page, text):
    match = re.search(rf'<a href="([^"]+)">\s*{re.escape(text)}', page)
    assert match, f"no link {text!r}"
    return html.unescape(match.group(1))


def _names(page) -> set[str]:
    return set(re.findall(r'<h2><a href="/csos/\d+/">([^<]+)</a></h2>', page))


@pytest.mark.parametrize("provinces", [["10", "50"], []], ids=["regional", "nationwide"])
def test_the_count_links_to_the_directory_listing_exactly_those_csos(client, provinces):
    client.cookies["django_language"] = "en"
    mission = factories.MissionFactory(activity_field="social_services", provinces=provinces)

    def cso(name, fields, certified, served, status=CSO.Status.APPROVED):
        factories.CSOFactory(
            status=status,
            name_th=name,
            name_en=name,
            activity_fields=fields,
            certified_fields=certified,
            service_provinces=served,
        )

    cso("กรุงเทพ", ["social_services"], ["social_services"], ["10"])
    cso("เชียงใหม่", ["social_services", "health"], ["social_services"], ["50"])
    cso("โคราช", ["social_services"], ["social_services"], ["30"])
    cso("แจ้งไว้เฉยๆ", ["social_services", "health"], ["health"], ["10"])
    cso("รอตรวจ", ["social_services"], [], ["10"], status=CSO.Status.SUBMITTED)
    expected = {"กรุงเทพ", "เชียงใหม่"} | ({"โคราช"} if not provinces else set())

    page = client.get(f"/missions/{mission.pk}/").content.decode()
    text = f"{len(expected)} organisations certified in this field"
    directory = client.get(_href(page, text)).content.decode()

    assert _names(directory) == expected
    assert f"{len(expected)} organisations found" in directory


def test_the_mission_list_links_each_count_to_its_csos(client):
    officer = factories.OfficerFactory()
    mission = factories.MissionFactory(officer=officer, activity_field="health", provinces=["50"])
    client.force_login(officer)

    page = client.get("/missions/").content.decode()

    assert 'href="/csos/?certified_field=health&amp;province=50">' in page
    assert mission.title_th in page


@pytest.mark.parametrize("who", ["officer", "anonymous", "other_officer"])
def test_an_administrative_mission_says_why_no_call_can_be_opened(client, who):
    client.cookies["django_language"] = "en"
    officer = factories.OfficerFactory()
    mission = factories.MissionFactory(
        officer=officer, service_category="administrative", mission_type="permits"
    )
    if who != "anonymous":
        client.force_login(officer if who == "officer" else factories.OfficerFactory())

    page = client.get(f"/missions/{mission.pk}/").content.decode()

    assert "A call cannot be opened for this mission" in page
    assert f"/missions/{mission.pk}/calls/new/" not in page
    if who == "officer":
        assert f"/missions/{mission.pk}/edit/" in page  # the officer may still change it


def test_a_social_mission_offers_the_officer_to_open_a_call(client):
    officer = factories.OfficerFactory()
    mission = factories.MissionFactory(officer=officer)
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    page = client.get(f"/missions/{mission.pk}/").content.decode()

    assert f'href="/missions/{mission.pk}/calls/new/"' in page
    assert "A call cannot be opened" not in page


def test_the_advice_reads_in_the_pages_language_only(client):
    mission = factories.MissionFactory()
    client.force_login(mission.agency.officers.first() or factories.OfficerFactory())
    url = f"/missions/{mission.pk}/"
    suitability = client.get(url, HTTP_ACCEPT_LANGUAGE="th").context["suitability"]
    client.cookies["django_language"] = "th"
    thai = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert suitability["rationale_th"] in thai and suitability["rationale_en"] not in thai
    assert suitability["rationale_en"] in english and suitability["rationale_th"] not in english
