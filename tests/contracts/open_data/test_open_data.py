"""Open data as a harvester or a spreadsheet user gets it: the 360Giving package and the
OCDS release package validate against the official schemas (read from the shared standards
folder, no network), paid tranches are transactions with the right amounts and unpaid ones
are not, only signed agreements count, informal groups get the portal's own id, the CSVs
open in Excel with Thai intact, and the answers are public, cached and cheap."""

import csv
import datetime
import io
import json
import os
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import referencing.jsonschema
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from referencing import Registry

from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement
from contracts.open_data import giving
from contracts.open_data import selectors as open_data_selectors
from portal.reference import OrgForm
from tests.factories import (
    ApiClientFactory,
    CallFactory,
    CSOFactory,
    MissionFactory,
    OfficerFactory,
    award,
)
from tests.helpers import officer_of, pdf_text

pytestmark = pytest.mark.django_db

URL = "/api/v1/open-data/"
GIVING_PACKAGE_URL = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/"
    "360-giving-package-schema.json"
)
GIVING_GRANT_URLS = [
    # The 1.4.3 package schema still points at the 1.4.2 grant schema; the grant schema's
    # own $id is 1.4.3. Both are the local file.
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
]
OCDS_RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


# --- the official schemas, offline -----------------------------------------------------------


def standards_dir() -> Path:
    """The shared standards: OPEN_DATA_STANDARDS_DIR if set, else ``../shared/standards``
    beside the project, else the workplace's ``/work/shared/standards`` (a checkout made
    elsewhere, as CI may do, still finds them)."""
    candidates = [
        os.environ.get("OPEN_DATA_STANDARDS_DIR", ""),
        Path(settings.BASE_DIR).parent / "shared" / "standards",
        "/work/shared/standards",
    ]
    for candidate in candidates:
        if candidate and Path(candidate, "360giving").is_dir():
            return Path(candidate)
    pytest.fail(
        "The official schemas are not in ../shared/standards nor /work/shared/standards; "
        "set OPEN_DATA_STANDARDS_DIR.",
        pytrace=False,
    )


def _load(*parts):
    return json.loads(standards_dir().joinpath(*parts).read_text(encoding="utf-8"))


def _validator(cls, schema, resources):
    """``cls`` is named, not detected: the 360Giving schemas say
    ``http://json-schema.org/draft/2020-12/schema`` (http, not the dialect's https id)."""
    specification = referencing.jsonschema.specification_with(cls.META_SCHEMA["$schema"])
    registry = Registry().with_resources(
        (url, specification.create_resource(contents)) for url, contents in resources
    )
    checker = cls.FORMAT_CHECKER
    # Without a real date-time check, a plain date would match both branches of the
    # 360Giving "date or date-time" oneOf and fail; with it, a bad date-time fails.
    assert "date-time" in checker.checkers, "pip install rfc3339-validator"
    return cls(schema, registry=registry, format_checker=checker)


@pytest.fixture(scope="module")
def giving_validator():
    grant_schema = _load("360giving", "360-giving-schema.json")
    return _validator(
        jsonschema.Draft202012Validator,
        _load("360giving", "360-giving-package-schema.json"),
        [(url, grant_schema) for url in GIVING_GRANT_URLS],
    )


@pytest.fixture(scope="module")
def ocds_validator():
    return _validator(
        jsonschema.Draft4Validator,
        _load("ocds-1.1.5", "release-package-schema.json"),
        [(OCDS_RELEASE_URL, _load("ocds-1.1.5", "release-schema.json"))],
    )


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:10]
    )


# --- the agreements behind the data ----------------------------------------------------------


def pay(agreement, seq, finance, reference="GFMIS-0001"):
    tranche = agreement.tranches.get(seq=seq)
    agreement_services.tranche_release(tranche=tranche, officer=officer_of(agreement))
    return agreement_services.tranche_pay(
        tranche=tranche, user=finance, payment_reference=reference, paid_on=timezone.localdate()
    )


