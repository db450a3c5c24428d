"""Consultations through their services: the agency sets one up and runs it, participants
answer once and discuss in typed threads, moderators hide and restore with a reason, and the
agency answers what it heard. Every refusal a user could meet is here."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agencies.consultations import analysis, selectors, services
from agencies.consultations.models import Consultation, Contribution, Response
from portal.audit import audit_history
from portal.models import Notice
from portal.rates import RateLimited
from portal.roles import Role
from portal.workflow import Conflict, InvalidTransition
from tests import factories
from tests.helpers import in_thai, run_together

pytestmark = pytest.mark.usefixtures("english")
CS = Consultation.Status


def _questions(consultation):
    return {q.kind: q for q in consultation.questions.all()}


def _full_answers(consultation):
    q = _questions(consultation)
    return {
        str(q["text"].pk): "ควรเพิ่มรถเมล์ตอนเช้าและปรับปรุงป้ายรถเมล์ให้ปลอดภัย",
        str(q["single"].pk): "ทุกวัน",
        str(q["multiple"].pk): ["โรงพยาบาล", "ตลาด"],
        str(q["scale"].pk): 2,
        str(q["ranking"].pk): ["ความปลอดภัย", "ความถี่", "ราคา"],
    }


# --- setting up and running ------------------------------------------------------------


def test_an_officer_runs_a_consultation_from_draft_to_report_with_audit(officer):
    consultation = factories.open_consultation(officer)
    assert consultation.status == CS.PUBLISHED
    services.consultation_close(actor=officer, consultation=consultation)
    theme = services.theme_add(actor=officer, consultation=consultation, name="ความปลอดภัย")
    services.report_save(
        actor=officer,
        consultation=consultation,
        introduction="",
        decisions=[
            {"theme": theme.pk, "heard": "h", "outcome": "will_do", "action": "a"},
        ],
    )
    services.consultation_report(actor=officer, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == CS.REPORTED
    moves = [
        (a.action, a.from_status, a.to_status) for a in audit_history(consultation) if a.to_status
    ]
    assert moves == [
        ("create", "", "draft"),
        ("publish", "draft", "published"),
        ("close", "published", "closed"),
        ("report", "closed", "reported"),
    ]


def test_only_the_agencys_officers_set_up_and_change_its_consultations(officer, other_officer):
    for outsider in (other_officer, factories.citizen()):
        with pytest.raises(PermissionDenied):
            services.consultation_create(actor=outsider, agency=officer.agency, data={})
    draft = factories.open_consultation(officer, publish=False)
    with pytest.raises(PermissionDenied):
        services.question_add(
            actor=other_officer, consultation=draft, data={"kind": "text", "text": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.consultation_publish(actor=other_officer, consultation=draft)


def test_a_published_consultation_cannot_be_changed_and_a_draft_cannot_close(officer):
    draft = factories.open_consultation(officer, publish=False)
    with pytest.raises(InvalidTransition):
        services.consultation_close(actor=officer, consultation=draft)
    published = services.consultation_publish(actor=officer, consultation=draft)
    with pytest.raises(InvalidTransition):
        services.question_add(
            actor=officer, consultation=published, data={"kind": "text", "text": "x"}
        )
    with pytest.raises(InvalidTransition):
        services.consultation_report(actor=officer, consultation=published)


def test_publishing_needs_a_question_and_a_closing_date_ahead(officer):
    empty = factories.open_consultation(officer, publish=False, questions=())
    with pytest.raises(ValidationError, match="at least one question"):
        services.consultation_publish(actor=officer, consultation=empty)
    past = factories.open_consultation(
        officer,
        publish=False,
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as caught:
        services.consultation_publish(actor=officer, consultation=past)
    assert "closes_at" in caught.value.message_dict


def test_bad_set_up_is_refused_field_by_field(officer, other_officer):
    other_mission = factories.MissionFactory(officer=other_officer)
    with pytest.raises(ValidationError) as caught:
        services.consultation_create(
            actor=officer,
            agency=officer.agency,
            data={
                "title": "x\x00y",
                "summary": "",
                "opens_at": timezone.now(),
                "closes_at": timezone.now() - datetime.timedelta(days=1),
                "audience": "martians",
                "mission": other_mission,
            },
        )
    assert set(caught.value.message_dict) == {
        "title",
        "summary",
        "closes_at",
        "audience",
        "mission",
    }
    draft = factories.open_consultation(officer, publish=False, questions=())
    for bad in (
        {"kind": "single", "text": "q", "options": ["only one"]},
        {"kind": "ranking", "text": "q", "options": ["a", "a"]},
        {"kind": "essay", "text": "q"},
        {"kind": "text", "text": ""},
    ):
        with pytest.raises(ValidationError):
            services.question_add(actor=officer, consultation=draft, data=bad)
    assert draft.questions.count() == 0


def test_a_consultation_on_a_mission_takes_the_missions_topic(officer, mission):
    consultation = factories.open_consultation(officer, publish=False, mission=mission)
    assert consultation.topic == mission.service_category


def test_the_beat_closes_consultations_whose_period_ended(officer):
    ending = factories.open_consultation(officer)
    running = factories.open_consultation(officer)
    Consultation.objects.filter(pk=ending.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.close_ended_consultations() == 1
    ending.refresh_from_db()
    running.refresh_from_db()
    assert (ending.status, running.status) == (CS.CLOSED, CS.PUBLISHED)
    assert services.close_ended_consultations() == 0


# --- answering ------------------------------------------------------------------------


def test_a_citizen_saves_a_draft_then_sends_once(officer):
    consultation = factories.open_consultation(officer)
    person = factories.citizen()
    answers = _full_answers(consultation)
    partial = {k: v for k, v in list(answers.items())[1:2]}
    draft = services.response_save(
        consultation=consultation, respondent=person, answers=partial, send=False
    )
    assert draft.status == Response.Status.DRAFT
    consultation.refresh_from_db()
    assert consultation.response_count == 0
    sent = services.response_save(
        consultation=consultation, respondent=person, answers=answers, send=True
    )
    assert sent.pk == draft.pk and sent.status == Response.Status.SENT
    assert sent.answers[str(_questions(consultation)["multiple"].pk)] == ["ตลาด", "โรงพยาบาล"]
    consultation.refresh_from_db()
    assert consultation.response_count == 1
    with pytest.raises(Conflict):
        services.response_save(
            consultation=consultation, respondent=person, answers=answers, send=True
        )


def test_sending_needs_the_required_answers_and_checks_each_kind(officer):
    consultation = factories.open_consultation(officer)
    person = factories.citizen()
    q = _questions(consultation)
    with pytest.raises(ValidationError) as caught:
        services.response_save(
            consultation=consultation,
            respondent=person,
            answers={
                str(q["single"].pk): "ไม่มีตัวเลือกนี้",
                str(q["multiple"].pk): ["ตลาด", "ดวงจันทร์"],
                str(q["scale"].pk): 6,
                str(q["ranking"].pk): ["ราคา"],
            },
            send=True,
        )
    assert set(caught.value.message_dict) == {
        f"answers.{q[kind].pk}" for kind in ("text", "single", "multiple", "scale", "ranking")
    }
    assert not Response.objects.exists()
    with pytest.raises(ValidationError):
        services.response_save(
            consultation=consultation, respondent=person, answers={"999999": "x"}, send=False
        )


def test_who_may_answer(officer, approved_member, system_user):
    consultation = factories.open_consultation(officer)
    unverified = factories.citizen(verified=False)
    with pytest.raises(PermissionDenied, match="verified email"):
        services.response_save(
            consultation=consultation, respondent=unverified, answers={}, send=False
        )
    with pytest.raises(PermissionDenied):
        services.response_save(
            consultation=consultation, respondent=system_user, answers={}, send=False
        )
    csos_only = factories.open_consultation(officer, audience="csos")
    with pytest.raises(PermissionDenied, match="civil society"):
        services.response_save(
            consultation=csos_only, respondent=factories.citizen(), answers={}, send=False
        )
    services.response_save(
        consultation=csos_only, respondent=approved_member, answers={}, send=False
    )
    citizens_only = factories.open_consultation(officer, audience="citizens")
    with pytest.raises(PermissionDenied, match="citizens only"):
        services.response_save(
            consultation=citizens_only, respondent=approved_member, answers={}, send=False
        )


def test_an_invited_panel_only(officer):
    consultation = factories.open_consultation(officer, audience="panel")
    invited, outsider = factories.citizen(), factories.citizen()
    services.panel_add(actor=officer, consultation=consultation, person=invited)
    services.response_save(consultation=consultation, respondent=invited, answers={}, send=False)
    with pytest.raises(PermissionDenied, match="panel"):
        services.response_save(
            consultation=consultation, respondent=outsider, answers={}, send=False
        )


def test_answering_a_closed_or_not_yet_open_consultation_is_refused(officer):
    closed = factories.open_consultation(officer)
    services.consultation_close(actor=officer, consultation=closed)
    later = factories.open_consultation(
        officer,
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=5),
    )
    for consultation in (closed, later):
        with pytest.raises(InvalidTransition):
            services.response_save(
                consultation=consultation,
                respondent=factories.citizen(),
                answers={},
                send=False,
            )


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_leave_one_response(officer):
    consultation = factories.open_consultation(officer)
    person = factories.citizen()
    answers = _full_answers(consultation)

    def send():
        return services.response_save(
            consultation=consultation, respondent=person, answers=answers, send=True
        )

    outcomes = run_together(send, send, send)
    assert sum(isinstance(o, Response) for o in outcomes) == 1
    assert all(isinstance(o, Response | Conflict) for o in outcomes), outcomes
    consultation.refresh_from_db()
    assert consultation.response_count == 1
    assert Response.objects.filter(consultation=consultation).count() == 1


# --- discussing -----------------------------------------------------------------------


def _idea(consultation, author=None, **over):
    question = consultation.questions.first()
    data = {"kind": "idea", "text": "เพิ่มรถเมล์รอบเช้า", "question": question, **over}
    return services.contribution_add(
        consultation=consultation, author=author or factories.citizen(), data=data
    )


def test_an_idea_with_arguments_for_and_against(officer):
    consultation = factories.open_consultation(officer)
    idea = _idea(consultation)
    pro = services.contribution_add(
        consultation=consultation,
        author=factories.citizen(),
        data={"kind": "pro", "text": "คนทำงานจะได้ไปทันเวลา", "parent": idea},
    )
    con = services.contribution_add(
        consultation=consultation,
        author=factories.citizen(),
        data={"kind": "con", "text": "งบประมาณอาจไม่พอ", "parent": idea},
    )
    assert pro.question_id == idea.question_id == con.question_id
    thread = list(selectors.threads(None, consultation, moderator=False))
    assert thread == [idea]
    assert [r.kind for r in thread[0].reply_list] == ["pro", "con"]
    consultation.refresh_from_db()
    assert consultation.contribution_count == 3


def test_arguments_answer_an_idea_and_threads_are_two_deep(officer):
    consultation = factories.open_consultation(officer)
    with pytest.raises(ValidationError, match="reply to one"):
        _idea(consultation, kind="pro")
    idea = _idea(consultation)
    reply = _idea(consultation, kind="question", parent=idea)
    with pytest.raises(ValidationError, match="not to a reply"):
        _idea(consultation, kind="con", parent=reply)
    other = factories.open_consultation(officer)
    with pytest.raises(ValidationError):
        _idea(other, kind="pro", parent=idea, question=None)


def test_authors_are_shown_as_they_choose_with_their_organisations_type(officer, approved_member):
    consultation = factories.open_consultation(officer)
    person = factories.citizen(first_name="สมชาย", last_name="ใจดี")
    anonymous = _idea(consultation, author=person)
    named = _idea(consultation, author=person, show_name=True)
    from_cso = _idea(consultation, author=approved_member)
    assert (anonymous.author_name, anonymous.author_type) == ("", "citizen")
    assert named.author_name == "สมชาย ใจดี"
    assert from_cso.author_type == "cso"
    assert from_cso.organisation == approved_member.cso.name


def test_pre_moderation_holds_a_contribution_until_approved(officer):
    consultation = factories.open_consultation(officer, moderation="pre")
    author = factories.citizen()
    held = _idea(consultation, author=author)
    assert held.status == Contribution.Status.HELD
    assert list(selectors.threads(None, consultation, moderator=False)) == []
    assert list(selectors.threads(author, consultation, moderator=False)) == [held]
    assert held in selectors.moderation_queue(consultation)
    services.contribution_approve(contribution=held, moderator=officer)
    assert list(selectors.threads(None, consultation, moderator=False)) == [held]
    consultation.refresh_from_db()
    assert consultation.contribution_count == 1
    # The agency's own officers are not held.
    assert _idea(consultation, author=officer).status == Contribution.Status.VISIBLE


def test_contributions_are_rate_limited_per_account(officer, settings):
    settings.PARTICIPATION_CONTRIBUTION_RATE = "2/hour"
    consultation = factories.open_consultation(officer)
    author = factories.citizen()
    _idea(consultation, author=author)
    _idea(consultation, author=author)
    with pytest.raises(RateLimited):
        _idea(consultation, author=author)
    assert Contribution.objects.filter(author=author).count() == 2
    _idea(consultation)  # someone else is not held back


def test_agree_and_disagree_count_once_per_account(officer):
    consultation = factories.open_consultation(officer)
    idea = _idea(consultation)
    reader = factories.citizen()
    services.contribution_react(contribution=idea, person=reader, value="agree")
    with pytest.raises(Conflict):
        services.contribution_react(contribution=idea, person=reader, value="agree")
    services.contribution_react(contribution=idea, person=factories.citizen(), value="agree")
    services.contribution_react(contribution=idea, person=reader, value="disagree")
    idea.refresh_from_db()
    assert (idea.agree_count, idea.disagree_count) == (1, 1)
    with pytest.raises(PermissionDenied, match="own"):
        services.contribution_react(contribution=idea, person=idea.author, value="agree")
    with pytest.raises(ValidationError):
        services.contribution_react(contribution=idea, person=reader, value="love")


@pytest.mark.django_db(transaction=True)
def test_concurrent_agrees_are_all_counted_once_each(officer):
    consultation = factories.open_consultation(officer)
    idea = _idea(consultation)
    people = [factories.citizen() for _ in range(4)]
    same = people[0]
    outcomes = run_together(
        *[
            (lambda p=p: services.contribution_react(contribution=idea, person=p, value="agree"))
            for p in [*people, same]
        ]
    )
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    idea.refresh_from_db()
    assert idea.agree_count == 4 == idea.reactions.count()


# --- moderation -----------------------------------------------------------------------


def test_a_report_then_the_moderator_hides_with_a_reason_and_restores(officer):
    consultation = factories.open_consultation(officer)
    idea = _idea(consultation)
    reporter = factories.citizen()
    services.contribution_flag(contribution=idea, reporter=reporter, reason="personal_data")
    with pytest.raises(Conflict):
        services.contribution_flag(contribution=idea, reporter=reporter, reason="spam")
    assert list(selectors.moderation_queue(consultation)) == [idea]
    with pytest.raises(ValidationError):
        services.contribution_hide(contribution=idea, moderator=officer, reason="")
    services.contribution_hide(contribution=idea, moderator=officer, reason="personal_data")
    idea.refresh_from_db()
    assert (idea.status, idea.get_hidden_reason_display()) == ("hidden", "personal data")
    assert list(selectors.moderation_queue(consultation)) == []
    notice = Notice.objects.get(recipient=idea.author, kind="contribution_hidden")
    assert in_thai("personal data") in notice.body  # the author reads it in Thai
    consultation.refresh_from_db()
    assert consultation.contribution_count == 0
    services.contribution_restore(contribution=idea, moderator=officer)
    idea.refresh_from_db()
    assert (idea.status, idea.hidden_reason) == ("visible", "")
    actions = [a.action for a in audit_history(idea)]
    assert actions == [
        "contribute",
        "contribution_flag",
        "contribution_hide",
        "contribution_restore",
    ]


def test_who_moderates(officer, other_officer, staff_admin):
    consultation = factories.open_consultation(officer)
    idea = _idea(consultation)
    for outsider in (other_officer, factories.citizen()):
        with pytest.raises(PermissionDenied):
            services.contribution_hide(contribution=idea, moderator=outsider, reason="spam")
    services.contribution_hide(contribution=idea, moderator=staff_admin, reason="spam")
    with pytest.raises(Conflict):
        services.contribution_hide(contribution=idea, moderator=officer, reason="spam")


def test_a_hidden_contribution_cannot_be_reported_or_reacted_to(officer):
    consultation = factories.open_consultation(officer)
    idea = _idea(consultation)
    services.contribution_hide(contribution=idea, moderator=officer, reason="abusive")
    with pytest.raises(InvalidTransition):
        services.contribution_flag(contribution=idea, reporter=factories.citizen(), reason="spam")
    with pytest.raises(InvalidTransition):
        services.contribution_react(contribution=idea, person=factories.citizen(), value="agree")


# --- one's own contributions ------------------------------------------------------------


def test_authors_delete_while_open_and_anonymise_after_closing(officer):
    consultation = factories.open_consultation(officer)
    author = factories.citizen(first_name="ก", last_name="ข")
    gone = _idea(consultation, author=author, show_name=True)
    kept = _idea(consultation, author=author, show_name=True)
    with pytest.raises(PermissionDenied):
        services.contribution_withdraw(contribution=gone, author=factories.citizen())
    with pytest.raises(InvalidTransition):
        services.contribution_anonymise(contribution=gone, author=author)
    services.contribution_withdraw(contribution=gone, author=author)
    assert not Contribution.objects.filter(pk=gone.pk).exists()
    services.consultation_close(actor=officer, consultation=consultation)
    with pytest.raises(InvalidTransition):
        services.contribution_withdraw(contribution=kept, author=author)
    services.contribution_anonymise(contribution=kept, author=author)
    kept.refresh_from_db()
    assert (kept.author_id, kept.author_name, kept.text) == (None, "", "เพิ่มรถเมล์รอบเช้า")
    consultation.refresh_from_db()
    assert consultation.contribution_count == 1


# --- meetings' input --------------------------------------------------------------------


def test_a_facilitator_enters_what_was_said_at_the_agencys_meeting(officer, other_officer):
    from agencies.meetings import services as meetings

    consultation = factories.open_consultation(officer)
    starts = timezone.now() + datetime.timedelta(days=3)
    meeting = meetings.meeting_create(
        officer=officer,
        kind="town_hall",
        title="เวทีประชาคมตำบลหนองบัว",
        description="",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="วัด",
        online_url="",
        capacity=30,
        mission=None,
    )
    said = services.meeting_input_add(
        actor=officer,
        consultation=consultation,
        meeting=meeting,
        data={"kind": "idea", "text": "ขอให้มีรถรับส่งผู้สูงอายุ"},
    )
    assert (said.author_type, said.organisation, said.meeting_id) == (
        "meeting",
        "เวทีประชาคมตำบลหนองบัว",
        meeting.pk,
    )
    with pytest.raises(PermissionDenied):
        services.meeting_input_add(
            actor=other_officer,
            consultation=consultation,
            meeting=meeting,
            data={"kind": "idea", "text": "x"},
        )


# --- what we heard ----------------------------------------------------------------------


def test_keywords_of_thai_text_are_segmented_and_stop_words_dropped():
    texts = [
        "ควรเพิ่มรถเมล์ในชุมชนและปรับปรุงทางเท้าให้ปลอดภัย",
        "รถเมล์มาช้ามาก ทางเท้าก็แคบ",
        "อยากให้มีรถเมล์รอบเช้า",
    ]
    found = dict(analysis.keywords(texts))
    assert found["รถเมล์"] == 3
    assert found["ทางเท้า"] == 2
    assert analysis.keywords(texts)[0] == ("รถเมล์", 3)
    for stop_word in ("ใน", "และ", "ให้", "ก็", "ควร", "อยาก"):
        assert stop_word not in found
    # Counted once per text: one person repeating a word does not make it frequent.
    assert dict(analysis.keywords(["ถนน ถนน ถนน ถนน"]))["ถนน"] == 1


def test_the_summary_counts_answers_per_option_and_contributions_per_theme(officer):
    consultation = factories.open_consultation(officer)
    first = _full_answers(consultation)
    second = {**first, str(_questions(consultation)["single"].pk): "นาน ๆ ครั้ง"}
    second[str(_questions(consultation)["scale"].pk)] = 4
    for answers in (first, second):
        services.response_save(
            consultation=consultation, respondent=factories.citizen(), answers=answers, send=True
        )
    idea = _idea(consultation)
    services.consultation_close(actor=officer, consultation=consultation)
    theme = services.theme_add(actor=officer, consultation=consultation, name="เส้นทาง")
    services.contribution_tag(actor=officer, contribution=idea, theme_ids=[theme.pk])
    summary = analysis.summary(consultation)
    rows = {row["question"].kind: row for row in summary["answers"]}
    assert [o["count"] for o in rows["single"]["options"]] == [1, 0, 1]
    assert rows["scale"]["mean"] == 3.0
    assert rows["ranking"]["options"][0] == {"text": "ความปลอดภัย", "count": 2, "mean_rank": 1.0}
    assert [(t["theme"].name, t["count"]) for t in summary["themes"]] == [("เส้นทาง", 1)]
    assert summary["contributions"]["idea"] == 1
    assert ("รถเมล์", 3) in summary["keywords"]


def test_the_response_report_links_decisions_to_contributions_and_tells_participants(officer):
    consultation = factories.open_consultation(officer)
    respondent = factories.citizen()
    services.response_save(
        consultation=consultation,
        respondent=respondent,
        answers=_full_answers(consultation),
        send=True,
    )
    idea = _idea(consultation)
    with pytest.raises(InvalidTransition):
        services.theme_add(actor=officer, consultation=consultation, name="ก่อนปิด")
    services.consultation_close(actor=officer, consultation=consultation)
    with pytest.raises(ValidationError, match="response report"):
        services.consultation_report(actor=officer, consultation=consultation)
    theme = services.theme_add(actor=officer, consultation=consultation, name="รอบรถ")
    with pytest.raises(ValidationError) as caught:
        services.report_save(
            actor=officer,
            consultation=consultation,
            introduction="",
            decisions=[{"theme": theme.pk, "heard": "", "outcome": "maybe", "contributions": [0]}],
        )
    assert set(caught.value.message_dict) >= {
        "decisions.0.heard",
        "decisions.0.outcome",
        "decisions.0.contributions",
    }
    report = services.report_save(
        actor=officer,
        consultation=consultation,
        introduction="ขอบคุณทุกความเห็น",
        decisions=[
            {
                "theme": theme.pk,
                "heard": "ประชาชนต้องการรถรอบเช้า",
                "outcome": "will_do",
                "action": "เพิ่มรอบ 06:00 ตั้งแต่เดือนหน้า",
                "contributions": [idea.pk],
            }
        ],
    )
    assert list(report.decisions.get().contributions.all()) == [idea]
    services.consultation_report(actor=officer, consultation=consultation)
    told = set(
        Notice.objects.filter(kind="consultation_reported").values_list("recipient", flat=True)
    )
    assert told == {respondent.pk, idea.author_id}


def test_the_analysis_is_the_agencys_own(officer, other_officer):
    consultation = factories.open_consultation(officer)
    services.consultation_close(actor=officer, consultation=consultation)
    with pytest.raises(PermissionDenied):
        services.theme_add(actor=other_officer, consultation=consultation, name="x")
    assert Role.AGENCY_OFFICER in other_officer.roles
