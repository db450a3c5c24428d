"""/api/v1/feedback/ and the report cards, per role and refusal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.feedback import services
from assessments.feedback.models import FeedbackResponse
from tests import factories
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback/"


def post(client, agreement, **body):
    return client.post(
        URL, {"agreement": agreement.pk, "ratings": {"overall": 5}, **body}, format="json"
    )


def test_anyone_rates_without_an_account_and_gets_the_id(api_client, agreement):
    response = post(api_client, agreement, ratings={"overall": 5, "outcome": 4}, comment="ดีมาก")
    assert response.status_code == 201
    stored = FeedbackResponse.objects.get(pk=response.json()["id"])
    assert stored.comment == "ดีมาก" and stored.ratings.count() == 2


def test_bad_ratings_unknown_fields_and_unknown_agreements_are_400(api_client, agreement):
    assert_error(post(api_client, agreement, ratings={"overall": 6}), 400, "validation_error")
    no_overall = post(api_client, agreement, ratings={"outcome": 3})
    assert_error(no_overall, 400, "validation_error", fields=["overall"])
    personal = post(api_client, agreement, name="สมชาย")
    assert_error(personal, 400, "validation_error", fields=["name"])
    offered = factories.award(sign=False)
    assert_error(post(api_client, offered), 400, "validation_error", fields=["agreement"])
    assert FeedbackResponse.objects.count() == 0


def test_a_flood_is_429_with_retry_after(api_client, agreement, settings):
    settings.FEEDBACK_LIMIT_PER_ADDRESS = "2/hour"
    assert post(api_client, agreement).status_code == 201
    assert post(api_client, agreement).status_code == 201
    flooded = post(api_client, agreement)
    assert_error(flooded, 429, "throttled")
    assert int(flooded["Retry-After"]) > 0
    assert FeedbackResponse.objects.count() == 2


def test_a_finished_service_is_409(api_client, agreement, officer):
    from contracts.agreements import services as agreement_services

    agreement_services.agreement_terminate(agreement=agreement, officer=officer, reason="ยุติ")
    assert_error(post(api_client, agreement), 409, "invalid_transition")


def rate_many(agreement, n, start=0):
    for i in range(start, start + n):
        services.feedback_submit(
            agreement=agreement,
            ratings={"overall": 1 + i % 5},
            comment=f"ความเห็น {i}",
            address=f"10.1.{i // 250}.{i % 250}",
        )


@pytest.mark.parametrize("kind", ["agreements", "csos", "agencies"])
def test_report_cards_are_public_and_cost_the_same_at_two_sizes(api_client, agreement, kind):
    pk = {"agreements": agreement.pk, "csos": agreement.cso_id, "agencies": agreement.agency_id}[
        kind
    ]
    url = f"/api/v1/{kind}/{pk}/report-card/"
    rate_many(agreement, 1)
    with CaptureQueriesContext(connection) as small:
        one = api_client.get(url).json()
    assert one["responses"] == 1
    overall = one["dimensions"][0]
    assert overall["code"] == "overall" and overall["low"] is None  # no interval under 2
    assert overall["name_th"] == "ภาพรวม" and overall["name_en"] == "Overall"
    rate_many(agreement, 24, start=1)
    with CaptureQueriesContext(connection) as large:
        card = api_client.get(url).json()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert card["responses"] == 25 and card["hidden_comments"] == 0
    assert card["dimensions"][0]["mean"] == "3.00"
    assert card["dimensions"][0]["low"] is not None
    assert card["by_month"][0]["responses"] == 25
    assert card["comments"][0]["text"] == "ความเห็น 24"


def test_unknown_report_cards_are_404(api_client):
    assert_error(api_client.get("/api/v1/csos/999999/report-card/"), 404, "not_found")
    offered = factories.award(sign=False)
    assert_error(api_client.get(f"/api/v1/agreements/{offered.pk}/report-card/"), 404, "not_found")


def test_hide_and_restore_by_role(api_as, agreement, officer, plain_member):
    rate_many(agreement, 1)
    response = FeedbackResponse.objects.get()
    hide, restore = f"{URL}{response.pk}/hide/", f"{URL}{response.pk}/restore/"

    assert_error(api_as(None).post(hide, {"reason": "x"}, format="json"), 401, "not_authenticated")
    for outsider in (factories.OfficerFactory(), factories.EvaluatorFactory()):
        assert_error(api_as(outsider).post(hide, {"reason": "x"}, format="json"), 404, "not_found")
    no_reason = api_as(plain_member).post(hide, {}, format="json")
    assert_error(no_reason, 400, "validation_error", fields=["reason"])

    done = api_as(plain_member).post(hide, {"reason": "หยาบคาย"}, format="json")
    assert done.status_code == 200 and done.json()["hidden"] is True
    assert_error(api_as(officer).post(hide, {"reason": "ซ้ำ"}, format="json"), 409, "conflict")
    card = api_as(None).get(f"/api/v1/agreements/{agreement.pk}/report-card/").json()
    assert card["hidden_comments"] == 1 and card["comments"] == []
    assert "หยาบคาย" not in str(card)

    back = api_as(officer).post(restore, {}, format="json")
    assert back.status_code == 200 and back.json()["hidden"] is False
    assert_error(api_as(officer).post(restore, {}, format="json"), 409, "conflict")


# --- the charter -----------------------------------------------------------------------------

CHARTER_TEXT = {
    "service": "เยี่ยมบ้านผู้สูงอายุ",
    "who_may_use": "ผู้สูงอายุติดเตียง",
    "where_when": "ที่บ้าน วันจันทร์ถึงศุกร์",
    "time_standard": "ภายใน 3 วัน",
    "quality_standard": "ผู้ดูแลผ่านการอบรม",
    "remedy": "เยี่ยมชดเชยภายใน 2 วัน",
}


def test_the_charter_through_the_api_by_role(api_as, agreement, officer, signatory, plain_member):
    url = f"/api/v1/agreements/{agreement.pk}/charter/"
    anonymous = api_as(None)
    assert_error(anonymous.patch(url, CHARTER_TEXT, format="json"), 401, "not_authenticated")
    assert_error(
        api_as(factories.OfficerFactory()).patch(url, CHARTER_TEXT, format="json"), 404, "not_found"
    )
    written = api_as(plain_member).patch(url, CHARTER_TEXT, format="json")
    assert written.status_code == 200 and written.json()["agreed_by_agency_at"] is None
    assert_error(anonymous.get(url), 404, "not_found")  # not public before both agree

    assert_error(api_as(plain_member).post(url + "agree/"), 403, "permission_denied")
    assert api_as(officer).post(url + "agree/").status_code == 200
    assert_error(api_as(officer).post(url + "agree/"), 409, "conflict")
    agreed = api_as(signatory).post(url + "agree/").json()
    assert agreed["agreed_by_agency_at"] and agreed["agreed_by_cso_at"]

    public = anonymous.get(url)
    assert public.status_code == 200 and public.json()["remedy"] == "เยี่ยมชดเชยภายใน 2 วัน"
    changed = api_as(officer).patch(url, {"cost": "ไม่มีค่าใช้จ่าย"}, format="json").json()
    assert changed["agreed_by_agency_at"] is None and changed["agreed_by_cso_at"] is None
    assert_error(anonymous.get(url), 404, "not_found")
