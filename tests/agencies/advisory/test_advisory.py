"""Advisory groups: an officer sets one up with members and terms, records meetings and
recommendations, answers each (members with an account are told), and dissolves it; the
public sees current members, published minutes and the answers, with how long an
unanswered recommendation has waited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from agencies.advisory import selectors, services
from agencies.advisory.models import AdvisoryGroup, Recommendation
from portal.audit import audit_history
from portal.models import Notice
from portal.workflow import InvalidTransition
from tests import factories
from tests.helpers import date_boxes, page, pdf_text, text

pytestmark = pytest.mark.usefixtures("english")


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _group(officer, **over):
    data = {
        "kind": "advisory_group",
        "name": "Clean air advisory group",
        "purpose": "Advise on the PM2.5 plan.",
        **over,
    }
    return services.group_create(officer=officer, data=data)


def test_a_group_from_draft_to_dissolved_with_members_meetings_and_answers(officer, mission):
    group = _group(officer, missions=[mission])
    member_account = factories.citizen()
    today = timezone.localdate()
    services.member_add(
        officer=officer,
        group=group,
        data={
            "name": "Dr Anong",
            "member_type": "expert",
            "organisation": "Chiang Mai University",
            "role": "chair",
            "term_start": today - datetime.timedelta(days=30),
            "term_end": today + datetime.timedelta(days=700),
            "account": member_account,
        },
    )
    services.member_add(
        officer=officer,
        group=group,
        data={
            "name": "Former member",
            "member_type": "citizen",
            "term_start": today - datetime.timedelta(days=400),
            "term_end": today - datetime.timedelta(days=10),
        },
    )
    meeting = services.meeting_add(
        officer=officer,
        group=group,
        data={
            "held_on": today,
            "agenda": "Burning season",
            "minutes": "Discussed",
            "published": True,
        },
    )
    rec = services.recommendation_add(
        officer=officer,
        group=group,
        data={"text": "Ban field burning in March", "meeting": meeting},
    )
    services.group_activate(officer=officer, group=group)
    public = text(_client().get(f"/advisory/{group.pk}/"))
    assert "Dr Anong" in public and "Chiang Mai University" in public
    assert "Not answered yet" in public and "waiting 0 days" in public
    assert "Clean air advisory group" in text(_client().get(f"/missions/{mission.pk}/"))
    services.recommendation_answer(
        officer=officer, recommendation=rec, answer="partly", explanation="In two districts first."
    )
    assert Notice.objects.filter(recipient=member_account, kind="recommendation_answered").exists()
    services.recommendation_answer(
        officer=officer, recommendation=rec, answer="accepted", explanation="Everywhere."
    )
    rec.refresh_from_db()
    assert rec.answer == "accepted"
    moves = [(a.action, a.from_status, a.to_status) for a in audit_history(rec)]
    assert ("recommendation_answer", "pending", "partly") in moves
    assert ("recommendation_answer", "partly", "accepted") in moves
    with pytest.raises(ValidationError):
        services.group_dissolve(officer=officer, group=group, reason="")
    services.group_dissolve(officer=officer, group=group, reason="Plan adopted")
    with pytest.raises(InvalidTransition):
        services.member_add(officer=officer, group=group, data={})


def test_refusals(officer, other_officer):
    group = _group(officer)
    with pytest.raises(PermissionDenied):
        services.member_add(officer=other_officer, group=group, data={})
    with pytest.raises(PermissionDenied):
        _group(factories.citizen())
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.member_add(
            officer=officer,
            group=group,
            data={
                "name": "X",
                "member_type": "martian",
                "term_start": today,
                "term_end": today - datetime.timedelta(days=1),
            },
        )
    assert set(caught.value.message_dict) == {"member_type", "term_end"}
    rec = services.recommendation_add(officer=officer, group=group, data={"text": "Do it"})
    with pytest.raises(PermissionDenied):
        services.recommendation_answer(
            officer=other_officer, recommendation=rec, answer="accepted", explanation="x"
        )
    with pytest.raises(ValidationError):
        services.recommendation_answer(
            officer=officer, recommendation=rec, answer="pending", explanation="x"
        )
    assert _client().get(f"/advisory/{group.pk}/").status_code == 404  # a draft


def test_the_officers_web_forms_keep_what_was_typed(officer):
    group = _group(officer)
    client = _client(officer)
    refused = client.post(
        f"/advisory/{group.pk}/members/",
        {
            "member-name": "Somchai",
            "member-member_type": "cso",
            "member-role": "member",
            **date_boxes("member-term_start", timezone.localdate(), language="en"),
            **date_boxes(
                "member-term_end", timezone.localdate() - datetime.timedelta(days=3), language="en"
            ),
        },
    )
    assert refused.status_code == 400
    assert 'value="Somchai"' in page(refused)
    assert "The term cannot end before it starts." in page(refused)
    assert not group.members.exists()
    made = client.post(
        "/advisory/new/",
        {"kind": "task_force", "name": "Flood task force", "purpose": "Coordinate relief"},
    )
    assert made.status_code == 302
    created = AdvisoryGroup.objects.get(name="Flood task force")
    client.post(f"/advisory/{created.pk}/activate/")
    created.refresh_from_db()
    assert created.status == "active"
    assert "Flood task force" in page(_client().get("/advisory/"))


def test_the_list_query_count_does_not_grow_and_the_api_reads(
    officer, api_as, django_assert_max_num_queries
):
    services.group_activate(officer=officer, group=_group(officer))
    with django_assert_max_num_queries(20) as first:
        _client().get("/advisory/")
    for n in range(4):
        g = _group(officer, name=f"Group {n}")
        services.recommendation_add(officer=officer, group=g, data={"text": "r"})
        services.group_activate(officer=officer, group=g)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert "1 recommendation awaits an answer" in page(_client().get("/advisory/"))
    body = api_as(None).get("/api/v1/advisory-groups/").json()
    assert body["count"] == 5
    answered = [r for g in body["results"] for r in g["recommendations"]]
    assert [r["answer"] for r in answered] == [Recommendation.Answer.PENDING] * 4


def test_minutes_written_later_are_published_and_read_as_a_pdf(officer, tmp_path):
    group = _group(officer)
    services.group_activate(officer=officer, group=group)
    held = timezone.localdate() - datetime.timedelta(days=3)
    meeting = services.meeting_add(
        officer=officer, group=group, data={"held_on": held, "agenda": "Burning season agenda"}
    )
    public = Client()
    assert "Burning season agenda" not in page(public.get(f"/advisory/{group.pk}/"))
    assert public.get(f"/advisory/{group.pk}/meetings/{meeting.pk}/minutes.pdf").status_code == 404

    # A week later the officer writes the minutes and publishes them.
    officer_client = _client(officer)
    form = {
        **date_boxes("held_on", held, language="en"),
        "agenda": "Burning season agenda",
        "minutes": "The group asked for burn bans to start in January.",
        "published": "on",
    }
    saved = officer_client.post(f"/advisory/{group.pk}/meetings/{meeting.pk}/", form)
    assert saved.status_code == 302
    assert "burn bans" in page(public.get(f"/advisory/{group.pk}/"))
    answer = public.get(f"/advisory/{group.pk}/meetings/{meeting.pk}/minutes.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    words = pdf_text(answer.content, tmp_path)
    assert "burn bans" in words and group.name in words
    changes = [e for e in audit_history(group) if e.action == "meeting_change"]
    assert changes and changes[0].data["published"] == [False, True]


def test_a_members_term_is_ended_and_they_move_to_former_members(officer):
    group = _group(officer)
    today = timezone.localdate()
    member = services.member_add(
        officer=officer,
        group=group,
        data={
            "name": "Khun Somchai",
            "member_type": "citizen",
            "term_start": today - datetime.timedelta(days=200),
        },
    )
    client = _client(officer)
    edit = client.get(f"/advisory/{group.pk}/members/{member.pk}/")
    assert 'value="Khun Somchai"' in page(edit)
    form = {
        "name": "Khun Somchai",
        "member_type": "citizen",
        "role": "member",
        **date_boxes("term_start", member.term_start, language="en"),
        **date_boxes("term_end", today - datetime.timedelta(days=1), language="en"),
    }
    bad = client.post(
        f"/advisory/{group.pk}/members/{member.pk}/",
        {**form, **date_boxes("term_end", today - datetime.timedelta(days=400), language="en")},
    )
    assert bad.status_code == 400
    assert "cannot end before it starts" in page(bad)
    assert client.post(f"/advisory/{group.pk}/members/{member.pk}/", form).status_code == 302
    member.refresh_from_db()
    assert member.term_end == today - datetime.timedelta(days=1)
    current, past = selectors.members_now_and_before(group)
    assert member in past and member not in current
    # Another agency's officer cannot touch it.
    other = _client(factories.OfficerFactory())
    assert other.post(f"/advisory/{group.pk}/members/{member.pk}/", form).status_code in (403, 404)
