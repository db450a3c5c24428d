"""/api/v1/consultations/ as the contract has it: the public list and page, the officer's
actions, answering once (409 on a second), threads with agree/disagree once, reports,
moderation by the agency only, the summary once closed and the response report."""

import pytest
from django.utils import timezone

from agencies.consultations import services
from agencies.consultations.models import Consultation, Contribution
from tests import factories

pytestmark = pytest.mark.usefixtures("english")
BASE = "/api/v1/consultations/"


def _answers(consultation):
    q = {x.kind: x for x in consultation.questions.all()}
    return {
        str(q["text"].pk): "อยากให้มีรถเมล์รอบเช้า",
        str(q["single"].pk): "ทุกวัน",
        str(q["multiple"].pk): ["ตลาด"],
        str(q["scale"].pk): 4,
        str(q["ranking"].pk): ["ราคา", "ความถี่", "ความปลอดภัย"],
    }


def test_the_list_is_public_with_questions_and_hides_drafts(api_as, officer):
    open_one = factories.open_consultation(officer)
    draft = factories.open_consultation(officer, publish=False, title="ร่างที่ยังไม่เผยแพร่")
    body = api_as(None).get(BASE).json()
    assert [c["id"] for c in body["results"]] == [open_one.pk]
    row = body["results"][0]
    assert row["status"] == "published"
    assert [q["kind"] for q in row["questions"]] == [
        "text",
        "single",
        "multiple",
        "scale",
        "ranking",
    ]
    assert row["questions"][1]["options"] == ["ทุกวัน", "ทุกสัปดาห์", "นาน ๆ ครั้ง"]
    assert api_as(None).get(f"{BASE}{draft.pk}/").status_code == 404
    mine = api_as(officer).get(BASE).json()
    assert {c["id"] for c in mine["results"]} == {open_one.pk, draft.pk}


def test_filters_and_search(api_as, officer, mission):
    on_mission = factories.open_consultation(officer, mission=mission, title="เรื่องน้ำประปา")
    factories.open_consultation(officer, title="เรื่องถนน")
    client = api_as(None)
    assert [c["id"] for c in client.get(f"{BASE}?mission={mission.pk}").json()["results"]] == [
        on_mission.pk
    ]
    assert [c["id"] for c in client.get(f"{BASE}?search=ประปา").json()["results"]] == [
        on_mission.pk
    ]
    assert client.get(f"{BASE}?status=closed").json()["count"] == 0


