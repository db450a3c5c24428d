"""Staff lists exported as files: the filters on screen apply, only what the user may see,
Thai headers and B.E. dates, a BOM for spreadsheets, exact amounts; CSV is streamed."""

import csv
import io
from decimal import Decimal

import pytest
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
