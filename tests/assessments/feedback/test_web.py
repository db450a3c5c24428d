"""The citizens' pages: the survey a phone opens from a QR code (no account, no JavaScript),
the charter (public once agreed) and its poster, the report cards with a constant number of
queries, and the moderation pages."""

import re
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.feedback import services
from assessments.feedback.models import FeedbackResponse, Survey
from tests import factories
from tests.helpers import pdf_text, text

from .conftest import CHARTER

pytestmark = pytest.mark.django_db


def pdf_images(content: bytes, tmp_path) -> list[tuple[int, int]]:
    path = tmp_path / "poster.pdf"
    path.write_bytes(content)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    return [(int(line.split()[3]), int(line.split()[4])) for line in listing]


def survey_code(agreement):
    return services.survey_ensure(agreement=agreement).code


def answer(client, code, **data):
    return client.post(f"/s/{code}/", {"rate_overall": "4", "comment": "", **data})


def test_a_person_rates_from_the_short_link_without_an_account(client, agreement):
    code = survey_code(agreement)
    page = client.get(f"/s/{code.lower()}/")
    assert page.status_code == 200
    html = page.content.decode()
    # Radio groups in fieldsets with legends; no personal data asked.
    assert html.count("<fieldset") >= 5 and "<legend>" in html
    assert 'type="radio" name="rate_overall"' in html
    assert not re.search(r'name="(name|email|phone|contact)"', html)

    done = answer(client, code, rate_timeliness="2", comment="รอนานเกินไป")
    assert done.status_code == 302 and done["Location"] == f"/s/{code}/thanks/"
    response = FeedbackResponse.objects.get()
    assert response.comment == "รอนานเกินไป"
    assert dict(response.ratings.values_list("dimension", "score")) == {
        "overall": 4,
        "timeliness": 2,
    }


