"""The consultations' pages, as each person uses them without JavaScript: the public list
and page, answering with a draft, the discussion's forms, reporting and moderating, the
agency's set-up pages and, after closing, the themes, the response report, its PDF and the
CSV files without personal data."""

import csv
import datetime
import io
import re

from django.test import Client
from django.utils import timezone

from agencies.consultations import services
from agencies.consultations.models import Consultation, Contribution, Response
from portal.models import AuditLog
from tests import factories
from tests.helpers import date_boxes, page, pdf_text, text


def _client(user=None, lang="en"):
    client = Client()
    client.cookies["django_language"] = lang
    if user is not None:
        client.force_login(user)
    return client


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def _q(consultation):
    return {q.kind: q for q in consultation.questions.all()}


# --- the public -----------------------------------------------------------------------


def test_the_public_list_filters_and_tabs(officer, mission):
    now = timezone.now()
    on_mission = factories.open_consultation(officer, mission=mission, title="Water supply")
    factories.open_consultation(officer, title="Road repairs", topic="administrative")
    later = factories.open_consultation(
        officer,
        title="Budget for next year",
        opens_at=now + datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=9),
    )
    draft = factories.open_consultation(officer, publish=False, title="Secret draft")
    client = _client()
    listing = page(client.get("/consultations/"))
    assert "Water supply" in listing and "Road repairs" in listing
    assert later.title not in listing and draft.title not in listing
    assert later.title in page(client.get("/consultations/?state=upcoming"))
    only = page(client.get(f"/consultations/?mission={mission.pk}"))
    assert on_mission.title in only and "Road repairs" not in only
    assert "Road repairs" in page(client.get("/consultations/?topic=administrative"))
    assert "Road repairs" not in page(client.get("/consultations/?q=water"))
    odd_queries = (
        "?agency=abc",
        "?province=%00",
        "?q=%00a",
        "?page=999",
        "?state=<",
        "?mission=-1",
    )
    for odd in odd_queries:
        assert client.get("/consultations/" + odd).status_code == 200
    assert client.get(f"/consultations/{draft.pk}/").status_code == 404


def test_the_list_and_discussion_query_counts_do_not_grow(officer, django_assert_max_num_queries):
    consultation = factories.open_consultation(officer)
    client = _client(factories.citizen())
    idea = services.contribution_add(
        consultation=consultation,
        author=factories.citizen(),
        data={"kind": "idea", "text": "first"},
    )
    with django_assert_max_num_queries(30) as first:
        client.get("/consultations/")
    with django_assert_max_num_queries(40) as thread:
        client.get(f"/consultations/{consultation.pk}/discussion/")
    for n in range(5):
        factories.open_consultation(officer)
        root = services.contribution_add(
            consultation=consultation,
            author=factories.citizen(),
            data={"kind": "idea", "text": f"idea {n}"},
        )
        services.contribution_add(
            consultation=consultation,
            author=factories.citizen(),
            data={"kind": "pro", "text": f"for {n}", "parent": root},
        )
    services.contribution_react(contribution=idea, person=factories.citizen(), value="agree")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/consultations/")
    with django_assert_max_num_queries(len(thread.captured_queries)):
        assert "for 4" in page(client.get(f"/consultations/{consultation.pk}/discussion/"))


def test_a_visitor_is_asked_to_sign_in_and_an_unverified_citizen_is_told_why(officer):
    consultation = factories.open_consultation(officer)
    anonymous = page(_client().get(f"/consultations/{consultation.pk}/"))
    assert "Sign in to take part" in anonymous
    unverified = factories.citizen(verified=False)
    shown = text(_client(unverified).get(f"/consultations/{consultation.pk}/"))
    assert "Only an account with a verified email address can take part." in shown
    refused = _client(unverified).post(f"/consultations/{consultation.pk}/answer/", {})
    assert refused.status_code == 403


# --- answering ------------------------------------------------------------------------


