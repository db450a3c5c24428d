"""The province pickers: grouped by region, a box per region meaning all its provinces (read
on the server, so it works without JavaScript), and the reference data behind them."""

import re

import geothai
import pytest
from django.urls import reverse

from contracts.calls.models import Call
from contracts.proposals.rules import eligibility_problems
from csos.models import CSO
from portal.reference import PROVINCE_REGION, REGION_PROVINCES, Region
from tests import factories

pytestmark = pytest.mark.django_db

EAST = sorted(REGION_PROVINCES[Region.EAST])  # Chon Buri, Rayong, ... Sa Kaeo: 7 provinces


def test_every_province_is_in_exactly_one_region():
    codes = [code for region in REGION_PROVINCES.values() for code in region]
    assert sorted(codes) == sorted(p.code for p in geothai.provinces())
    assert PROVINCE_REGION["10"] == Region.CENTRAL  # Bangkok
    assert PROVINCE_REGION["50"] == Region.NORTH  # Chiang Mai
    assert PROVINCE_REGION["96"] == Region.SOUTH  # Narathiwat


def test_the_call_form_groups_provinces_by_region_with_a_box_for_each(client, officer):
    mission = factories.MissionFactory(officer=officer, provinces=["10"])
    client.force_login(officer)

    page = client.get(reverse("call-create", args=[mission.pk])).content.decode()

    legends = re.findall(r'<fieldset class="province-region">\s*<legend>([^<]+)</legend>', page)
    assert legends == [
        "ภาคเหนือ",
        "ภาคตะวันออกเฉียงเหนือ",
        "ภาคกลาง",
        "ภาคตะวันออก",
        "ภาคตะวันตก",
        "ภาคใต้",
    ]
    assert "ทุกจังหวัดในภาคตะวันออก" in page
    assert page.count('name="eligible_provinces_region"') == 6
    # Bangkok is listed under the central region, ticked from the mission.
    central = page.split("<legend>ภาคกลาง</legend>")[1].split("</fieldset>")[0]
    assert re.search(r'value="10" id="[^"]+" checked', central)


def test_ticking_a_whole_region_on_the_call_form_means_all_its_provinces(client, officer):
    from tests.contracts.calls.test_web import form_data

    client.cookies["django_language"] = "en"  # form_data types C.E. years, as on English pages

    mission = factories.MissionFactory(officer=officer, provinces=["10"])
    client.force_login(officer)

    response = client.post(
        reverse("call-create", args=[mission.pk]),
        form_data(eligible_provinces=["10"], eligible_provinces_region=["east"]),
    )

    assert response.status_code == 302
    call = Call.objects.get()
    assert sorted(p.code for p in call.eligible_provinces.all()) == sorted(["10", *EAST])
    # Shown back with the region's box ticked, as every one of its provinces is.
    edit = client.get(reverse("call-edit", args=[call.pk])).content.decode()
    assert re.search(r'name="eligible_provinces_region" value="east" id="[^"]+" checked', edit)
    assert not re.search(r'value="north" id="[^"]+" checked', edit)


def test_a_call_left_with_no_province_ticked_is_open_to_every_province(client, officer):
    from tests.contracts.calls.test_web import form_data

    client.cookies["django_language"] = "en"  # form_data types C.E. years, as on English pages

    mission = factories.MissionFactory(officer=officer, provinces=["10", "50"])
    client.force_login(officer)
    data = form_data()
    del data["eligible_provinces"]  # the officer unticked the mission's provinces

    assert client.post(reverse("call-create", args=[mission.pk]), data).status_code == 302

    call = Call.objects.get()
    assert not call.eligible_provinces.exists()
    far_south = factories.CSOFactory(
        status=CSO.Status.APPROVED, service_provinces=["96"], activity_fields=["health"]
    )
    assert not [p for p in eligibility_problems(call, far_south) if "province" in p]


def test_a_whole_region_in_the_registration_areas(client):
    member = factories.MemberFactory()
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, member=member)
    client.force_login(member)

    response = client.post(
        "/registration/activities/",
        {"activity_fields": ["health"], "service_provinces_region": ["west"]},
    )

    assert response.status_code == 302
    served = sorted(p.code for p in CSO.objects.get(pk=cso.pk).service_provinces.all())
    assert served == sorted(REGION_PROVINCES[Region.WEST])


def test_an_unknown_region_is_ignored_and_nothing_ticked_is_still_refused(client):
    member = factories.MemberFactory()
    factories.CSOFactory(status=CSO.Status.DRAFT, member=member)
    client.force_login(member)

    response = client.post(
        "/registration/activities/",
        {"activity_fields": ["health"], "service_provinces_region": ["atlantis"]},
    )

    assert response.status_code == 200  # the form again, with its error
    page = response.content.decode()
    assert 'class="field field-choices field-error"' in page
    assert re.search(r'value="health"[^>]*checked', page)  # what was ticked is kept


def test_the_directory_filters_by_a_whole_region(client):
    factories.CSOFactory(status=CSO.Status.APPROVED, name_th="กลุ่มระยอง", service_provinces=["21"])
    factories.CSOFactory(status=CSO.Status.APPROVED, name_th="กลุ่มเชียงใหม่", service_provinces=["50"])

    page = client.get("/csos/", {"province_region": "east"}).content.decode()

    assert "กลุ่มระยอง" in page and "กลุ่มเชียงใหม่" not in page
    assert re.search(r'name="province_region" value="east" id="[^"]+" checked', page)


def test_single_province_lists_are_grouped_in_optgroups(client):
    page = client.get("/calls/").content.decode()

    assert '<optgroup label="ภาคใต้">' in page
    south = page.split('<optgroup label="ภาคใต้">')[1].split("</optgroup>")[0]
    assert 'value="96"' in south and 'value="10"' not in south