@pytest.fixture
def world(finance):
    """A grant to a registered foundation; a performance contract with tranche 1 paid; an
    informal group's grant under a nationwide mission (beneficiaries where it serves); an
    offer not yet signed; a declined offer."""
    grant = award(terms={"amount": "150000.50"})
    contract = award(instrument="performance_contract")
    pay(contract, 1, finance)

    officer = OfficerFactory()
    nationwide = MissionFactory(officer=officer, provinces=[])
    call = CallFactory(officer=officer, mission=nationwide, title="ทุนกลุ่มชาวบ้านเชียงใหม่")
    group = CSOFactory(
        status="approved",
        registered=False,
        name_th="กลุ่มอาสาดูแลผู้สูงวัยบ้านแม่ริม",
        name_en="",
        org_form="community_organisation",
        service_provinces=["50", "57"],
    )
    informal = award(call=call, cso=group)

    offered = award(sign=False)
    declined = award(sign=False)
    agreement_services.agreement_decline(
        agreement=declined, user=declined.cso.members.first(), reason="ไม่พร้อมดำเนินการ"
    )
    return {
        "grant": grant,
        "contract": contract,
        "informal": informal,
        "offered": offered,
        "declined": declined,
    }


def get(client, name, **headers):
    return client.get(URL + name, **headers)


def body_json(response):
    assert response.status_code == 200, response.getvalue()[:500]
    return json.loads(response.getvalue())


def by_id(items, key="id"):
    return {item[key]: item for item in items}


def latest(package) -> dict:
    """Each call's last release (they come in stage order), by ocid."""
    return by_id(package["releases"], "ocid")


def contracts_of(package) -> dict:
    """Every contract as each call's last release has it, by agreement number."""
    return {c["id"]: c for r in latest(package).values() for c in r.get("contracts", [])}


# --- 360Giving -------------------------------------------------------------------------------


def test_the_360giving_package_is_valid_and_has_every_signed_agreement(
    api_client, world, giving_validator
):
    package = body_json(get(api_client, "360giving.json"))
    assert_valid(giving_validator, package)

    grants = by_id(package["grants"])
    expected = {f"360G-thcoprod-{world[k].number}" for k in ("grant", "contract", "informal")}
    assert set(grants) == expected  # the offer not yet signed and the declined one are out

    grant = grants[f"360G-thcoprod-{world['grant'].number}"]
    agreement = Agreement.objects.select_related("agency", "cso").get(pk=world["grant"].pk)
    assert grant["currency"] == "THB"
    assert Decimal(str(grant["amountAwarded"])) == Decimal("150000.50")
    assert grant["awardDate"] == timezone.localdate(agreement.signed_at).isoformat()
    assert grant["plannedDates"] == [{"startDate": "2027-01-01", "endDate": "2027-12-31"}]
    recipient = grant["recipientOrganization"][0]
    assert recipient["id"] == f"TH-TIN-{agreement.cso.juristic_id}"
    assert recipient["name"] == agreement.cso.name_th
    assert recipient["alternateName"] == agreement.cso.name_en
    with translation.override("th"):
        assert recipient["organisationType"] == str(OrgForm.CHARITABLE_FOUNDATION.label)
    assert grant["fundingOrganization"][0]["id"] == f"360G-thcoprod-AGENCY-{agreement.agency_id}"
    assert grant["fundingOrganization"][0]["name"] == agreement.agency.name_th
    assert grant["beneficiaryLocation"] == [
        {
            "id": "TH-10",
            "name": "กรุงเทพมหานคร",
            "countryCode": "TH",
            "geoCode": "10",
            "geoCodeType": "TH-DOPA-PROVINCE",
        }
    ]
    assert grant["grantProgramme"][0]["title"] == agreement.proposal.call.title
    assert "disbursementTransaction" not in grant  # nothing paid yet
    assert grant["amountDisbursed"] == 0