def test_a_citizen_saves_a_draft_and_sends_with_errors_shown_on_the_questions(officer):
    consultation = factories.open_consultation(officer)
    q = _q(consultation)
    person = factories.citizen()
    client = _client(person)
    url = f"/consultations/{consultation.pk}/answer/"
    draft = client.post(url, {f"q{q['single'].pk}": "ทุกวัน", "draft": "1"})
    assert draft.status_code == 302
    assert Response.objects.get(respondent=person).status == "draft"
    reloaded = page(client.get(url))
    assert re.search(r'<input[^>]*value="ทุกวัน"[^>]*checked', reloaded)
    refused = client.post(
        url,
        {
            f"q{q['single'].pk}": "ทุกวัน",
            f"q{q['ranking'].pk}_0": "1",
            f"q{q['ranking'].pk}_1": "1",
            f"q{q['ranking'].pk}_2": "2",
            "send": "1",
        },
    )
    html = page(refused)
    assert refused.status_code == 200
    assert "This question needs an answer." in html  # the required open question
    assert "Put every option in order, each once." in html
    assert Response.objects.get(respondent=person).status == "draft"
    sent = client.post(
        url,
        {
            f"q{q['text'].pk}": "More buses in the morning",
            f"q{q['single'].pk}": "ทุกวัน",
            f"q{q['multiple'].pk}": ["ตลาด", "โรงเรียน"],
            f"q{q['scale'].pk}": "4",
            f"q{q['ranking'].pk}_0": "2",
            f"q{q['ranking'].pk}_1": "3",
            f"q{q['ranking'].pk}_2": "1",
            "send": "1",
        },
    )
    assert sent.status_code == 302
    response = Response.objects.get(respondent=person)
    assert response.status == "sent"
    assert response.answers[str(q["ranking"].pk)] == ["ความปลอดภัย", "ความถี่", "ราคา"]
    assert response.answers[str(q["scale"].pk)] == 4
    assert "You sent your answers" in page(client.get(f"/consultations/{consultation.pk}/"))


# --- discussing, reporting, moderating ------------------------------------------------


def test_the_discussion_on_a_phone_without_javascript(officer):
    consultation = factories.open_consultation(officer)
    question = _q(consultation)["text"]
    author, other, reporter = factories.citizen(), factories.citizen(), factories.citizen()
    url = f"/consultations/{consultation.pk}/contribute/"
    posted = _client(author).post(
        url, {"kind": "idea", "text": "A night bus", "question": question.pk}
    )
    assert posted.status_code == 302
    idea = Contribution.objects.get()
    assert idea.question == question
    _client(other).post(url, {"kind": "con", "text": "Too costly", "parent": idea.pk})
    thread = page(_client(other).get(f"/consultations/{consultation.pk}/discussion/"))
    assert "A night bus" in thread and "Too costly" in thread and "Argument against" in thread
    assert "A citizen" in thread
    _client(other).post(
        f"/consultations/{consultation.pk}/contributions/{idea.pk}/react/", {"value": "agree"}
    )
    again = _client(other).post(
        f"/consultations/{consultation.pk}/contributions/{idea.pk}/react/",
        {"value": "agree"},
        follow=True,
    )
    assert "You have already given this answer" in page(again)
    idea.refresh_from_db()
    assert idea.agree_count == 1
    flag_url = f"/consultations/{consultation.pk}/contributions/{idea.pk}/report/"
    assert "Report this contribution" in page(_client(reporter).get(flag_url))
    _client(reporter).post(flag_url, {"reason": "personal_data"})
    queue = page(_client(officer).get(f"/consultations/{consultation.pk}/moderation/"))
    assert "A night bus" in queue and "personal data" in queue
    _client(officer).post(
        f"/consultations/{consultation.pk}/contributions/{idea.pk}/hide/",
        {"reason": "personal_data"},
    )
    public = page(_client().get(f"/consultations/{consultation.pk}/discussion/"))
    assert "Hidden by the moderator: personal data" in public
    assert "A night bus" not in public
    assert list(
        AuditLog.objects.filter(object_id=str(idea.pk)).values_list("action", flat=True)
    ) == ["contribute", "contribution_flag", "contribution_hide"]


def test_a_refused_contribution_keeps_what_was_typed(officer, settings):
    settings.PARTICIPATION_CONTRIBUTION_RATE = "1/hour"
    consultation = factories.open_consultation(officer)
    client = _client(factories.citizen())
    url = f"/consultations/{consultation.pk}/contribute/"
    client.post(url, {"kind": "idea", "text": "one"})
    refused = client.post(url, {"kind": "idea", "text": "my long careful idea"}, follow=True)
    html = page(refused)
    assert "too often" in html
    assert "my long careful idea" in html
    assert Contribution.objects.count() == 1
    empty = client.post(url, {"kind": "idea", "text": ""}, follow=True)
    assert "Write your contribution." in page(empty)


