"""Staff lists exported as files: the filters on screen apply, only what the user may see,
Thai headers and B.E. dates, a BOM for spreadsheets, exact amounts; CSV is streamed."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from contracts.proposals.models import Proposal
from portal.dates import format_be
from tests import factories

pytestmark = pytest.mark.django_db


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_agreements_export_as_csv_with_the_filters_and_only_what_the_officer_may_see(client):
    agreement = factories.award()
    other_agency = factories.award()
    officer = agreement.proposal.call.created_by
    client.force_login(officer)

    response = client.get(reverse("agreement-list"), {"export": "csv", "status": "active"})

    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][0] == "เลขที่ข้อตกลง"  # Thai headers
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [agreement.number]
    assert other_agency.number not in numbers
    row = rows[1]
    assert Decimal(row[6]) == agreement.amount
    assert format_be(agreement.end_date, language="th") in row

    none = _csv(client.get(reverse("agreement-list"), {"export": "csv", "status": "offered"}))
    assert len(none) == 1  # the filter applies: only the header


def test_agreements_export_as_excel(client):
    agreement = factories.award()
    client.force_login(agreement.proposal.call.created_by)

    response = client.get(reverse("agreement-list"), {"export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == agreement.number
    assert Decimal(str(rows[1][6])) == agreement.amount
    assert rows[1][8] == format_be(agreement.end_date, language="th")


def test_the_review_queue_exports_for_reviewers_only(client):
    cso = factories.CSOFactory(status="submitted")
    client.force_login(factories.ReviewerFactory())
    rows = _csv(client.get(reverse("review-queue"), {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == [cso.name_th]

    client.force_login(factories.MemberFactory())
    assert client.get(reverse("review-queue"), {"export": "csv"}).status_code == 403


def test_the_agencys_calls_export_with_their_proposal_counts(client):
    officer = factories.OfficerFactory()
    call = factories.CallFactory(officer=officer)
    factories.ProposalFactory(call=call, status="submitted")
    client.force_login(officer)
    rows = _csv(client.get(reverse("agency-calls"), {"export": "csv"}))
    assert rows[1][0] == call.title
    header = rows[0]
    with translation.override("th"):
        submitted = str(Proposal.Status.SUBMITTED.label)
    assert rows[1][header.index(submitted)] == "1"


def test_sent_proposals_list_and_export_for_the_officers_agency(client):
    officer = factories.OfficerFactory()
    call = factories.CallFactory(officer=officer)
    sent = factories.ProposalFactory(call=call, status="submitted")
    draft = factories.ProposalFactory(call=call)
    other = factories.ProposalFactory(status="submitted")
    client.force_login(officer)

    html = client.get(reverse("proposal-list"), {"status": "submitted"}).content.decode()
    assert sent.title in html
    assert draft.title not in html and other.title not in html

    rows = _csv(client.get(reverse("proposal-list"), {"export": "csv", "status": "submitted"}))
    assert [r[0] for r in rows[1:]] == [sent.title]
    assert Decimal(rows[1][5]) == sent.requested_amount

    client.force_login(factories.MemberFactory())
    assert client.get(reverse("proposal-list")).status_code == 403


def test_reports_list_and_export_with_the_status_filter(client):
    agreement = factories.award()
    other = factories.award()
    client.force_login(agreement.proposal.call.created_by)

    rows = _csv(client.get(reverse("report-list"), {"export": "csv", "status": "due"}))
    numbers = {r[0] for r in rows[1:]}
    assert numbers == {agreement.number}
    assert len(rows) - 1 == agreement.reports.filter(status="due").count()
    first = agreement.reports.order_by("due_on").first()
    assert rows[1][5] == format_be(first.due_on, language="th")
    assert other.number not in numbers

    none = _csv(client.get(reverse("report-list"), {"export": "csv", "status": "accepted"}))
    assert len(none) == 1


def test_list_queries_do_not_grow_with_rows(client):
    agreement = factories.award()
    client.force_login(factories.StaffAdminFactory())
    url = reverse("report-list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    factories.award()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert agreement.reports.count() > 0
    assert len(few) == len(many)


def test_the_public_lists_export_with_their_filters(client):
    cso = factories.CSOFactory(status="approved")
    call = factories.CallFactory(instrument="grant")
    contract = factories.CallFactory(instrument="performance_contract")

    rows = _csv(client.get(reverse("directory"), {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == [cso.name_th]

    rows = _csv(client.get(reverse("call-list"), {"export": "csv", "instrument": "grant"}))
    titles = [r[0] for r in rows[1:]]
    assert call.title in titles
    assert contract.title not in titles
