"""The evaluation and selection pages as people use them: an evaluator scores in drafts and
submits, a conflict of interest keeps the scoring form away, officers read the ranking, and
refusals come back as messages or kept forms, never a server error."""

import re

import pytest
from django.urls import reverse

from assessments.reviews import services as review_services
from assessments.reviews.models import Review
from contracts.calls import services as call_services
from portal.roles import Role
from tests import factories
from tests.factories import WEIGHTS, make_call

pytestmark = pytest.mark.django_db
ALL_FOUR = {c: "4" for c in WEIGHTS}


@pytest.fixture
def web(client):
    """``web(user)``: the test client signed in as ``user``, reading English."""

    def sign_in(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return sign_in


def score(proposal, evaluator, values, *, submit=True):
    return review_services.review_save(
        proposal=proposal,
        evaluator=evaluator,
        scores=dict(zip(WEIGHTS, values, strict=True)),
        no_conflict_of_interest=True,
        submit=submit,
    )


def review_url(proposal):
    return reverse("proposal-review", args=[proposal.pk])


def decide_url(proposal):
    return reverse("proposal-decide", args=[proposal.pk])


def checked(page, name, value) -> bool:
    """Whether the radio ``name``=``value`` is rendered ticked."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no radio {name}={value}")


def row_of(page, proposal) -> str:
    match = re.search(rf'<tr id="proposal-{proposal.pk}">(.*?)</tr>', page, re.S)
    assert match, "the proposal has no row in the ranking"
    return match.group(1)


# --- the evaluator's work -----------------------------------------------------------------


def test_evaluator_saves_a_draft_then_submits(web, officer):
    evaluator = factories.EvaluatorFactory()
    call, [proposal] = make_call(officer, evaluators=[evaluator])
    client = web(evaluator)

    home = client.get(reverse("evaluator-home")).content.decode()
    assert call.title in home and proposal.title in home
    assert "Not started" in home
    assert reverse("evaluator-home") in home, "the nav offers Evaluations"

    page = client.get(review_url(proposal)).content.decode()
    assert proposal.summary in page
    assert "190,020.00" in page  # the requested amount
    assert "(weight 30 of 100)" in page and "(weight 10 of 100)" in page
    assert "I have no conflict of interest" in page
    assert page.count('type="radio"') == 5 * 6

    response = client.post(
        review_url(proposal),
        {
            "action": "save",
            "no_conflict_of_interest": "on",
            "score_expertise": "4",
            "comment_expertise": "ทำงานด้านนี้มานาน",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(proposal=proposal, evaluator=evaluator)
    assert review.status == Review.Status.DRAFT
    assert review.scores["expertise"] == 4 and review.scores["networking"] is None
    assert review.comments == {"expertise": "ทำงานด้านนี้มานาน"}

    page = client.get(review_url(proposal)).content.decode()
    assert "saved. You can finish later" in page
    assert checked(page, "score_expertise", 4)
    assert "ทำงานด้านนี้มานาน" in page
    assert "In progress" in client.get(reverse("evaluator-home")).content.decode()

    response = client.post(
        review_url(proposal),
        {
            "action": "submit",
            "no_conflict_of_interest": "on",
            **{f"score_{c}": v for c, v in zip(WEIGHTS, "54321", strict=True)},
            "comment": "แผนชัดเจน",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert review.scores == dict(zip(WEIGHTS, [5, 4, 3, 2, 1], strict=True))

    page = client.get(review_url(proposal)).content.decode()
    assert "Your submitted scores" in page and "แผนชัดเจน" in page
    assert 'type="radio"' not in page and 'name="action"' not in page, "read-only now"
    assert "Submitted" in client.get(reverse("evaluator-home")).content.decode()

    # A second submission changes nothing and says why.
    response = client.post(
        review_url(proposal),
        {"action": "submit", "no_conflict_of_interest": "on", **score_fields(ALL_FOUR)},
        follow=True,
    )
    assert "already submitted" in response.content.decode()
    review.refresh_from_db()
    assert review.scores["expertise"] == 5


def score_fields(values: dict) -> dict:
    return {f"score_{c}": v for c, v in values.items()}


def test_missing_declaration_is_an_error_and_keeps_the_answers(web, officer):
    evaluator = factories.EvaluatorFactory()
    _call, [proposal] = make_call(officer, evaluators=[evaluator])
    response = web(evaluator).post(
        review_url(proposal),
        {"action": "save", "score_standards": "3", "comment_standards": "มีผู้ดูแลที่ผ่านการอบรม"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert 'href="#id_no_conflict_of_interest"' in page
    assert "Declare that you have no conflict of interest" in page
    assert checked(page, "score_standards", 3)
    assert "มีผู้ดูแลที่ผ่านการอบรม" in page
    assert not Review.objects.exists()


def test_a_score_out_of_range_is_refused_with_the_other_answers_kept(web, officer):
    evaluator = factories.EvaluatorFactory()
    _call, [proposal] = make_call(officer, evaluators=[evaluator])
    response = web(evaluator).post(
        review_url(proposal),
        {
            "action": "submit",
            "no_conflict_of_interest": "on",
            **score_fields({**ALL_FOUR, "expertise": "9", "networking": "2"}),
            "comment": "ความเห็นรวม",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_score_expertise"' in page
    assert "Give a score from 0 to 5." in page
    assert checked(page, "score_networking", 2) and checked(page, "score_standards", 4)
    assert 'name="no_conflict_of_interest"' in page and "checked" in page
    assert "ความเห็นรวม" in page
    assert not Review.objects.exists()


def test_submit_needs_all_five_scores_and_keeps_the_rest(web, officer):
    evaluator = factories.EvaluatorFactory()
    _call, [proposal] = make_call(officer, evaluators=[evaluator])
    four = {c: "3" for c in list(WEIGHTS)[:4]}
    response = web(evaluator).post(
        review_url(proposal),
        {"action": "submit", "no_conflict_of_interest": "on", **score_fields(four)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_score_networking"' in page
    assert 'href="#id_score_expertise"' not in page
    assert all(checked(page, f"score_{c}", 3) for c in four)
    assert not Review.objects.filter(status=Review.Status.SUBMITTED).exists()


def test_a_member_of_the_cso_sees_the_conflict_and_cannot_score(web, officer):
    cso = factories.CSOFactory(status="approved")
    member = cso.members.get()
    factories.grant(member, [Role.EVALUATOR])
    call = factories.CallFactory(officer=officer)
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[member.username])
    client = web(member)

    page = client.get(review_url(proposal)).content.decode()
    assert "You are a member of this organisation" in page
    assert 'type="radio"' not in page and 'name="action"' not in page
    home = client.get(reverse("evaluator-home")).content.decode()
    assert "Conflict of interest" in home

    response = client.post(
        review_url(proposal),
        {"action": "submit", "no_conflict_of_interest": "on", **score_fields(ALL_FOUR)},
    )
    assert response.status_code == 403
    response = client.post(review_url(proposal), {"action": "recuse", "recuse-reason": "x"})
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_evaluator_declares_a_conflict_the_registry_does_not_know(web, officer):
    evaluator, other = factories.EvaluatorFactory(), factories.EvaluatorFactory()
    _call, [proposal] = make_call(officer, evaluators=[evaluator, other])
    client = web(evaluator)

    response = client.post(review_url(proposal), {"action": "recuse", "recuse-reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_recuse-reason"' in page
    assert "Say briefly what the conflict is." in page

    response = client.post(
        review_url(proposal), {"action": "recuse", "recuse-reason": "ญาติเป็นกรรมการมูลนิธิ"}
    )
    assert response.status_code == 302
    review = Review.objects.get(evaluator=evaluator)
    assert review.status == Review.Status.RECUSED
    page = client.get(review_url(proposal)).content.decode()
    assert "You stepped aside" in page and 'type="radio"' not in page
    assert "Recused" in client.get(reverse("evaluator-home")).content.decode()

    officer_page = web(officer).get(reverse("call-ranking", args=[proposal.call_id]))
    waiting = row_of(officer_page.content.decode(), proposal)
    assert other.username in waiting and evaluator.username not in waiting


def test_only_the_panel_reaches_the_scoring_page(web, officer, other_officer):
    evaluator = factories.EvaluatorFactory()
    _call, [proposal] = make_call(officer, evaluators=[evaluator])
    outsider = factories.EvaluatorFactory()
    assert web(outsider).get(review_url(proposal)).status_code == 404
    response = web(outsider).post(
        review_url(proposal),
        {"action": "save", "no_conflict_of_interest": "on", "score_expertise": "5"},
    )
    assert response.status_code == 404
    assert web(officer).get(review_url(proposal)).status_code == 403
    assert web(officer).get(reverse("evaluator-home")).status_code == 403
    assert not Review.objects.exists()


# --- the ranking --------------------------------------------------------------------------


def test_ranking_shows_the_worked_example_the_dispute_and_the_missing_reviewer(
    web, officer, other_officer
):
    a = factories.EvaluatorFactory(first_name="Anong", last_name="Evaluator")
    b = factories.EvaluatorFactory(first_name="Boonmee", last_name="Evaluator")
    c = factories.EvaluatorFactory(first_name="Chaiya", last_name="Latecomer")
    call, [proposal, unscored] = make_call(officer, n=2, evaluators=[a, b, c])
    score(proposal, a, [5, 4, 3, 2, 1])
    score(proposal, b, [4, 4, 4, 4, 4])
    score(proposal, c, [1, 1, 1, 1, 1], submit=False)  # a draft does not count

    response = web(officer).get(reverse("call-ranking", args=[call.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    row = row_of(page, proposal)
    assert "75.00" in row and ">1<" in row
    assert "Disputed" in row and "Track record" in row and "Networking" in row
    assert "Expertise" not in row, "expertise is 1 point apart: not disputed"
    assert "Missing reviews" in row and "Chaiya Latecomer" in row
    assert "Anong" not in row
    assert "Not scored yet" in row_of(page, unscored)
    # Each evaluator's scores side by side, their weighted scores, the spread.
    assert "70.00" in page and "80.00" in page
    assert "Anong Evaluator" in page and "Boonmee Evaluator" in page
    assert re.search(r'<tr class="disputed">\s*<th scope="row">Networking[^<]*\(10\)', page)
    assert reverse("proposal-decide", args=[proposal.pk]) in page
    assert "<caption>" in page and 'scope="col"' in page

    staff = web(factories.StaffAdminFactory()).get(reverse("call-ranking", args=[call.pk]))
    assert staff.status_code == 200
    assert reverse("proposal-decide", args=[proposal.pk]) not in staff.content.decode()
    assert web(other_officer).get(reverse("call-ranking", args=[call.pk])).status_code == 403
    assert web(a).get(reverse("call-ranking", args=[call.pk])).status_code == 403


def test_ranking_costs_the_same_queries_whatever_its_size(
    web, officer, django_assert_max_num_queries
):
    evaluators = [factories.EvaluatorFactory() for _ in range(3)]
    small, few = make_call(officer, n=1, evaluators=evaluators[:2])
    large, many = make_call(officer, n=5, evaluators=evaluators)
    for proposal in few + many:
        score(proposal, evaluators[0], [5, 4, 3, 2, 1])
        score(proposal, evaluators[1], [2, 2, 2, 2, 2])
    client = web(officer)
    client.get(reverse("call-ranking", args=[small.pk]))  # warm the session
    for call in (small, large):
        # 17: 13 with the header's unread-notice count, 3 for the call's budget, and whether
        # the person has a two-factor app (portal/twofactor/middleware.py)
        with django_assert_max_num_queries(17):
            assert client.get(reverse("call-ranking", args=[call.pk])).status_code == 200


def test_evaluator_home_costs_the_same_queries_whatever_its_size(
    web, officer, django_assert_max_num_queries
):
    evaluator = factories.EvaluatorFactory()
    client = web(evaluator)
    make_call(officer, n=1, evaluators=[evaluator])
    client.get(reverse("evaluator-home"))
    # 11: session, user, roles, calls, proposals, 2 × networks, reviews, agreement evaluations,
    # the header's unread-notice count, whether the person has a two-factor app
    with django_assert_max_num_queries(11):
        assert client.get(reverse("evaluator-home")).status_code == 200
    for _ in range(2):
        _call, proposals = make_call(officer, n=3, evaluators=[evaluator])
        score(proposals[0], evaluator, [3, 3, 3, 3, 3])
        score(proposals[1], evaluator, [3, 3, 3, 3, 3], submit=False)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("evaluator-home")).content.decode()
    assert page.count("Not started") == 3 and "In progress" in page


# --- decisions ----------------------------------------------------------------------------


def test_pages_speak_thai_by_default(client, officer):
    evaluator = factories.EvaluatorFactory()
    call, [proposal] = make_call(officer, evaluators=[evaluator])
    client.force_login(evaluator)
    page = client.get(review_url(proposal)).content.decode()
    assert 'lang="th"' in page and "พ.ศ. 2570" in page  # the project period, in B.E.
    client.force_login(officer)
    page = client.get(reverse("call-ranking", args=[call.pk])).content.decode()
    assert 'lang="th"' in page and "พ.ศ." in page


def test_nonsense_input_is_an_error_on_the_form_never_a_crash(web, officer):
    evaluator = factories.EvaluatorFactory()
    _call, [proposal] = make_call(officer, n=1, instrument="performance_contract")
    call_services.call_assign_evaluators(
        call=proposal.call, user=officer, usernames=[evaluator.username]
    )
    response = web(evaluator).post(
        review_url(proposal),
        {
            "action": "save",
            "no_conflict_of_interest": "on",
            "score_expertise": "abc",
            "score_standards": "-1",
            "comment_service_area": "ก" * 2001,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("score_expertise", "score_standards", "comment_service_area"):
        assert f'href="#id_{name}"' in page
    assert not Review.objects.exists()

    client = web(officer)
    client.post(decide_url(proposal), {"action": "shortlist"})
    response = client.post(
        decide_url(proposal),
        {
            "action": "schedule",
            "schedule-at_day": "12",
            "schedule-at_month": "9",
            "schedule-at_year": "2027",
            "schedule-at_hour": "25",
            "schedule-at_minute": "00",
            "schedule-location": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_schedule-at_hour"' in page and 'href="#id_schedule-location"' in page
    assert 'name="schedule-at_hour" value="25"' in page  # kept as typed
    assert 'aria-describedby="id_schedule-at_hint id_schedule-at_error"' in page