def test_paid_tranches_are_disbursements_and_unpaid_ones_are_not(api_client, world):
    package = body_json(get(api_client, "360giving.json"))
    contract = world["contract"]
    first, last = contract.tranches.order_by("seq")
    grant = by_id(package["grants"])[f"360G-thcoprod-{contract.number}"]

    assert grant["disbursementTransaction"] == [
        {
            "id": f"360G-thcoprod-{contract.number}-T1",
            "transactionDate": timezone.localdate().isoformat(),
            "currency": "THB",
            "value": float(first.amount),
            "description": grant["disbursementTransaction"][0]["description"],
            "provider": f"360G-thcoprod-AGENCY-{contract.agency_id}",
            "recipient": f"TH-TIN-{contract.cso.juristic_id}",
        }
    ]
    assert Decimal(str(grant["amountDisbursed"])) == first.amount == Decimal("152016.00")
    assert last.status == "scheduled"
    assert Decimal(str(grant["amountAwarded"])) == first.amount + last.amount


def test_an_informal_group_gets_the_portal_prefix_and_its_service_provinces(api_client, world):
    package = body_json(get(api_client, "360giving.json"))
    informal = world["informal"]
    grant = by_id(package["grants"])[f"360G-thcoprod-{informal.number}"]
    recipient = grant["recipientOrganization"][0]
    assert recipient["id"] == f"360G-thcoprod-CSO-{informal.cso_id}"
    assert recipient["name"] == "กลุ่มอาสาดูแลผู้สูงวัยบ้านแม่ริม"
    assert "alternateName" not in recipient
    # A nationwide mission: the beneficiaries are where the group serves.
    assert [loc["geoCode"] for loc in grant["beneficiaryLocation"]] == ["50", "57"]
    assert [loc["name"] for loc in grant["beneficiaryLocation"]] == ["เชียงใหม่", "เชียงราย"]


