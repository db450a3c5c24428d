"""/api/v1/polls/: public list without drafts, votes hidden until the results may be shown,
POST .../vote/ once per verified account (201, then 409), 403 unverified, 409 closed."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.polls import services
from agencies.polls.models import Poll, Vote
from portal.roles import Role
from tests import factories
from tests.helpers import TokenClient

pytestmark = pytest.mark.usefixtures("english")


def _open_poll(officer, **over):
    now = timezone.now()
    data = {
        "question": "Which service should open on Saturdays?",
        "options": ["Health centre", "Library"],
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=7),
        "show_results": Poll.ShowResults.AFTER_VOTE,
        **over,
    }
    poll = services.create_poll(actor=officer, agency=officer.agency, data=data)
    return services.publish_poll(poll, actor=officer)


def _client(user=None):
    return APIClient() if user is None else TokenClient(user)


def _citizen(verified=True):
    return factories.UserFactory(
        roles=[Role.CITIZEN], email_verified_at=timezone.now() if verified else None
    )


def test_list_is_public_and_hides_drafts_and_votes_before_voting(officer):
    poll = _open_poll(officer)
    services.create_poll(
        actor=officer,
        agency=officer.agency,
        data={
            "question": "Draft",
            "options": ["a", "b"],
            "opens_at": timezone.now(),
            "closes_at": timezone.now() + datetime.timedelta(days=1),
        },
    )
    response = _client().get("/api/v1/polls/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [p["id"] for p in results] == [poll.pk]
    assert results[0]["agency"] == officer.agency_id
    assert [o["votes"] for o in results[0]["options"]] == [None, None]


def test_vote_once_then_409_and_results_shown(officer):
    poll = _open_poll(officer)
    option = poll.options.first()
    client = _client(_citizen())
    response = client.post(f"/api/v1/polls/{poll.pk}/vote/", {"option": option.pk}, format="json")
    assert response.status_code == 201
    assert [o["votes"] for o in response.json()["options"]] == [1, 0]
    again = client.post(f"/api/v1/polls/{poll.pk}/vote/", {"option": option.pk}, format="json")
    assert again.status_code == 409
    assert Vote.objects.filter(poll=poll).count() == 1


def test_unverified_citizen_gets_403(officer):
    poll = _open_poll(officer)
    response = _client(_citizen(verified=False)).post(
        f"/api/v1/polls/{poll.pk}/vote/", {"option": poll.options.first().pk}, format="json"
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_anonymous_vote_is_401(officer):
    poll = _open_poll(officer)
    response = _client().post(
        f"/api/v1/polls/{poll.pk}/vote/", {"option": poll.options.first().pk}, format="json"
    )
    assert response.status_code == 401


def test_voting_on_a_closed_poll_is_409(officer):
    poll = _open_poll(officer)
    services.close_poll(poll, actor=officer)
    response = _client(_citizen()).post(
        f"/api/v1/polls/{poll.pk}/vote/", {"option": poll.options.first().pk}, format="json"
    )
    assert response.status_code == 409


def test_bad_option_is_400(officer):
    poll = _open_poll(officer)
    response = _client(_citizen()).post(
        f"/api/v1/polls/{poll.pk}/vote/", {"option": "x"}, format="json"
    )
    assert response.status_code == 400


def test_after_close_results_hidden_from_voter_until_closed(officer):
    poll = _open_poll(officer, show_results=Poll.ShowResults.AFTER_CLOSE)
    client = _client(_citizen())
    response = client.post(
        f"/api/v1/polls/{poll.pk}/vote/", {"option": poll.options.first().pk}, format="json"
    )
    assert [o["votes"] for o in response.json()["options"]] == [None, None]
    services.close_poll(poll, actor=officer)
    detail = client.get(f"/api/v1/polls/{poll.pk}/").json()
    assert [o["votes"] for o in detail["options"]] == [1, 0]


def test_votes_are_rate_limited_per_address(officer, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], poll_vote="2/hour")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from agencies.polls.api import VoteAddressThrottle

    VoteAddressThrottle.THROTTLE_RATES = rates
    try:
        polls = [_open_poll(officer) for _ in range(3)]
        codes = [
            _client(_citizen())
            .post(f"/api/v1/polls/{p.pk}/vote/", {"option": p.options.first().pk}, format="json")
            .status_code
            for p in polls
        ]
    finally:
        from rest_framework.settings import api_settings

        VoteAddressThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [201, 201, 429]


def test_the_list_costs_the_same_queries_for_more_polls_and_votes(officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    voter = _citizen()
    _open_poll(officer)

    def queries(client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/polls/").status_code == 200
        return len(ctx.captured_queries)

    queries(_client(voter))  # the voter's roles are read once and kept on the user
    few = (queries(_client()), queries(_client(voter)))
    for _ in range(4):
        poll = _open_poll(officer)
        services.cast_vote(poll, voter=voter, option_id=poll.options.first().pk)
    assert (queries(_client()), queries(_client(voter))) == few
