"""Community oversight in public: every funded project's page (money, progress, milestones,
evaluations, what citizens said and their grievances, never a person), the list with its
filters, and the totals by province and by agency, each in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.feedback import services as feedback_services
from assessments.grievances import services as grievance_services
from contracts.agreements.models import ProgressReport, Tranche
from tests import factories
from tests.helpers import page

pytestmark = pytest.mark.django_db


def funded(**kwargs):
    """A signed agreement whose first tranche is paid and first report accepted, with the
    indicators ``[(indicator, target, actual)]``."""
    agreement = factories.award(**kwargs)
    first = agreement.tranches.order_by("seq").first()
    Tranche.objects.filter(pk=first.pk).update(
        status=Tranche.Status.PAID,
        released_at=timezone.now(),
        paid_at=timezone.now(),
        paid_on=timezone.localdate(),
        payment_reference="GFMIS-1",
    )
    return agreement


def accept_report(agreement, indicators):
    report = agreement.reports.order_by("seq").first()
    ProgressReport.objects.filter(pk=report.pk).update(
        status=ProgressReport.Status.ACCEPTED,
        indicators=[{"indicator": i, "target": t, "actual": a} for i, t, a in indicators],
        reviewed_at=timezone.now(),
    )


def grievance(agreement, **extra):
    filed, _code = grievance_services.grievance_file(
        kind="complaint",
        title="ผู้ดูแลไม่มาตามนัดหมาย",
        body="รอทั้งวันแต่ไม่มีใครมาเยี่ยมที่บ้าน",
        occurred_on=timezone.localdate(),
        province="10",
        agreement=agreement.pk,
        name="สมชาย รักดี",
        contact="somchai@example.org",
        **extra,
    )
    return filed


def test_a_projects_page_shows_money_progress_citizens_and_no_person(client):
    agreement = funded()
    accept_report(
        agreement, [("ผู้สูงอายุที่ได้รับการเยี่ยม", "200 คน", "150 คน"), ("อาสาสมัครที่ผ่านการอบรม", "20", "30")]
    )
    feedback_services.feedback_submit(
        agreement=agreement, ratings={"overall": 4}, comment="", address="192.0.2.1"
    )
    grievance(agreement)

    html = page(client.get(f"/projects/{agreement.pk}/"))
    assert agreement.title in html
    assert agreement.cso.name_th in html
    paid = agreement.tranches.order_by("seq").first().amount
    assert f"{paid:,.2f}" in html  # paid so far
    assert "บรรลุเป้าหมายแล้วร้อยละ 88" in html  # (75 % + 100 %, capped) / 2
    assert "ผู้สูงอายุที่ได้รับการเยี่ยม" in html
    assert "4.0" in html  # satisfaction of 5
    assert "สมชาย" not in html and "somchai@example.org" not in html


def test_an_unsigned_agreement_is_not_public(client):
    draft = factories.award(sign=False)
    assert client.get(f"/projects/{draft.pk}/").status_code == 404
    assert draft.title not in page(client.get("/projects/"))


def test_the_list_filters_by_instrument_and_searches():
    grant = funded(instrument="grant")
    contract = funded(instrument="performance_contract")
    from django.test import Client

    client = Client()
    by_kind = page(client.get("/projects/", {"instrument": "performance_contract"}))
    assert contract.title in by_kind and grant.title not in by_kind
    found = page(client.get("/projects/", {"q": grant.number}))
    assert grant.title in found and contract.title not in found
    odd = client.get("/projects/", {"agency": "not-a-number", "status": "nonsense"})
    assert odd.status_code == 200  # an unknown filter is ignored, never a 500


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/projects/", "/projects/totals/"])
def test_public_lists_cost_the_same_queries_for_more_projects(client, url):
    for _ in range(2):
        agreement = funded()
        grievance(agreement)
    few = _queries(client, url)
    for _ in range(3):
        agreement = funded()
        grievance(agreement)
        feedback_services.feedback_submit(
            agreement=agreement, ratings={"overall": 5}, comment="", address="192.0.2.9"
        )
    assert _queries(client, url) == few


def test_the_totals_count_money_and_grievances_answered_on_time(client):
    first, second = funded(), funded()
    officer = first.proposal.call.created_by
    staff = factories.StaffAdminFactory()
    late = grievance(first)
    on_time = grievance(second)
    for filed in (late, on_time):
        grievance_services.grievance_route(grievance=filed, verifier=staff)
    grievance_services.grievance_respond(
        grievance=on_time.__class__.objects.get(pk=on_time.pk),
        officer=second.proposal.call.created_by,
        response="ส่งผู้ดูแลไปเยี่ยมแล้ว",
    )
    routed = late.__class__.objects.get(pk=late.pk)
    with __import__("time_machine").travel(timezone.now() + datetime.timedelta(days=30)):
        grievance_services.grievance_respond(
            grievance=routed, officer=officer, response="ขออภัยที่ล่าช้า"
        )

    html = page(client.get("/projects/totals/"))
    committed = first.amount + second.amount
    if first.agency_id == second.agency_id:
        assert f"{committed:,.2f}" in html
    assert "50 %" in html  # one of the two answers came in time
    assert "<svg" in html and "<table" in html  # the map and its table


def test_the_progress_percent_ignores_indicators_without_numbers():
    from assessments.oversight.selectors import progress

    agreement = funded()
    accept_report(agreement, [("คุณภาพชีวิต", "ดีขึ้น", "ดีขึ้นมาก"), ("ครัวเรือน", "50", "25")])
    result = progress(agreement)
    assert result.percent == 50
    assert [row["percent"] for row in result.rows] == [None, 50]
    assert Decimal(result.percent) == Decimal(50)