def test_list_queries_do_not_grow_with_the_consultations(
    api_as, officer, django_assert_max_num_queries
):
    factories.open_consultation(officer)
    client = api_as(None)
    with django_assert_max_num_queries(8) as few:
        client.get(BASE)
    for _ in range(4):
        factories.open_consultation(officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(BASE).json()["count"] == 5


def test_an_officer_creates_with_questions_publishes_closes_and_reports(api_as, officer):
    client = api_as(officer)
    now = timezone.now()
    created = client.post(
        BASE,
        {
            "title": "ร่างแผนจัดการคุณภาพอากาศ",
            "summary": "ขอความเห็นต่อมาตรการลดฝุ่น PM2.5",
            "opens_at": now.isoformat(),
            "closes_at": (now + timezone.timedelta(days=10)).isoformat(),
            "audience": "everyone",
            "moderation": "pre",
            "questions": [
                {"kind": "scale", "text": "ท่านเห็นด้วยกับมาตรการเพียงใด"},
                {"kind": "single", "text": "มาตรการใดสำคัญที่สุด", "options": ["ก", "ข"]},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], len(body["questions"]), body["moderation"]) == ("draft", 2, "pre")
    pk = body["id"]
    assert client.post(f"{BASE}{pk}/publish/").json()["status"] == "published"
    assert client.post(f"{BASE}{pk}/publish/").status_code == 409
    assert (
        client.post(f"{BASE}{pk}/close/", {"reason": "ครบกำหนด"}, format="json").json()["status"]
        == "closed"
    )
    refused = client.post(f"{BASE}{pk}/report/")
    assert refused.status_code == 400  # no response report written yet
    consultation = Consultation.objects.get(pk=pk)
    theme = services.theme_add(actor=officer, consultation=consultation, name="ฝุ่น")
    services.report_save(
        actor=officer,
        consultation=consultation,
        introduction="",
        decisions=[{"theme": theme.pk, "heard": "h", "outcome": "partly", "action": "a"}],
    )
    assert client.post(f"{BASE}{pk}/report/").json()["status"] == "reported"
    report = api_as(None).get(f"{BASE}{pk}/response-report/").json()
    assert report["decisions"][0]["outcome"] == "partly"


def test_a_bad_question_is_named_and_nothing_is_made(api_as, officer):
    now = timezone.now()
    answer = api_as(officer).post(
        BASE,
        {
            "title": "t",
            "summary": "s",
            "opens_at": now.isoformat(),
            "closes_at": (now + timezone.timedelta(days=1)).isoformat(),
            "questions": [{"kind": "single", "text": "q", "options": ["only one"]}],
        },
        format="json",
    )
    assert answer.status_code == 400
    assert "questions.0.options" in answer.json()["error"]["fields"]
    assert not Consultation.objects.exists()


def test_others_cannot_run_it(api_as, officer, other_officer):
    consultation = factories.open_consultation(officer, publish=False)
    assert api_as(other_officer).post(f"{BASE}{consultation.pk}/publish/").status_code == 404
    published = factories.open_consultation(officer)
    assert api_as(other_officer).post(f"{BASE}{published.pk}/close/").status_code == 403
    assert api_as(factories.citizen()).post(BASE, {}, format="json").status_code == 403
    assert api_as(None).post(f"{BASE}{published.pk}/close/").status_code == 401


def test_answering_once_then_409_and_refusals(api_as, officer):
    consultation = factories.open_consultation(officer)
    person = factories.citizen()
    url = f"{BASE}{consultation.pk}/responses/"
    draft = api_as(person).post(url, {"answers": {}, "draft": True}, format="json")
    assert (draft.status_code, draft.json()["status"]) == (201, "draft")
    sent = api_as(person).post(url, {"answers": _answers(consultation)}, format="json")
    assert (sent.status_code, sent.json()["status"]) == (201, "sent")
    again = api_as(person).post(url, {"answers": _answers(consultation)}, format="json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "conflict")
    assert api_as(person).get(f"{BASE}{consultation.pk}/my-response/").json()["status"] == "sent"
    unverified = api_as(factories.citizen(verified=False)).post(url, {"answers": {}}, format="json")
    assert unverified.status_code == 403
    bad = api_as(factories.citizen()).post(
        url, {"answers": {str(consultation.questions.first().pk): 7}}, format="json"
    )
    assert bad.status_code == 400
    services.consultation_close(actor=officer, consultation=consultation)
    late = api_as(factories.citizen()).post(url, {"answers": {}}, format="json")
    assert (late.status_code, late.json()["error"]["code"]) == (409, "invalid_transition")
    assert api_as(None).post(url, {"answers": {}}, format="json").status_code == 401


def test_threads_reactions_reports_and_moderation(api_as, officer, other_officer):
    consultation = factories.open_consultation(officer)
    url = f"{BASE}{consultation.pk}/contributions/"
    author, reader = factories.citizen(), factories.citizen()
    idea = (
        api_as(author, lang="en")
        .post(url, {"kind": "idea", "text": "เพิ่มรอบรถ"}, format="json")
        .json()
    )
    assert (idea["author_label"], idea["status"]) == ("Citizen", "visible")
    pro = api_as(reader).post(
        url, {"kind": "pro", "text": "ดีมาก", "parent": idea["id"]}, format="json"
    )
    assert pro.status_code == 201
    orphan = api_as(reader).post(url, {"kind": "con", "text": "ไม่ดี"}, format="json")
    assert orphan.status_code == 400
    react = f"{url}{idea['id']}/react/"
    assert api_as(reader).post(react, {"value": "agree"}, format="json").json()["agree"] == 1
    assert api_as(reader).post(react, {"value": "agree"}, format="json").status_code == 409
    assert api_as(author).post(react, {"value": "agree"}, format="json").status_code == 403
    report = api_as(reader).post(f"{url}{idea['id']}/report/", {"reason": "spam"}, format="json")
    assert report.status_code == 201
    hide = f"{url}{idea['id']}/hide/"
    assert api_as(other_officer).post(hide, {"reason": "spam"}, format="json").status_code == 403
    hidden = api_as(officer).post(hide, {"reason": "personal_data"}, format="json").json()
    assert (hidden["status"], hidden["hidden_reason"], hidden["text"]) == (
        "hidden",
        "personal_data",
        "",
    )
    public = api_as(None).get(url).json()["results"]
    shown = {c["id"]: c for c in public}
    assert shown[idea["id"]]["text"] == "" and shown[idea["id"]]["hidden_reason"] == "personal_data"
    restored = api_as(officer).post(f"{url}{idea['id']}/restore/").json()
    assert restored["text"] == "เพิ่มรอบรถ"


def test_held_contributions_are_seen_by_their_author_and_moderators_only(api_as, officer):
    consultation = factories.open_consultation(officer, moderation="pre")
    url = f"{BASE}{consultation.pk}/contributions/"
    author = factories.citizen()
    held = api_as(author).post(url, {"kind": "idea", "text": "รอตรวจ"}, format="json").json()
    assert held["status"] == "held"
    assert api_as(None).get(url).json()["count"] == 0
    assert api_as(author).get(url).json()["count"] == 1
    assert api_as(officer).post(f"{url}{held['id']}/approve/").json()["status"] == "visible"
    assert api_as(None).get(url).json()["count"] == 1


def test_authors_delete_their_own_while_open(api_as, officer):
    consultation = factories.open_consultation(officer)
    url = f"{BASE}{consultation.pk}/contributions/"
    author = factories.citizen()
    mine = api_as(author).post(url, {"kind": "idea", "text": "ลบได้"}, format="json").json()
    assert api_as(factories.citizen()).delete(f"{url}{mine['id']}/").status_code == 403
    assert api_as(author).delete(f"{url}{mine['id']}/").status_code == 204
    assert not Contribution.objects.filter(pk=mine["id"]).exists()


def test_contributions_are_rate_limited_with_429(api_as, officer, settings):
    settings.PARTICIPATION_CONTRIBUTION_RATE = "1/hour"
    consultation = factories.open_consultation(officer)
    url = f"{BASE}{consultation.pk}/contributions/"
    client = api_as(factories.citizen())
    assert client.post(url, {"kind": "idea", "text": "หนึ่ง"}, format="json").status_code == 201
    second = client.post(url, {"kind": "idea", "text": "สอง"}, format="json")
    assert (second.status_code, second.json()["error"]["code"]) == (429, "throttled")
    assert "Retry-After" in second


def test_the_summary_is_public_once_closed(api_as, officer):
    consultation = factories.open_consultation(officer)
    services.response_save(
        consultation=consultation,
        respondent=factories.citizen(),
        answers=_answers(consultation),
        send=True,
    )
    url = f"{BASE}{consultation.pk}/summary/"
    assert api_as(None).get(url).status_code == 404
    services.consultation_close(actor=officer, consultation=consultation)
    body = api_as(None).get(url).json()
    assert body["responses"] == 1
    single = next(a for a in body["answers"] if a["kind"] == "single")
    assert single["options"][0] == {"text": "ทุกวัน", "count": 1, "share": 100}
    assert {"word": "รถเมล์", "count": 1} in body["keywords"]
    assert api_as(None).get(f"{BASE}{consultation.pk}/response-report/").status_code == 404
