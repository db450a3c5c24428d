"""The open data as the standards' own tools see it (issue 17, item 11): the OCDS Data Review
Tool's library, libcoveocds, run offline against the OCDS 1.1.5 standard, finds no schema
error, no remark (no empty field, no undeclared field) and no broken extension in the OCDS
package the portal serves; the portal's extension is fetched from the running portal, as
the tool fetches it from any publisher."""

import json

import pytest
import requests
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig

from contracts.agreements import services as agreement_services
from contracts.calls import services as call_services
from tests.contracts.open_data.test_open_data import pay, standards_dir
from tests.factories import CallFactory, CSOFactory, award
from tests.helpers import officer_of

pytestmark = [pytest.mark.django_db(transaction=True)]


def _review(package: dict, tmp_path) -> dict:
    """libcoveocds' report on ``package``, offline: the standard from the shared zip, the
    portal's extension from the live portal."""
    tmp_path.mkdir(exist_ok=True)
    path, out = tmp_path / "ocds.json", tmp_path / "out"
    out.mkdir()
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    archive = standards_dir() / "ocds-1.1.5" / "standard-1__1__5.zip"
    config = LibCoveOCDSConfig({"standard_zip": f"file://{archive}", "context": "api"})
    return ocds_json_output(
        str(out),
        str(path),
        schema_version="1.1",
        convert=False,
        lib_cove_ocds_config=config,
    )


@pytest.fixture
def published(finance):
    """Calls at every stage: a forecast, an open call with a draft, a cancelled one, a grant
    signed with a variation agreed, a performance contract with a payment, an informal
    group's grant and an offer not signed."""
    forecast = CallFactory(status="draft")
    call_services.call_forecast(call=forecast, user=forecast.created_by)
    CallFactory()  # open
    cancelled = CallFactory()
    call_services.call_cancel(call=cancelled, user=cancelled.created_by, reason="งบประมาณถูกตัด")
    grant = award(terms={"shares": ["60", "40"], "considered_funding": True})
    pay(grant, 1, finance)
    agreement_services.variation_propose(
        agreement=grant, user=officer_of(grant), reason="ขยายพื้นที่", amount="200000.00"
    )
    agreement_services.variation_agree(
        variation=grant.variations.get(),
        user=grant.cso.members.get(),
        signed_name="สมหญิง ใจดี",
        confirm=True,
    )
    contract = award(instrument="performance_contract", terms={"considered_funding": True})
    pay(contract, 1, finance)
    award(cso=CSOFactory(status="approved", registered=False, org_form="community_organisation"))
    award(sign=False)


def test_the_review_tool_finds_no_error_and_no_remark(live_server, published, tmp_path, settings):
    settings.PORTAL_BASE_URL = live_server.url  # where the package says its extension is
    answer = requests.get(f"{live_server.url}/api/v1/open-data/ocds.json", timeout=30)
    assert answer.status_code == 200
    package = answer.json()
    tags = {tag for release in package["releases"] for tag in release["tag"]}
    assert {"planning", "tender", "award", "contract", "implementation"} <= tags
    assert "contractAmendment" in tags

    report = _review(package, tmp_path)
    assert report["validation_errors"] == []
    assert not report["additional_checks"]  # no empty array, object or string
    assert report["all_additional_fields"] == []  # every field declared
    assert report["additional_closed_codelist_values"] == {}
    assert report["additional_open_codelist_values"] == {}
    assert report["deprecated_fields"] == []
    extension = f"{live_server.url}/api/v1/open-data/ocds-extension/extension.json"
    assert package["extensions"] == [extension]
    assert report["extensions"]["invalid_extension"] == {}
    assert report["extensions"]["is_extended_schema"] is True
    assert [e["url"] for e in report["extensions"]["extensions"]] == [extension]
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publicationPolicy"] == f"{live_server.url}/open-data/"
    assert package["publisher"]["uri"] == f"{live_server.url}/"


def test_the_review_tool_does_remark_on_what_the_portal_avoids(
    live_server, published, tmp_path, settings
):
    """The check is real: an empty list and an undeclared field are reported (and without
    the portal's extension its own fields would be: the first test finds none)."""
    settings.PORTAL_BASE_URL = live_server.url
    package = requests.get(f"{live_server.url}/api/v1/open-data/ocds.json", timeout=30).json()
    release = next(r for r in package["releases"] if "contracts" in r)
    release["contracts"][0]["implementation"]["transactions"] = []
    release["parties"][0]["details"] = {"undeclaredField": "x"}
    report = _review(package, tmp_path)
    assert "empty_field" in report["additional_checks"]
    assert any("undeclaredField" in str(field) for field in report["all_additional_fields"])
    package.pop("extensions")
    report = _review(package, tmp_path / "plain")
    undeclared = str(report["all_additional_fields"])
    assert "orgForm" in undeclared and "citizenReportCard" in undeclared