def test_a_missing_overall_rating_keeps_what_was_typed_and_says_why(client, agreement):
    code = survey_code(agreement)
    page = client.post(f"/s/{code}/", {"rate_courtesy": "5", "comment": "พนักงานสุภาพ"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "พนักงานสุภาพ" in html
    assert 'value="5"' in html and "checked" in html
    assert 'id="id_rate_overall_error"' in html
    assert FeedbackResponse.objects.count() == 0


def test_the_honeypot_and_a_flood_are_refused_on_the_page(client, agreement, settings):
    code = survey_code(agreement)
    assert answer(client, code, website="http://spam.example").status_code == 200
    assert FeedbackResponse.objects.count() == 0
    settings.FEEDBACK_LIMIT_PER_ADDRESS = "2/hour"
    answer(client, code)
    answer(client, code)
    flooded = answer(client, code, comment="ครั้งที่สาม")
    assert flooded.status_code == 429
    assert "ครั้งที่สาม" in flooded.content.decode()
    assert FeedbackResponse.objects.count() == 2


def test_an_unknown_code_is_not_found(client):
    assert client.get("/s/NOSUCH22/").status_code == 404


def test_the_survey_works_in_english(client, agreement):
    code = survey_code(agreement)
    client.cookies["django_language"] = "en"
    page = client.get(f"/s/{code}/")
    assert "Rate the service" in page.content.decode()


# --- the charter -----------------------------------------------------------------------------


def agreed_charter(agreement, officer, signatory):
    services.charter_save(agreement=agreement, user=officer, **CHARTER)
    services.charter_agree(agreement=agreement, user=officer)
    return services.charter_agree(agreement=agreement, user=signatory)


def test_the_charter_is_public_only_once_both_sides_agreed(client, agreement, officer, signatory):
    services.charter_save(agreement=agreement, user=officer, **CHARTER)
    assert client.get(f"/agreements/{agreement.pk}/charter/").status_code == 404
    client.force_login(signatory)
    draft = client.get(f"/agreements/{agreement.pk}/charter/")
    assert draft.status_code == 200
    assert 'name="action" value="agree"' in draft.content.decode()
    assert (
        client.post(f"/agreements/{agreement.pk}/charter/", {"action": "agree"}).status_code == 302
    )
    client.force_login(officer)
    client.post(f"/agreements/{agreement.pk}/charter/", {"action": "agree"})
    client.logout()

    public = client.get(f"/agreements/{agreement.pk}/charter/")
    assert public.status_code == 200
    assert CHARTER["remedy"] in text(public)
    assert f"/s/{Survey.objects.get().code}/" in public.content.decode()


def test_either_side_edits_on_the_page_and_an_outsider_may_not(client, agreement, plain_member):
    client.force_login(plain_member)
    saved = client.post(f"/agreements/{agreement.pk}/charter/edit/", CHARTER)
    assert saved.status_code == 302
    client.force_login(factories.OfficerFactory())
    assert client.get(f"/agreements/{agreement.pk}/charter/edit/").status_code == 404


def test_the_poster_has_the_charter_and_the_survey_and_grievance_links(
    client, agreement, officer, signatory, tmp_path, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.go.th"
    agreed_charter(agreement, officer, signatory)
    response = client.get(f"/agreements/{agreement.pk}/charter/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    words = pdf_text(response.content, tmp_path)
    assert "กฎบัตรการให้บริการประชาชน" in words
    code = Survey.objects.get().code
    # No QR decoder here: each code's address is printed beside it, and the two codes are
    # the PDF's two images (square, as a QR code is).
    assert f"https://portal.example.go.th/s/{code}/" in words
    assert f"/grievances/new/?agreement={agreement.pk}" in words
    images = pdf_images(response.content, tmp_path)
    assert len(images) == 2 and all(width == height for width, height in images)


def test_no_poster_before_both_sides_agreed(client, agreement, officer):
    services.charter_save(agreement=agreement, user=officer, **CHARTER)
    assert client.get(f"/agreements/{agreement.pk}/charter/poster.pdf").status_code == 404


# --- report cards ----------------------------------------------------------------------------


def rate_many(agreement, n, start=0):
    for i in range(start, start + n):
        services.feedback_submit(
            agreement=agreement,
            ratings={"overall": 1 + i % 5, "courtesy": 5},
            comment=f"ความเห็นที่ {i}",
            address=f"10.0.{i // 250}.{i % 250}",
        )


@pytest.mark.parametrize(
    "url",
    [
        lambda a: f"/agreements/{a.pk}/report-card/",
        lambda a: f"/csos/{a.cso_id}/report-card/",
        lambda a: f"/agencies/{a.agency_id}/report-card/",
    ],
)
def test_report_cards_cost_the_same_queries_at_two_sizes(client, agreement, url):
    rate_many(agreement, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(agreement)).status_code == 200
    rate_many(agreement, 30, start=2)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url(agreement))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "ความเห็นที่ 31" in text(page)  # the newest comment, on the first page


def test_the_report_card_shows_means_intervals_the_chart_and_the_hidden_count(
    client, agreement, signatory
):
    rate_many(agreement, 5)
    response = FeedbackResponse.objects.order_by("id").first()
    services.feedback_hide(response=response, user=signatory, reason="หยาบคาย")
    client.cookies["django_language"] = "en"
    page = client.get(f"/agreements/{agreement.pk}/report-card/")
    words = text(page)
    html = page.content.decode()
    assert "<svg" in html and "<table" in html
    assert "3.00" in words  # the overall mean of 1, 2, 3, 4, 5
    assert "1.04–4.96" in words  # 3 ± 2.776 × 1.5811 / √5
    assert "ความเห็นที่ 0" not in words  # hidden
    assert "1 comment was hidden by a moderator." in words
    assert "หยาบคาย" not in words  # the reason is for moderators only


def test_a_moderator_hides_on_a_page_of_its_own(client, agreement, plain_member):
    rate_many(agreement, 1)
    response = FeedbackResponse.objects.get()
    client.force_login(plain_member)
    card = client.get(f"/agreements/{agreement.pk}/report-card/")
    assert f"/feedback/{response.pk}/hide/" in card.content.decode()
    assert client.get(f"/feedback/{response.pk}/hide/").status_code == 200
    refused = client.post(f"/feedback/{response.pk}/hide/", {"reason": ""})
    assert refused.status_code == 200
    done = client.post(f"/feedback/{response.pk}/hide/", {"reason": "ระบุชื่อบุคคล"})
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.hidden_reason == "ระบุชื่อบุคคล"
    assert client.post(f"/feedback/{response.pk}/restore/").status_code == 302
    response.refresh_from_db()
    assert response.hidden_at is None


def test_anonymous_and_outsiders_cannot_moderate(client, agreement):
    rate_many(agreement, 1)
    response = FeedbackResponse.objects.get()
    assert client.get(f"/feedback/{response.pk}/hide/").status_code == 404
    client.force_login(factories.OfficerFactory())
    assert client.post(f"/feedback/{response.pk}/hide/", {"reason": "x"}).status_code == 404
    card = client.get(f"/agreements/{agreement.pk}/report-card/")
    assert "/hide/" not in card.content.decode()


def test_an_offer_not_yet_signed_has_no_public_report_card(client):
    offered = factories.award(sign=False)
    assert client.get(f"/agreements/{offered.pk}/report-card/").status_code == 404