def test_the_360giving_csv_has_the_standard_titles_and_reads_back_in_thai(api_client, world):
    response = get(api_client, "360giving.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="360giving.csv"' in response["Content-Disposition"]
    body = response.getvalue()
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8

    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    for title in (
        "Identifier",
        "Title",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Funding Org:Identifier",
        "Beneficiary Location:Geographic Code",
    ):
        assert title in header
    assert len(rows) == 3  # one line per grant
    rows = by_id(rows, "Identifier")
    informal = rows[f"360G-thcoprod-{world['informal'].number}"]
    assert informal["Recipient Org:Name"] == "กลุ่มอาสาดูแลผู้สูงวัยบ้านแม่ริม"
    assert informal["Beneficiary Location:Name"] == "เชียงใหม่; เชียงราย"
    assert informal["Beneficiary Location:Geographic Code"] == "50; 57"
    contract = rows[f"360G-thcoprod-{world['contract'].number}"]
    assert contract["Amount Awarded"] == "190020.00"
    assert contract["Amount Disbursed"] == "152016.00"
    assert rows[f"360G-thcoprod-{world['grant'].number}"]["Amount Awarded"] == "150000.50"


def test_a_title_that_looks_like_a_formula_is_text_in_the_csv(api_client):
    award(title='=HYPERLINK("http://example.org","คลิก")')
    for name, column in (("360giving.csv", "Title"), ("ocds.csv", "contracts/title")):
        content = get(api_client, name).getvalue().decode("utf-8-sig")
        (row,) = csv.DictReader(io.StringIO(content))
        assert row[column] == '\'=HYPERLINK("http://example.org","คลิก")'
    # The JSON keeps the title as typed.
    (grant,) = body_json(get(api_client, "360giving.json"))["grants"]
    assert grant["title"].startswith("=HYPERLINK(")


# --- OCDS ------------------------------------------------------------------------------------


def test_the_ocds_package_is_valid_with_one_release_per_call(api_client, world, ocds_validator):
    package = body_json(get(api_client, "ocds.json"))
    assert_valid(ocds_validator, package)
    assert package["version"] == "1.1"
    assert package["uri"] == f"{settings.PORTAL_BASE_URL}/api/v1/open-data/ocds.json"

    releases = latest(package)
    calls = {world[k].proposal.call_id for k in ("grant", "contract", "informal")}
    assert {f"ocds-thcoprod-call-{pk}" for pk in calls} <= set(releases)
    assert set(contracts_of(package)) == {
        world[k].number for k in ("grant", "contract", "informal")
    }
    # A release per stage reached: the unsigned offer's call has been planned and tendered.
    stages = {}
    for release in package["releases"]:
        stages.setdefault(release["ocid"], []).append(release["tag"][0])
    paid_call = f"ocds-thcoprod-call-{world['contract'].proposal.call_id}"
    assert stages[paid_call] == ["planning", "tender", "award", "contract", "implementation"]
    assert stages[f"ocds-thcoprod-call-{world['offered'].proposal.call_id}"] == [
        "planning",
        "tender",
    ]
    assert stages[f"ocds-thcoprod-call-{world['grant'].proposal.call_id}"][-1] == "contract"
    ids = [r["id"] for r in package["releases"]]
    assert len(ids) == len(set(ids))

    contract = world["contract"]
    call = contract.proposal.call
    release = releases[f"ocds-thcoprod-call-{call.pk}"]
    assert release["initiationType"] == "tender"
    assert "implementation" in release["tag"]
    parties = by_id(release["parties"])
    buyer = parties[f"360G-thcoprod-AGENCY-{contract.agency_id}"]
    supplier = parties[f"TH-TIN-{contract.cso.juristic_id}"]
    assert {"buyer", "payer"} <= set(buyer["roles"])
    assert {"supplier", "payee"} <= set(supplier["roles"])
    assert supplier["identifier"] == {
        "scheme": "TH-TIN",
        "id": contract.cso.juristic_id,
        "legalName": contract.cso.name_th,
    }
    assert release["buyer"]["id"] == buyer["id"]
    assert release["planning"]["budget"]["amount"] == {"amount": 5000000.0, "currency": "THB"}
    assert release["planning"]["rationale"] == call.mission.description
    tender = release["tender"]
    assert tender["title"] == call.title
    assert tender["value"] == {"amount": 5000000.0, "currency": "THB"}
    assert tender["procurementMethod"] == "open"
    assert tender["awardCriteria"] == "qualityOnly"
    assert tender["numberOfTenderers"] == 1
    assert tender["tenderPeriod"]["endDate"] == timezone.localtime(call.closes_at).isoformat(
        timespec="seconds"
    )
    (award_,) = release["awards"]
    assert award_["suppliers"] == [{"id": supplier["id"], "name": supplier["name"]}]
    assert award_["value"] == {"amount": 190020.0, "currency": "THB"}


def test_tranches_are_payment_milestones_and_paid_ones_transactions(api_client, world):
    package = body_json(get(api_client, "ocds.json"))
    contracts = contracts_of(package)
    agreement = world["contract"]
    first, last = agreement.tranches.order_by("seq")
    contract = contracts[agreement.number]
    assert contract["status"] == "active"
    implementation = contract["implementation"]

    milestones = implementation["milestones"]
    assert [m["type"] for m in milestones] == ["payment", "payment"]
    assert [m["status"] for m in milestones] == ["met", "scheduled"]
    assert milestones[0]["dueDate"] == "2027-01-01T00:00:00+07:00"
    assert milestones[1]["dueDate"] == "2027-12-31T00:00:00+07:00"
    assert "152,016.00" in milestones[0]["description"]
    assert "38,004.00" in milestones[1]["description"]

    (payment,) = implementation["transactions"]  # tranche 2 is not paid: no transaction
    assert payment["value"] == {"amount": float(first.amount), "currency": "THB"}
    assert payment["payer"]["id"] == f"360G-thcoprod-AGENCY-{agreement.agency_id}"
    assert payment["payee"]["id"] == f"TH-TIN-{agreement.cso.juristic_id}"
    assert payment["date"].startswith(timezone.localdate().isoformat())

    assert "transactions" not in contracts[world["grant"].number]["implementation"]  # no []
    assert [
        m["status"] for m in contracts[world["grant"].number]["implementation"]["milestones"]
    ] == ["scheduled"]


def test_the_ocds_csv_has_one_row_per_contract_with_the_total_paid(api_client, world):
    response = get(api_client, "ocds.csv")
    assert response.status_code == 200
    body = response.getvalue()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = by_id(list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")))), "contracts/id")
    assert set(rows) == {world[k].number for k in ("grant", "contract", "informal")}
    row = rows[world["contract"].number]
    assert row["ocid"] == f"ocds-thcoprod-call-{world['contract'].proposal.call_id}"
    assert row["contracts/value/amount"] == "190020.00"
    assert row["contracts/implementation/transactions/value/amount (total paid)"] == "152016.00"
    assert row["supplier/name"] == world["contract"].cso.name_th
    assert rows[world["informal"].number]["supplier/id"] == (
        f"360G-thcoprod-CSO-{world['informal'].cso_id}"
    )


# --- public, cached, cheap -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["360giving.json", "360giving.csv", "ocds.json", "ocds.csv"])
def test_a_repeat_costs_no_query_and_a_payment_shows_at_once(
    api_client, world, finance, name, django_assert_num_queries
):
    first = get(api_client, name)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    etag, first_body = first["ETag"], first.getvalue()
    assert int(first["Content-Length"]) == len(first_body)

    # The data version comes from the tables' versions in the shared cache: no query.
    with django_assert_num_queries(0):
        again = get(api_client, name)
    assert again.getvalue() == first_body and again["ETag"] == etag

    with django_assert_num_queries(0):
        unchanged = get(api_client, name, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.getvalue() == b""
    assert unchanged["ETag"] == etag
    since = get(api_client, name, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304

    pay(world["grant"], 1, finance, reference="GFMIS-0099")
    changed = get(api_client, name, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    changed_body = changed.getvalue()
    assert changed_body != first_body
    if name == "360giving.json":
        grant = by_id(json.loads(changed_body)["grants"])[f"360G-thcoprod-{world['grant'].number}"]
        assert [t["value"] for t in grant["disbursementTransaction"]] == [150000.5]


def test_anyone_may_read_it_even_a_system_without_the_read_scope(api_as, world):
    for client in (api_as(None), api_as(ApiClientFactory(scopes=[]).user)):
        for name in ("360giving.json", "360giving.csv", "ocds.json", "ocds.csv"):
            assert get(client, name).status_code == 200, name


def _queries_to_build(client, name):
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert get(client, name).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["360giving.json", "ocds.json", "360giving.csv", "ocds.csv"])
def test_the_query_count_does_not_grow_with_the_agreements(api_client, finance, name):
    agreement = award(instrument="performance_contract")
    pay(agreement, 1, finance)
    few = _queries_to_build(api_client, name)

    for _i in range(3):
        more = award(instrument="performance_contract")
        pay(more, 1, finance, reference=f"GFMIS-{more.pk}")
    award(terms={"shares": ["40", "30", "30"]})
    many = _queries_to_build(api_client, name)
    assert many == few, (few, many)


def test_with_nothing_awarded_yet_only_the_calls_are_published(api_client):
    offered = award(sign=False)  # an offer is not a grant
    assert body_json(get(api_client, "360giving.json"))["grants"] == []
    releases = body_json(get(api_client, "ocds.json"))["releases"]
    assert [(r["ocid"], r["tag"]) for r in releases] == [
        (f"ocds-thcoprod-call-{offered.proposal.call_id}", ["planning"]),
        (f"ocds-thcoprod-call-{offered.proposal.call_id}", ["tender"]),
    ]
    assert not any("awards" in r or "contracts" in r for r in releases)
    lines = get(api_client, "360giving.csv").getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 and lines[0].startswith("Identifier,Title,")


def test_a_terminated_agreement_that_was_signed_stays_with_its_payments(
    api_client, finance, ocds_validator, giving_validator
):
    agreement = award(instrument="performance_contract")
    pay(agreement, 1, finance)
    agreement_services.agreement_terminate(
        agreement=agreement, officer=officer_of(agreement), reason="ไม่ดำเนินการตามแผน"
    )
    giving = body_json(get(api_client, "360giving.json"))
    assert_valid(giving_validator, giving)
    (grant,) = giving["grants"]
    assert len(grant["disbursementTransaction"]) == 1

    ocds = body_json(get(api_client, "ocds.json"))
    assert_valid(ocds_validator, ocds)
    (contract,) = contracts_of(ocds).values()
    assert contract["status"] == "terminated"
    assert [m["status"] for m in contract["implementation"]["milestones"]] == ["met", "notMet"]


def test_english_callers_get_english_labels_and_their_own_etag(api_client, world):
    thai = get(api_client, "ocds.json", HTTP_ACCEPT_LANGUAGE="th")
    english = get(api_client, "ocds.json", HTTP_ACCEPT_LANGUAGE="en")
    assert thai["ETag"] != english["ETag"]
    release = next(r for r in json.loads(english.getvalue())["releases"] if "contracts" in r)
    assert release["language"] == "en"
    assert release["contracts"][0]["implementation"]["milestones"][0]["title"] == "Tranche 1"
    # Names stay as registered, in Thai.
    buyer = release["parties"][0]
    agency = Agreement.objects.get(number=release["contracts"][0]["id"]).agency
    assert buyer["name"] == agency.name_th


def test_the_validators_catch_a_broken_file(giving_validator, ocds_validator):
    """The schemas are really applied: a date where a date-time belongs, or an amount as
    text, fails."""
    grant = {
        "id": "360G-thcoprod-G-2570-000001",
        "title": "t",
        "description": "d",
        "currency": "THB",
        "amountAwarded": "100.00",
        "awardDate": "2027-01-01",
        "recipientOrganization": [{"id": "TH-TIN-0105500000001", "name": "n"}],
        "fundingOrganization": [{"id": "360G-thcoprod-AGENCY-1", "name": "n"}],
    }
    assert list(giving_validator.iter_errors({"grants": [grant]}))
    grant["amountAwarded"] = 100.0
    assert not list(giving_validator.iter_errors({"grants": [grant]}))
    release = {
        "ocid": "ocds-thcoprod-call-1",
        "id": "1",
        "date": "2027-01-01",
        "tag": ["tender"],
        "initiationType": "tender",
    }
    package = {
        "uri": "http://testserver/",
        "version": "1.1",
        "publishedDate": "2027-01-01T00:00:00+07:00",
        "publisher": {"name": "p"},
        "releases": [release],
    }
    assert list(ocds_validator.iter_errors(package))
    release["date"] = "2027-01-01T00:00:00+07:00"
    assert not list(ocds_validator.iter_errors(package))


def test_the_schema_documents_the_four_files(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for name in ("360giving.json", "ocds.json"):
        get_op = paths[f"/api/v1/open-data/{name}"]["get"]
        assert "application/json" in get_op["responses"]["200"]["content"]
        assert "304" in get_op["responses"]
    for name in ("360giving.csv", "ocds.csv"):
        get_op = paths[f"/api/v1/open-data/{name}"]["get"]
        assert "text/csv" in get_op["responses"]["200"]["content"]


def test_dates_are_bangkok_dates(world):
    """Award dates are the Bangkok calendar date of signing, whatever the server's clock."""

    agreement = open_data_selectors.awarded_agreements().get(pk=world["grant"].pk)
    agreement.signed_at = datetime.datetime(2027, 1, 1, 18, 30, tzinfo=datetime.UTC)
    assert giving.grant(agreement)["awardDate"] == "2027-01-02"


# --- variations ------------------------------------------------------------------------------


def test_an_agreed_variation_end_to_end_amends_both_feeds(
    api_as, api_client, client, tmp_path, finance, ocds_validator, giving_validator
):
    """The agency proposes more money and a later end through the API; the organisation's
    signatory signs; the tranches are re-planned; the contract PDF says which variation it
    is; the OCDS release gains an amendment and a new id, the 360Giving grant its new
    amount, dates and dateModified; both stay valid against the official schemas."""
    agreement = award(terms={"shares": ["60", "40"]})
    officer, signatory = officer_of(agreement), agreement.cso.members.get()
    pay(agreement, 1, finance)
    before_ocds = body_json(get(api_client, "ocds.json"))
    before_release = before_ocds["releases"][-1]
    before_grant = body_json(get(api_client, "360giving.json"))["grants"][0]

    url = f"/api/v1/agreements/{agreement.pk}/variations/"
    proposed = api_as(officer).post(
        url,
        {"reason": "ขยายบริการไปอีกสองตำบล",
         "changes": {"amount": "250000.00", "end_date": "2028-03-31"}},
        format="json",
    )  # fmt: skip
    assert proposed.status_code == 201, proposed.getvalue()
    assert proposed.json()["status"] == "proposed" and proposed.json()["proposed_by"] == "agency"
    agree = f"{url}1/agree/"
    unsigned = api_as(signatory).post(agree, {"confirm": True}, format="json")
    assert unsigned.status_code == 400 and "signed_name" in unsigned.json()["error"]["fields"]
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):  # a later
        signed = api_as(signatory).post(  # moment than the feeds read before
            agree, {"signed_name": "สมหญิง ใจดี", "confirm": True}, format="json"
        )
    assert signed.status_code == 200, signed.getvalue()
    assert signed.json()["previous"]["amount"] == "190020.00"
    again = api_as(signatory).post(
        agree, {"signed_name": "สมหญิง ใจดี", "confirm": True}, format="json"
    )
    assert again.status_code == 409

    body = api_as(officer).get(f"/api/v1/agreements/{agreement.pk}/").json()
    assert body["amount"] == "250000.00" and body["end_date"] == "2028-03-31"
    tranches = {t["seq"]: t for t in body["tranches"]}
    assert tranches[1]["amount"] == "114012.00" and tranches[1]["status"] == "paid"
    assert tranches[2]["amount"] == "135988.00"

    client.force_login(officer)
    pdf = client.get(f"/agreements/{agreement.pk}/document.pdf")
    assert pdf.status_code == 200
    words = " ".join(pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.getvalue(),
                               tmp_path).split())  # fmt: skip
    assert "ฉบับแก้ไขเพิ่มเติมครั้งที่ 1" in words and "สมหญิง ใจดี" in words
    package = body_json(get(api_client, "ocds.json"))
    assert_valid(ocds_validator, package)
    (release,) = latest(package).values()
    assert release["tag"] == ["implementation", "contractAmendment"]
    assert release["id"] != before_release["id"]
    (contract,) = release["contracts"]
    (amendment,) = contract["amendments"]
    assert amendment["id"] == f"{agreement.number}-variation-1"
    assert amendment["rationale"] == "ขยายบริการไปอีกสองตำบล"
    assert "value.amount: 190020.00 → 250000.00" in amendment["description"]
    assert contract["value"]["amount"] == 250000.0
    assert release["awards"][0]["value"]["amount"] == 190020.0  # what was awarded
    grants = body_json(get(api_client, "360giving.json"))
    assert_valid(giving_validator, grants)
    (grant,) = grants["grants"]
    assert grant["amountAwarded"] == 250000.0
    assert grant["plannedDates"][0]["endDate"] == "2028-03-31"
    assert grant["dateModified"] > before_grant["dateModified"]


# --- publisher, licence, publication policy, extension ---------------------------------------


def test_both_packages_name_their_publisher_licence_policy_and_extension(
    api_client, world, settings
):
    """The files are built in the background, so they name the portal's public address
    (PORTAL_BASE_URL), not whichever host a request came through."""
    settings.PORTAL_BASE_URL = "https://portal.example.go.th"
    giving = body_json(get(api_client, "360giving.json"))
    assert giving["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert giving["publisher"]["website"] == "https://portal.example.go.th/"
    ocds = body_json(get(api_client, "ocds.json"))
    assert ocds["license"] == giving["license"]
    assert ocds["publicationPolicy"] == "https://portal.example.go.th/open-data/"
    assert ocds["publisher"]["uri"] == "https://portal.example.go.th/"
    (extension,) = ocds["extensions"]
    assert extension.startswith("https://portal.example.go.th/api/v1/")
    extension = extension.removeprefix("https://portal.example.go.th")
    metadata = body_json(api_client.get(extension))
    assert metadata["compatibility"] == ["1.1"] and metadata["schemas"] == ["release-schema.json"]
    patch = body_json(api_client.get(extension.replace("extension.json", "release-schema.json")))
    details = patch["definitions"]["Organization"]["properties"]["details"]["properties"]
    assert set(details) == {"registered", "orgForm"}
    assert "citizenReportCard" in patch["definitions"]["Implementation"]["properties"]


def test_the_licence_and_the_policy_are_the_operators_to_set(api_client, world, settings):
    for name in ("ocds.json", "360giving.json"):  # files built under the default licence
        assert (
            body_json(get(api_client, name))["license"]
            != "https://opendatacommons.org/licenses/odbl/1-0/"
        )
    settings.OPEN_DATA_LICENSE = "https://opendatacommons.org/licenses/odbl/1-0/"
    settings.OPEN_DATA_PUBLICATION_POLICY = "https://data.example.go.th/policy"
    ocds = body_json(get(api_client, "ocds.json"))
    giving = body_json(get(api_client, "360giving.json"))
    assert ocds["license"] == giving["license"] == settings.OPEN_DATA_LICENSE
    assert ocds["publicationPolicy"] == "https://data.example.go.th/policy"


def test_the_open_data_page_says_what_is_published_and_links_every_file(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/open-data/")
    assert page.status_code == 200
    html = page.getvalue().decode()
    for name in ("ocds.json", "ocds.csv", "360giving.json", "360giving.csv"):
        assert f'href="/api/v1/open-data/{name}"' in html
    assert 'href="/api/v1/open-data/ocds-extension/extension.json"' in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert "Publication policy" in html and "What is never published" in html
    assert 'href="/open-data/"' in client.get("/").getvalue().decode()  # from every page's footer


def test_a_release_id_changes_with_anything_it_says(api_client, world):
    """Renaming the organisation changes its award and contract releases' ids, not the
    call's planning one (the ids are the content's fingerprints)."""
    call_id = world["grant"].proposal.call_id
    mine = f"ocds-thcoprod-call-{call_id}"

    def ids():
        package = body_json(get(api_client, "ocds.json"))
        return {r["tag"][0]: r["id"] for r in package["releases"] if r["ocid"] == mine}

    before = ids()
    cso = world["grant"].cso
    cso.name_th = "มูลนิธิชื่อใหม่"
    cso.save(update_fields=["name_th", "updated_at"])
    after = ids()
    assert after["planning"] == before["planning"] and after["tender"] == before["tender"]
    assert after["award"] != before["award"] and after["contract"] != before["contract"]


@pytest.mark.parametrize("shared", [True, False])
def test_a_payment_moves_the_data_version_with_or_without_a_shared_cache(
    settings, world, finance, shared
):
    """With a shared cache the version comes from the tables' versions; without one (make
    run: the worker's writes would not reach this process's cache) from the rows."""
    settings.TABLE_VERSIONS_SHARED = shared
    before = open_data_selectors.data_version()
    assert open_data_selectors.data_version() == before
    pay(world["grant"], 1, finance, reference="GFMIS-0100")
    assert open_data_selectors.data_version() != before
