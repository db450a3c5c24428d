"""The agency dashboard: an officer sees their agency's figures only, staff every agency's
(or one's); the money sums are exact; each chart is SVG with a table of the same numbers;
the figures export as CSV; the queries do not grow with the rows."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.agreements.models import Agreement
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("agency-dashboard")


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _committed(rows):
    """The total committed, summed over the months of the exported figures."""
    return sum(
        (Decimal(r[3].replace(",", "")) for r in rows if r[0] == "เงินรายเดือน" and "ผูกพัน" in r[2]),
        Decimal("0"),
    )


def test_an_officer_sees_their_agencys_figures_only(client):
    first = factories.award()
    officer = first.proposal.call.created_by
    second = factories.award(call=factories.CallFactory(officer=officer))
    other = factories.award()
    client.force_login(officer)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and "<title id=" in html and "<table>" in html
    assert f"{first.amount + second.amount:,.2f}" in html
    rows = _csv(client.get(URL, {"export": "csv"}))
    assert _committed(rows) == first.amount + second.amount
    assert other.agency_id != officer.agency_id


def test_staff_see_every_agency_or_the_one_they_pick(client):
    first = factories.award()
    other = factories.award()
    client.force_login(factories.StaffAdminFactory())

    every = _committed(_csv(client.get(URL, {"export": "csv"})))
    one = _committed(_csv(client.get(URL, {"export": "csv", "agency": first.agency_id})))

    assert every == first.amount + other.amount
    assert one == first.amount


def test_a_cso_member_may_not_see_a_dashboard(client):
    client.force_login(factories.MemberFactory())
    assert client.get(URL).status_code == 403


def test_the_dashboard_costs_the_same_queries_whatever_the_rows(client):
    first = factories.award()
    officer = first.proposal.call.created_by
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    factories.award(call=factories.CallFactory(officer=officer))
    factories.award(call=factories.CallFactory(officer=officer))
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert Agreement.objects.filter(agency_id=officer.agency_id).count() == 3
    assert len(few) == len(many)


def _flow(rows, chart, flow):
    """One money series summed over the rows of one exported chart."""
    return sum(
        (Decimal(r[3].replace(",", "")) for r in rows if r[0] == chart and r[2] == flow),
        Decimal("0"),
    )


def test_money_released_and_paid_is_summed_exactly_by_month_and_by_instrument(client, finance):
    from django.utils import timezone

    from contracts.agreements import services

    agreement = factories.award(instrument="performance_contract")
    officer = agreement.proposal.call.created_by
    first, _last = agreement.tranches.all()
    services.tranche_release(tranche=first, officer=officer)
    services.tranche_pay(
        tranche=first, user=finance, payment_reference="GFMIS-0001", paid_on=timezone.localdate()
    )
    client.force_login(officer)

    rows = _csv(client.get(URL, {"export": "csv"}))

    for chart in ("เงินรายเดือน", "เงินตามรูปแบบการสนับสนุน"):
        assert _flow(rows, chart, "อนุมัติเบิกจ่ายแล้ว (บาท)") == first.amount
        assert _flow(rows, chart, "จ่ายแล้ว (บาท)") == first.amount
        assert _flow(rows, chart, "ผูกพันแล้ว (บาท)") == agreement.amount
    assert first.amount < agreement.amount  # the 80 % tranche, not the whole
    instrument_rows = [r for r in rows if r[0] == "เงินตามรูปแบบการสนับสนุน"]
    assert {r[1] for r in instrument_rows} == {"สัญญาตามผลการดำเนินงาน"}
