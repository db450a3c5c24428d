"""The polls' pages without JavaScript: an officer makes, publishes and closes a poll; a
verified citizen votes once with a plain form; others are told why they cannot; results show
as the officer chose."""

import datetime
import re

from django.test import Client
from django.utils import timezone

from agencies.polls import services
from agencies.polls.models import Poll, Vote
from tests import factories
from tests.helpers import date_boxes, page, text


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _open_poll(officer, **over):
    now = timezone.now()
    data = {
        "question": "Which office should open on Saturdays?",
        "options": ["Health centre", "Library"],
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=7),
        "show_results": "after_vote",
        **over,
    }
    poll = services.create_poll(actor=officer, agency=officer.agency, data=data)
    return services.publish_poll(poll, actor=officer)


def test_an_officer_makes_publishes_and_closes_a_poll_on_the_web(officer, mission):
    client = _client(officer)
    opens = timezone.now() + datetime.timedelta(minutes=5)
    refused = client.post(
        "/polls/new/",
        {
            "question": "Which day?",
            "options": "Only one",
            "show_results": "after_vote",
            **date_boxes("opens_at", opens, language="en"),
            **date_boxes("closes_at", opens + datetime.timedelta(days=3), language="en"),
        },
    )
    assert "Give between 2 and 10 options." in page(refused)
    assert 'value="Which day?"' in page(refused)
    made = client.post(
        "/polls/new/",
        {
            "question": "Which day?",
            "options": "Saturday\nSunday\n",
            "mission": mission.pk,
            "show_results": "after_close",
            **date_boxes("opens_at", opens, language="en"),
            **date_boxes("closes_at", opens + datetime.timedelta(days=3), language="en"),
        },
    )
    poll = Poll.objects.get()
    assert made.url == f"/polls/{poll.pk}/"
    assert [o.text for o in poll.options.all()] == ["Saturday", "Sunday"]
    assert _client().get(f"/polls/{poll.pk}/").status_code == 404  # a draft is the agency's
    client.post(f"/polls/{poll.pk}/publish/")
    poll.refresh_from_db()
    assert poll.status == "open"
    assert "Which day?" in text(_client().get(f"/missions/{mission.pk}/"))
    client.post(f"/polls/{poll.pk}/close/")
    poll.refresh_from_db()
    assert poll.status == "closed"
    assert "Which day?" in page(_client().get("/polls/?when=past"))


def test_a_verified_citizen_votes_once_and_then_sees_the_results(officer):
    poll = _open_poll(officer)
    person = factories.citizen()
    client = _client(person)
    before = page(client.get(f"/polls/{poll.pk}/"))
    assert "people voted" not in before and "The results show once you have voted" in before
    option = poll.options.get(text="Library")
    client.post(f"/polls/{poll.pk}/vote/", {"option": option.pk})
    assert Vote.objects.get(voter=person).option == option
    after = text(client.get(f"/polls/{poll.pk}/"))
    assert "You have voted in this poll." in after and "1 person voted." in after
    again = client.post(f"/polls/{poll.pk}/vote/", {"option": option.pk}, follow=True)
    assert "You have already voted in this poll." in page(again)
    assert Vote.objects.count() == 1
    nothing = _client(factories.citizen()).post(
        f"/polls/{poll.pk}/vote/", {"option": "abc"}, follow=True
    )
    assert "Choose one of the options" in page(nothing)


def test_who_cannot_vote_is_told_why(officer):
    poll = _open_poll(officer)
    unverified = factories.citizen(verified=False)
    shown = text(_client(unverified).get(f"/polls/{poll.pk}/"))
    assert "Only an account with a verified email address can vote." in shown
    assert _client(unverified).post(f"/polls/{poll.pk}/vote/", {"option": 1}).status_code == 403
    assert "Sign in to vote" in page(_client().get(f"/polls/{poll.pk}/"))
    later = _open_poll(
        officer,
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    refused = _client(factories.citizen()).post(
        f"/polls/{later.pk}/vote/", {"option": later.options.first().pk}, follow=True
    )
    assert "not open for voting" in page(refused)
    assert not Vote.objects.exists()


def test_the_list_query_count_does_not_grow(officer, django_assert_max_num_queries):
    _open_poll(officer)
    client = _client(factories.citizen())
    with django_assert_max_num_queries(30) as first:
        client.get("/polls/")
    for n in range(5):
        _open_poll(officer, question=f"Question {n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        listing = page(client.get("/polls/"))
    assert len(re.findall(r'class="result"', listing)) == 6