def test_moderators_of_another_agency_are_refused(officer, other_officer):
    consultation = factories.open_consultation(officer)
    idea = services.contribution_add(
        consultation=consultation, author=factories.citizen(), data={"kind": "idea", "text": "x"}
    )
    client = _client(other_officer)
    assert client.get(f"/consultations/{consultation.pk}/moderation/").status_code == 403
    hide = client.post(
        f"/consultations/{consultation.pk}/contributions/{idea.pk}/hide/", {"reason": "spam"}
    )
    assert hide.status_code == 403
    idea.refresh_from_db()
    assert idea.status == "visible"


def test_an_author_deletes_on_a_confirmation_page(officer):
    consultation = factories.open_consultation(officer)
    author = factories.citizen()
    idea = services.contribution_add(
        consultation=consultation, author=author, data={"kind": "idea", "text": "mine"}
    )
    url = f"/consultations/{consultation.pk}/contributions/{idea.pk}/delete/"
    assert "Delete your contribution?" in page(_client(author).get(url))
    assert Contribution.objects.filter(pk=idea.pk).exists()
    assert _client(factories.citizen()).post(url).status_code == 403
    _client(author).post(url)
    assert not Contribution.objects.filter(pk=idea.pk).exists()


# --- the agency -------------------------------------------------------------------------


def test_an_officer_sets_up_a_consultation_on_the_web(officer, mission, pdf_upload):
    client = _client(officer)
    opens = timezone.now() + datetime.timedelta(days=1)
    refused = client.post(
        "/consultations/new/",
        {
            "title": "Clean air plan",
            "summary": "",
            "audience": "everyone",
            "moderation": "post",
            **date_boxes("opens_at", opens, language="en"),
            **date_boxes("closes_at", opens - datetime.timedelta(days=2), language="en"),
        },
    )
    assert refused.status_code == 200
    assert 'value="Clean air plan"' in page(refused)
    assert not Consultation.objects.exists()
    made = client.post(
        "/consultations/new/",
        {
            "title": "Clean air plan",
            "summary": "What should we do about PM2.5?",
            "mission": mission.pk,
            "audience": "everyone",
            "moderation": "pre",
            **date_boxes("opens_at", opens, language="en"),
            **date_boxes("closes_at", opens + datetime.timedelta(days=20), language="en"),
        },
    )
    consultation = Consultation.objects.get()
    assert made.url == f"/consultations/{consultation.pk}/questions/"
    setup = f"/consultations/{consultation.pk}/questions/"
    client.post(
        setup,
        {
            "question-kind": "single",
            "question-text": "Which measure first?",
            "question-options": "Ban burning\nMore buses\n",
        },
    )
    bad = client.post(
        setup, {"question-kind": "ranking", "question-text": "Rank", "question-options": "a"}
    )
    assert "Give between 2 and 15 options." in page(bad)
    assert [q.options for q in consultation.questions.all()] == [["Ban burning", "More buses"]]
    not_pdf = factories.sample_file("not-really.pdf", content_type="application/pdf")
    refused_doc = client.post(
        f"/consultations/{consultation.pk}/documents/",
        {"document-title": "Plan", "document-summary": "The plan", "document-file": not_pdf},
    )
    assert refused_doc.status_code == 400
    client.post(
        f"/consultations/{consultation.pk}/documents/",
        {"document-title": "Plan", "document-summary": "The plan", "document-file": pdf_upload},
    )
    document = consultation.documents.get()
    publish = client.post(f"/consultations/{consultation.pk}/publish/")
    assert publish.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "published"
    shown = page(_client().get(f"/consultations/{consultation.pk}/"))
    assert "The plan" in shown
    got = _client().get(f"/consultations/{consultation.pk}/documents/{document.pk}/")
    assert got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content).startswith(b"%PDF")


