"""Polls: an officer creates, publishes and closes one; verified accounts vote once; the
results are counts only, shown after voting or after closing as the officer chose."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agencies.polls import selectors, services
from agencies.polls.models import Poll, Vote
from portal.audit import audit_history
from portal.roles import Role, is_verified_participant
from portal.workflow import Conflict, InvalidTransition
from tests import factories
from tests.helpers import run_together

pytestmark = pytest.mark.usefixtures("english")


def _data(**over):
    now = timezone.now()
    data = {
        "question": "Which service should open on Saturdays?",
        "options": ["Health centre", "Library", "Land office"],
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=7),
        "show_results": Poll.ShowResults.AFTER_VOTE,
    }
    data.update(over)
    return data


def _open_poll(officer, **over):
    poll = services.create_poll(actor=officer, agency=officer.agency, data=_data(**over))
    return services.publish_poll(poll, actor=officer)


def _citizen(verified=True):
    return factories.UserFactory(
        roles=[Role.CITIZEN], email_verified_at=timezone.now() if verified else None
    )


def test_officer_creates_publishes_and_closes_with_audit(officer):
    poll = services.create_poll(actor=officer, agency=officer.agency, data=_data())
    assert poll.status == Poll.Status.DRAFT
    assert [o.text for o in poll.options.all()] == ["Health centre", "Library", "Land office"]
    services.publish_poll(poll, actor=officer)
    services.close_poll(poll, actor=officer)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED
    rows = list(audit_history(poll).values_list("action", "from_status", "to_status"))
    assert ("publish", "draft", "open") in rows
    assert ("close", "open", "closed") in rows


def test_closing_a_draft_is_refused(officer):
    poll = services.create_poll(actor=officer, agency=officer.agency, data=_data())
    with pytest.raises(InvalidTransition):
        services.close_poll(poll, actor=officer)


def test_officer_of_another_agency_cannot_publish_or_create(officer, other_officer):
    poll = services.create_poll(actor=officer, agency=officer.agency, data=_data())
    with pytest.raises(PermissionDenied):
        services.publish_poll(poll, actor=other_officer)
    with pytest.raises(PermissionDenied):
        services.create_poll(actor=other_officer, agency=officer.agency, data=_data())
    poll.refresh_from_db()
    assert poll.status == Poll.Status.DRAFT


def test_citizen_cannot_create_a_poll(officer):
    with pytest.raises(PermissionDenied):
        services.create_poll(actor=_citizen(), agency=officer.agency, data=_data())


@pytest.mark.parametrize(
    "over, field",
    [
        ({"options": ["Only one"]}, "options"),
        ({"options": [str(i) for i in range(11)]}, "options"),
        ({"options": ["Same", "Same"]}, "options"),
        ({"question": "  "}, "question"),
        ({"closes_at": timezone.now() - datetime.timedelta(days=1)}, "closes_at"),
        ({"show_results": "never"}, "show_results"),
    ],
)
def test_invalid_polls_are_refused_by_field(officer, over, field):
    with pytest.raises(ValidationError) as caught:
        services.create_poll(actor=officer, agency=officer.agency, data=_data(**over))
    assert field in caught.value.message_dict
    assert not Poll.objects.exists()


def test_mission_of_another_agency_is_refused(officer, other_officer):
    alien = factories.MissionFactory(officer=other_officer)
    with pytest.raises(ValidationError) as caught:
        services.create_poll(actor=officer, agency=officer.agency, data=_data(mission=alien))
    assert "mission" in caught.value.message_dict


def test_verified_citizen_votes_once(officer):
    poll = _open_poll(officer)
    voter = _citizen()
    option = poll.options.first()
    services.cast_vote(poll, voter=voter, option_id=option.pk)
    with pytest.raises(Conflict):
        services.cast_vote(poll, voter=voter, option_id=option.pk)
    assert Vote.objects.filter(poll=poll).count() == 1


def test_unverified_citizen_cannot_vote(officer):
    poll = _open_poll(officer)
    with pytest.raises(PermissionDenied):
        services.cast_vote(poll, voter=_citizen(verified=False), option_id=poll.options.first().pk)
    assert not Vote.objects.exists()


def test_inactive_account_is_not_a_participant(member):
    assert is_verified_participant(member)
    member.is_active = False
    assert not is_verified_participant(member)


def test_reviewer_without_participant_role_cannot_vote(officer, reviewer):
    poll = _open_poll(officer)
    with pytest.raises(PermissionDenied):
        services.cast_vote(poll, voter=reviewer, option_id=poll.options.first().pk)


def test_cso_member_and_officer_count_as_verified(officer, member):
    poll = _open_poll(officer)
    services.cast_vote(poll, voter=member, option_id=poll.options.first().pk)
    services.cast_vote(poll, voter=officer, option_id=poll.options.last().pk)
    assert Vote.objects.filter(poll=poll).count() == 2


def test_voting_on_closed_draft_or_not_yet_open_poll_is_refused(officer):
    voter = _citizen()
    closed = _open_poll(officer)
    services.close_poll(closed, actor=officer)
    draft = services.create_poll(actor=officer, agency=officer.agency, data=_data())
    later = _open_poll(
        officer,
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    for poll in (closed, draft, later):
        with pytest.raises(InvalidTransition):
            services.cast_vote(poll, voter=voter, option_id=poll.options.first().pk)
    assert not Vote.objects.exists()


def test_option_of_another_poll_is_refused(officer):
    poll, other = _open_poll(officer), _open_poll(officer)
    with pytest.raises(ValidationError):
        services.cast_vote(poll, voter=_citizen(), option_id=other.options.first().pk)


def test_results_count_votes_and_voters(officer):
    poll = _open_poll(officer)
    first, second, _third = poll.options.all()
    for option in (first, first, second):
        services.cast_vote(poll, voter=_citizen(), option_id=option.pk)
    result = selectors.results(poll)
    assert result["voters"] == 3
    assert [(o["text"], o["votes"], o["percent"]) for o in result["options"]] == [
        ("Health centre", 2, 67),
        ("Library", 1, 33),
        ("Land office", 0, 0),
    ]


def test_results_shown_after_vote_or_after_close(officer, other_officer):
    from agencies.polls.permissions import can_see_results

    after_vote = _open_poll(officer)
    after_close = _open_poll(officer, show_results=Poll.ShowResults.AFTER_CLOSE)
    voter = _citizen()
    assert not can_see_results(voter, after_vote, has_voted=False)
    assert can_see_results(voter, after_vote, has_voted=True)
    assert not can_see_results(voter, after_close, has_voted=True)
    assert not can_see_results(other_officer, after_close, has_voted=False)
    assert can_see_results(officer, after_close, has_voted=False)
    after_close = services.close_poll(after_close, actor=officer)
    assert can_see_results(voter, after_close, has_voted=False)


def test_public_lists_never_show_drafts(officer):
    draft = services.create_poll(actor=officer, agency=officer.agency, data=_data())
    live = _open_poll(officer)
    past = _open_poll(officer)
    services.close_poll(past, actor=officer)
    assert list(selectors.open_polls()) == [live]
    assert list(selectors.past_polls()) == [past]
    assert draft not in selectors.public_polls()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_votes_leave_one():
    officer = factories.OfficerFactory()
    poll = _open_poll(officer)
    voter = _citizen()
    first, second = poll.options.all()[:2]
    for _round in range(5):
        Vote.objects.filter(poll=poll).delete()
        outcomes = run_together(
            lambda: services.cast_vote(poll, voter=voter, option_id=first.pk),
            lambda: services.cast_vote(poll, voter=voter, option_id=second.pk),
        )
        assert Vote.objects.filter(poll=poll, voter=voter).count() == 1
        assert sum(isinstance(o, Vote) for o in outcomes) == 1
        assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
