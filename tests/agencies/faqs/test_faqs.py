"""FAQs: a citizen suggests a question, the agency answers and publishes it (the citizen is
told) or declines it with a reason; officers write FAQs directly; the most read rise to the
top, a reading counted once per visitor; the suggester is never public."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from agencies.faqs import services
from agencies.faqs.models import Faq
from portal.audit import audit_history
from portal.models import Notice
from portal.rates import RateLimited
from portal.workflow import InvalidTransition
from tests import factories
from tests.helpers import page, text

pytestmark = pytest.mark.usefixtures("english")


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_a_suggestion_is_answered_published_and_its_suggester_told(officer, mission):
    person = factories.citizen(first_name="Malee", last_name="Srisuk")
    faq = services.faq_suggest(
        person=person, agency=officer.agency, mission=mission, question="When does it open?"
    )
    assert faq.status == "suggested"
    assert _client().get(f"/faqs/{faq.pk}/").status_code == 404
    services.faq_answer(
        officer=officer, faq=faq, question="When does the centre open?", answer="At 8:00."
    )
    faq.refresh_from_db()
    assert (faq.status, faq.question) == ("published", "When does the centre open?")
    assert Notice.objects.filter(recipient=person, kind="faq_answered").exists()
    shown = text(_client().get(f"/faqs/{faq.pk}/"))
    assert "At 8:00." in shown and "Malee" not in shown
    assert "When does the centre open?" in text(_client().get(f"/missions/{mission.pk}/"))
    assert [a.action for a in audit_history(faq)] == [
        "faq_suggest",
        "publish",
    ]


def test_declining_needs_a_reason_and_tells_the_suggester(officer, other_officer):
    person = factories.citizen()
    faq = services.faq_suggest(person=person, agency=officer.agency, question="Why?")
    with pytest.raises(PermissionDenied):
        services.faq_decline(officer=other_officer, faq=faq, reason="no")
    with pytest.raises(ValidationError):
        services.faq_decline(officer=officer, faq=faq, reason="")
    services.faq_decline(officer=officer, faq=faq, reason="Asked already: see the FAQ on hours")
    assert "Asked already" in Notice.objects.get(recipient=person, kind="faq_declined").body
    with pytest.raises(InvalidTransition):
        services.faq_decline(officer=officer, faq=faq, reason="again")
    with pytest.raises(InvalidTransition):
        services.faq_answer(officer=officer, faq=faq, question="q", answer="a")


def test_suggestions_are_checked_and_limited(officer, other_officer, settings, system_user):
    settings.FAQ_SUGGESTION_RATE = "2/day"
    person = factories.citizen()
    other_mission = factories.MissionFactory(officer=other_officer)
    with pytest.raises(ValidationError) as caught:
        services.faq_suggest(
            person=person, agency=officer.agency, mission=other_mission, question="a\x00b"
        )
    assert set(caught.value.message_dict) == {"question", "mission"}
    with pytest.raises(PermissionDenied):
        services.faq_suggest(person=system_user, agency=officer.agency, question="q")
    services.faq_suggest(person=person, agency=officer.agency, question="one")
    services.faq_suggest(person=person, agency=officer.agency, question="two")
    with pytest.raises(RateLimited):
        services.faq_suggest(person=person, agency=officer.agency, question="three")
    assert Faq.objects.count() == 2


def test_the_most_read_rise_and_a_reading_counts_once_per_visitor(
    officer, django_assert_max_num_queries
):
    quiet = services.faq_write(
        officer=officer, agency=officer.agency, question="Quiet question", answer="a"
    )
    popular = services.faq_write(
        officer=officer, agency=officer.agency, question="Popular question", answer="b"
    )
    for _ in range(3):
        visitor = _client()
        visitor.get(f"/faqs/{popular.pk}/")
        visitor.get(f"/faqs/{popular.pk}/")  # the same visitor again: not counted
    popular.refresh_from_db()
    assert popular.views == 3
    listing = page(_client().get("/faqs/"))
    assert listing.index("Popular question") < listing.index("Quiet question")
    with django_assert_max_num_queries(20) as first:
        _client().get("/faqs/?q=Q")  # built, and built again after the writes below
    for n in range(5):
        services.faq_write(officer=officer, agency=officer.agency, question=f"Q{n}", answer="x")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert "Q4" in page(_client().get("/faqs/?q=Q"))
    assert quiet.pk


def test_the_web_journey_suggest_queue_answer(officer, mission):
    person = factories.citizen()
    client = _client(person)
    refused = client.post("/faqs/suggest/", {"agency": officer.agency_id, "question": ""})
    assert refused.status_code == 200 and "Write your question." in page(refused)
    client.post(
        "/faqs/suggest/",
        {"agency": officer.agency_id, "mission": mission.pk, "question": "Is parking free?"},
    )
    faq = Faq.objects.get()
    queue = page(_client(officer).get("/faqs/agency/"))
    assert "Is parking free?" in queue
    assert _client(factories.OfficerFactory()).get(f"/faqs/{faq.pk}/answer/").status_code == 404
    _client(officer).post(
        f"/faqs/{faq.pk}/answer/", {"question": "Is parking free?", "answer": "Yes, 2 hours."}
    )
    assert "Yes, 2 hours." in page(_client().get(f"/faqs/{faq.pk}/"))
    _client(officer).post(f"/faqs/{faq.pk}/unpublish/")
    assert _client().get(f"/faqs/{faq.pk}/").status_code == 404


def test_the_api_lists_published_and_takes_suggestions(api_as, officer):
    services.faq_write(officer=officer, agency=officer.agency, question="Open?", answer="Yes")
    body = api_as(None).get("/api/v1/faqs/").json()
    assert [r["question"] for r in body["results"]] == ["Open?"]
    assert "suggested_by" not in body["results"][0]
    made = api_as(factories.citizen()).post(
        "/api/v1/faqs/suggest/",
        {"agency": officer.agency_id, "question": "Closed on holidays?"},
        format="json",
    )
    assert (made.status_code, made.json()["status"]) == (201, "suggested")
    assert api_as(None).post("/api/v1/faqs/suggest/", {}, format="json").status_code == 401
    assert api_as(None).get("/api/v1/faqs/").json()["count"] == 1
