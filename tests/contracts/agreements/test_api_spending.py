"""What a progress report says was spent, through /api/v1/agreements/<id>/reports/: 400 on
``spent_to_date`` above the agreement's amount, ``overspent_by`` when above what was paid,
and 400 on ``spending_explanation`` when lower than the previous report without one."""

import pytest
from django.utils import timezone

from contracts.agreements import services as agreement_services
from tests.factories import ApiClientFactory, CSOFactory, award
from tests.helpers import assert_error, member_of, officer_of

pytestmark = pytest.mark.django_db


def url(agreement, path):
    return f"/api/v1/agreements/{agreement.pk}/{path}/"


def body(spent, **extra):
    return {"narrative": "เยี่ยมบ้านผู้สูงอายุ", "spent_to_date": spent, **extra}


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:600])
    return response.json()


def pay_first(agreement, finance):
    tranche = agreement.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=tranche, officer=officer_of(agreement))
    agreement_services.tranche_pay(
        tranche=tranche, user=finance, payment_reference="GFMIS-1", paid_on=timezone.localdate()
    )


def test_spending_above_the_agreements_amount_is_a_400_on_its_field(api_as):
    agreement = award()
    submit = url(agreement, "reports/1/submit")
    error = assert_error(
        api_as(member_of(agreement), lang="en").post(submit, body("190020.01"), format="json"),
        400,
        "validation_error",
        fields=["spent_to_date"],
    )
    assert error["fields"]["spent_to_date"] == [
        "The amount spent cannot be more than the agreement's amount (190,020.00 baht)."
    ]
    error = assert_error(
        api_as(member_of(agreement), lang="th").post(submit, body("190020.01"), format="json"),
        400,
        "validation_error",
        fields=["spent_to_date"],
    )
    assert error["fields"]["spent_to_date"] == ["ยอดใช้จ่ายต้องไม่เกินวงเงินตามข้อตกลง (190,020.00 บาท)"]
    report = ok(api_as(member_of(agreement)).get(url(agreement, "reports")))[0]
    assert (report["status"], report["spent_to_date"]) == ("due", None)


def test_spending_above_what_was_paid_is_accepted_with_overspent_by(api_as, finance):
    agreement = award(terms={"shares": ["60", "40"]})
    member = api_as(member_of(agreement))
    before = ok(member.get(url(agreement, "reports")))
    assert [(r["seq"], r["overspent_by"], r["spending_explanation"]) for r in before] == [
        (1, None, ""),
        (2, None, ""),
        (3, None, ""),
        (4, None, ""),
    ]
    pay_first(agreement, finance)  # 114,012.00 paid
    sent = ok(member.post(url(agreement, "reports/1/submit"), body("150000.00"), format="json"))
    assert (sent["status"], sent["spent_to_date"], sent["overspent_by"]) == (
        "submitted",
        "150000.00",
        "35988.00",
    )
    within = ok(member.post(url(agreement, "reports/2/submit"), body("150000"), format="json"))
    assert within["overspent_by"] == "35988.00"  # still nothing more paid

    # The officer, another system with the reports scope and the member read the same flag.
    system = ApiClientFactory(scopes=["read", "reports"]).user
    for user in (officer_of(agreement), system, member_of(agreement)):
        reports = ok(api_as(user).get(url(agreement, "reports")))
        assert [r["overspent_by"] for r in reports] == ["35988.00", "35988.00", None, None]


def test_a_report_within_what_was_paid_has_overspent_by_zero(api_as, finance):
    agreement = award()
    pay_first(agreement, finance)
    sent = ok(
        api_as(member_of(agreement)).post(
            url(agreement, "reports/1/submit"), body("190020.00"), format="json"
        )
    )
    assert sent["overspent_by"] == "0.00"


def test_spending_lower_than_before_needs_spending_explanation(api_as):
    agreement = award()
    member = api_as(member_of(agreement), lang="en")
    ok(member.post(url(agreement, "reports/1/submit"), body("100000.00"), format="json"))
    second = url(agreement, "reports/2/submit")
    error = assert_error(
        member.post(second, body("90000.00"), format="json"),
        400,
        "validation_error",
        fields=["spending_explanation"],
    )
    assert error["fields"]["spending_explanation"] == [
        "Progress report 1 said 100,000.00 baht was spent; explain why spending to date is "
        "now lower (90,000.00 baht)."
    ]
    assert_error(
        member.post(second, body("90000.00", spending_explanation="x" * 5001), format="json"),
        400,
        "validation_error",
        fields=["spending_explanation"],
    )
    explained = ok(
        member.post(
            second,
            body("90000.00", spending_explanation="คืนเงินค่าวัสดุที่ซื้อซ้ำ"),
            format="json",
        )
    )
    assert (explained["spent_to_date"], explained["spending_explanation"]) == (
        "90000.00",
        "คืนเงินค่าวัสดุที่ซื้อซ้ำ",
    )
    # The officer reads the explanation.
    reports = ok(api_as(officer_of(agreement)).get(url(agreement, "reports")))
    assert reports[1]["spending_explanation"] == "คืนเงินค่าวัสดุที่ซื้อซ้ำ"


def test_only_the_organisations_members_send_it(api_as, other_officer):
    agreement = award()
    submit = url(agreement, "reports/1/submit")
    assert_error(
        api_as(officer_of(agreement)).post(submit, body("1.00"), format="json"),
        403,
        "permission_denied",
    )
    stranger = CSOFactory(status="approved").members.get()
    for outsider in (stranger, other_officer):
        assert_error(api_as(outsider).post(submit, body("1.00"), format="json"), 404, "not_found")
    assert ok(api_as(member_of(agreement)).post(submit, body("1.00"), format="json"))["status"] == (
        "submitted"
    )


def test_the_reports_cost_the_same_queries_however_many(api_as, django_assert_max_num_queries):
    """``overspent_by`` reads the prefetched tranches: no query per report."""
    small = award()
    large = award(terms={"shares": ["10"] * 10, "report_every_months": 1})
    counts = []
    for agreement in (small, large):
        client = api_as(member_of(agreement))
        ok(client.get(url(agreement, "reports")))  # the token and the roles, once
        with django_assert_max_num_queries(20) as captured:
            reports = ok(client.get(url(agreement, "reports")))
        counts.append(len(captured))
    assert len(reports) == 12
    assert counts[0] == counts[1]
