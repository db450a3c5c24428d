"""Alerts for matching calls (issue 17, item 3): when a call opens, every approved
organisation it suits (certified field, served province) is told once; a CSO member's saved
search (fields, provinces, instruments, words) is told of new matches; both follow the
per-kind notice settings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from contracts.calls import services
from contracts.calls.models import SavedSearch
from portal.notices.models import Notice, NoticePreference
from tests.factories import CallFactory, CSOFactory, MemberFactory, OfficerFactory
from tests.helpers import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _told(user, kind):
    return Notice.objects.filter(recipient=user, kind=kind).count()


def test_the_organisations_a_call_suits_are_told_once():
    suited = CSOFactory(status="approved").members.get()  # social services, Bangkok
    elsewhere = CSOFactory(status="approved", service_provinces=["50"]).members.get()
    other_field = CSOFactory(status="approved", activity_fields=["environment"]).members.get()
    waiting = CSOFactory(status="submitted").members.get()
    opted_out = CSOFactory(status="approved").members.get()
    NoticePreference.objects.create(user=opted_out, kind="call_matching", in_app=False, email=False)
    call = CallFactory()  # social services, Bangkok

    result = services.call_alerts_send(call=call)
    assert result["organisations"] == 2  # suited and opted_out's organisation
    assert _told(suited, "call_matching") == 1
    assert (_told(elsewhere, "call_matching"), _told(other_field, "call_matching")) == (0, 0)
    assert _told(waiting, "call_matching") == 0
    notice = Notice.objects.get(recipient=suited, kind="call_matching")
    assert call.title in notice.subject
    hidden = Notice.objects.get(recipient=opted_out, kind="call_matching")
    assert (hidden.in_app, hidden.email_status) == (False, "off")  # as they asked
    services.call_alerts_send(call=call)  # again (a retried task): nobody told twice
    assert _told(suited, "call_matching") == 1

    every_province = CallFactory(eligible_provinces=[])
    services.call_alerts_send(call=every_province)
    assert _told(elsewhere, "call_matching") == 1


def test_a_saved_search_is_told_of_new_matches():
    person = MemberFactory()  # a CSO member whose organisation suits nothing
    search = services.saved_search_create(
        user=person,
        data={"fields": ["social_services"], "provinces": ["10"], "instruments": ["grant"],
              "words": "ดนตรี"},
    )  # fmt: skip
    services.saved_search_create(user=person, data={"words": "ดนตรี"})  # overlaps the first
    matching = CallFactory(title="ทุนดนตรีบำบัดผู้สูงอายุ")
    wrong_word = CallFactory(title="ทุนเด็กปฐมวัย")
    wrong_instrument = CallFactory(title="ดนตรีชุมชน", instrument="commissioning")
    for call in (matching, wrong_word, wrong_instrument):
        services.call_alerts_send(call=call)
    told = Notice.objects.filter(recipient=person, kind="call_saved_search")
    # Once per call, though two searches match the first: the words-only one the second.
    assert sorted(int(n.object_id) for n in told) == [matching.pk, wrong_instrument.pk]
    assert not search.matches(wrong_word, {"social_services"}, {"10"}, "ทุนเด็กปฐมวัย")

    with pytest.raises(ValidationError) as empty:
        services.saved_search_create(user=person, data={})
    assert "words" in empty.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        services.saved_search_create(user=person, data={"provinces": ["99"]})
    assert "provinces" in unknown.value.message_dict
    with pytest.raises(PermissionDenied):
        services.saved_search_create(user=OfficerFactory(), data={"words": "x"})
    with pytest.raises(PermissionDenied):
        services.saved_search_delete(user=MemberFactory(), search=search)


def test_saved_searches_on_the_web_and_the_api(api_as):
    person = MemberFactory()
    me = Client()
    me.cookies["django_language"] = "en"
    me.force_login(person)
    saved = me.post(
        "/calls/saved-searches/",
        {"fields": ["social_services"], "provinces": ["10"], "words": "elderly"},
    )
    assert saved.status_code == 302
    page = text(me.get("/calls/saved-searches/"))
    assert "elderly" in page and "Bangkok" in page
    empty = me.post("/calls/saved-searches/", {"words": ""})
    assert empty.status_code == 400 and "at least one" in text(empty)
    search = SavedSearch.objects.get()
    stranger = Client()
    stranger.force_login(MemberFactory())
    assert stranger.post(f"/calls/saved-searches/{search.pk}/delete/").status_code == 404
    assert me.post(f"/calls/saved-searches/{search.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.exists()

    api = api_as(person)
    made = api.post(
        "/api/v1/saved-searches/", {"instruments": ["grant"], "words": "ผู้สูงอายุ"}, format="json"
    )
    assert made.status_code == 201 and made.json()["instruments"] == ["grant"]
    assert [s["words"] for s in api.get("/api/v1/saved-searches/").json()["results"]] == ["ผู้สูงอายุ"]
    assert api_as(MemberFactory()).get("/api/v1/saved-searches/").json()["results"] == []
    assert api_as(None).get("/api/v1/saved-searches/").status_code == 401
    assert (
        api_as(OfficerFactory())
        .post("/api/v1/saved-searches/", {"words": "x"}, format="json")
        .status_code
        == 403
    )
    bad = api.post("/api/v1/saved-searches/", {"fields": "health"}, format="json")
    assert bad.status_code == 400
    gone = api.delete(f"/api/v1/saved-searches/{made.json()['id']}/")
    assert gone.status_code == 204
