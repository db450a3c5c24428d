"""Missions on the web: an officer adds one and sees the advice; the form keeps what was typed."""

import pytest

from agencies.models import Mission
from csos.models import CSO
from tests import factories

pytestmark = pytest.mark.django_db


def test_officer_adds_a_mission_and_sees_the_advice(client):
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
    assert "<dd>1</dd>" in page  # one capable approved CSO

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