def test_a_facilitator_enters_the_rooms_input(officer):
    from agencies.meetings import services as meetings

    consultation = factories.open_consultation(officer)
    starts = timezone.now() + datetime.timedelta(days=2)
    meeting = meetings.meeting_publish(
        meeting=meetings.meeting_create(
            officer=officer,
            kind="town_hall",
            title="Town hall at the temple",
            description="",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="Temple",
            online_url="",
            capacity=40,
            mission=None,
        ),
        officer=officer,
    )
    client = _client(officer)
    url = f"/consultations/{consultation.pk}/meeting-input/"
    client.post(url, {"meeting": meeting.pk, "kind": "idea", "text": "A shuttle for elders"})
    said = Contribution.objects.get()
    assert (said.meeting, said.author_type) == (meeting, "meeting")
    thread = page(_client().get(f"/consultations/{consultation.pk}/discussion/"))
    assert "Said at “Town hall at the temple”" in thread


def test_after_closing_themes_report_pdf_and_csv(officer, tmp_path):
    consultation = factories.open_consultation(officer)
    q = _q(consultation)
    named = factories.citizen(first_name="Somchai", last_name="Jaidee")
    services.response_save(
        consultation=consultation,
        respondent=named,
        answers={
            str(q["text"].pk): '=HYPERLINK("http://evil")',
            str(q["single"].pk): "ทุกวัน",
        },
        send=True,
    )
    idea = services.contribution_add(
        consultation=consultation,
        author=named,
        data={"kind": "idea", "text": "More morning buses", "show_name": True},
    )
    client = _client(officer)
    assert client.get(f"/consultations/{consultation.pk}/summary/").status_code == 200
    assert _client().get(f"/consultations/{consultation.pk}/summary/").status_code == 404
    client.post(f"/consultations/{consultation.pk}/close/")
    client.post(f"/consultations/{consultation.pk}/analysis/", {"name": "Timetable"})
    theme = consultation.themes.get()
    client.post(
        f"/consultations/{consultation.pk}/contributions/{idea.pk}/themes/",
        {"themes": [str(theme.pk)]},
    )
    assert list(idea.themes.all()) == [theme]
    edit = f"/consultations/{consultation.pk}/response/edit/"
    refused = client.post(
        edit, {f"t{theme.pk}-heard": "People want buses at 6", f"t{theme.pk}-outcome": ""}
    )
    assert refused.status_code == 400
    assert "People want buses at 6" in page(refused)
    client.post(
        edit,
        {
            "introduction": "Thank you all.",
            f"t{theme.pk}-heard": "People want buses at 6",
            f"t{theme.pk}-outcome": "will_do",
            f"t{theme.pk}-action": "From next month a 06:00 bus runs.",
            f"t{theme.pk}-contributions": [str(idea.pk)],
        },
    )
    client.post(f"/consultations/{consultation.pk}/response/publish/")
    consultation.refresh_from_db()
    assert consultation.status == "reported"
    report = page(_client().get(f"/consultations/{consultation.pk}/response/"))
    assert "From next month a 06:00 bus runs." in report and "We will do this" in report
    assert "More morning buses" in report
    pdf = _client(lang="th").get(f"/consultations/{consultation.pk}/response.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Timetable" in pdf_text(pdf.content, tmp_path)
    contributions = _body(_client().get(f"/consultations/{consultation.pk}/export.csv"))
    assert "More morning buses" in contributions and "Timetable" in contributions
    answers_csv = _body(_client().get(f"/consultations/{consultation.pk}/export.csv?what=answers"))
    assert "Somchai" not in contributions + answers_csv
    assert named.username not in contributions + answers_csv
    rows = list(csv.reader(io.StringIO(answers_csv.lstrip("\ufeff"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'  # not a formula in a spreadsheet


def test_a_participant_lists_only_their_own_contributions(officer):
    consultation = factories.open_consultation(officer)
    me, other = factories.citizen(), factories.citizen()
    idea = services.contribution_add(
        consultation=consultation, author=other, data={"kind": "idea", "text": "Their idea"}
    )
    services.contribution_add(
        consultation=consultation,
        author=me,
        data={"kind": "pro", "text": "My reply", "parent": idea},
    )
    services.contribution_add(
        consultation=consultation, author=other, data={"kind": "idea", "text": "Unrelated"}
    )
    mine = page(_client(me).get(f"/consultations/{consultation.pk}/discussion/?mine=1"))
    assert "My reply" in mine and "Unrelated" not in mine
