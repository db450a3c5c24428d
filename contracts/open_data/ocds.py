"""Open data as OCDS: one contracting process per call, with its awards and contracts, in JSON
and as CSV."""

import datetime
import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies.models import Agency
from contracts.agreements.models import Agreement, Tranche
from contracts.calls.models import Call
from contracts.open_data.common import (
    CURRENCY,
    OCID_PREFIX,
    TIN_LIST,
    _call,
    _date,
    _day_start,
    _description,
    _json,
    _moment,
    _number,
    _open_object,
    _paid,
    _paid_total,
    _publisher_name,
    _tranche_label,
    agency_org_id,
    cso_org_id,
    publication_policy_url,
    report_card_aggregates,
    write_csv,
)
from contracts.open_data.extension import extension_url
from contracts.open_data.selectors import _tenderers_by_call
from contracts.report_cards import EMPTY, agreement_cards
from csos.models import CSO
from portal.reference import SelectionCriterion

AS = Agreement.Status
TS = Tranche.Status

TENDER_STATUS = {
    Call.Status.DRAFT: "planning",
    Call.Status.FORECAST: "planned",
    Call.Status.OPEN: "active",
    Call.Status.CLOSED: "active",
    Call.Status.AWARDED: "complete",
    Call.Status.CANCELLED: "cancelled",
}


# OCDS "terminated": the contract was in force and has come to a close, by completion or
# early. Completed delivery still owes its final tranche and settlement, so stays active.
CONTRACT_STATUS = {
    AS.ACTIVE: "active",
    AS.COMPLETED: "active",
    AS.SETTLED: "terminated",
    AS.TERMINATED: "terminated",
}


CLOSED = {AS.SETTLED, AS.TERMINATED}
OPEN_FOR_SUBMISSIONS = {Call.Status.FORECAST, Call.Status.OPEN}


def ocid(call: Call) -> str:
    return f"{OCID_PREFIX}-call-{call.pk}"


def _value(amount: Decimal) -> dict:
    return {"amount": _number(amount), "currency": CURRENCY}


def _ref(org: dict) -> dict:
    return {"id": org["id"], "name": org["name"]}


def _buyer(agency: Agency) -> dict:
    party = {
        "id": agency_org_id(agency),
        "name": agency.name_th,
        "address": {"countryName": _("Thailand")},
        "roles": ["buyer", "procuringEntity", "payer"],
    }
    if agency.province_id:
        party["address"]["region"] = agency.province.name
    return party


def _supplier(cso: CSO) -> dict:
    party = {"id": cso_org_id(cso), "name": cso.name_th, "roles": ["supplier", "payee"]}
    if cso.registered and cso.juristic_id:
        party["identifier"] = {
            "scheme": TIN_LIST,
            "id": cso.juristic_id,
            "legalName": cso.name_th,
        }
    party["details"] = {"registered": cso.registered}
    if cso.org_form:
        party["details"]["orgForm"] = cso.org_form
    return party


def _eligibility(call: Call) -> str:
    provinces = ", ".join(p.name for p in call.eligible_provinces.all()) or _("every province")
    fields = ", ".join(f.name for f in call.eligible_activity_fields.all()) or _("every field")
    return _(
        "Civil society organisations approved in the national registry, serving "
        "%(provinces)s, working in %(fields)s."
    ) % {"provinces": provinces, "fields": fields}


def _award_criteria(call: Call) -> str:
    weights = ", ".join(
        f"{SelectionCriterion(name).label} {weight} %"
        for name, weight in call.criteria_weights.items()
    )
    return _("Weighted scores of the proposals: %(weights)s.") % {"weights": weights}


def _milestone(agreement: Agreement, tranche: Tranche, count: int) -> dict:
    if tranche.status == TS.PAID:
        status = "met"
    elif agreement.status in CLOSED:
        status = "notMet"
    else:
        status = "scheduled"
    milestone = {
        "id": f"{agreement.number}-T{tranche.seq}",
        "title": _("Tranche %(seq)s") % {"seq": tranche.seq},
        "type": "payment",
        "description": _("%(label)s: %(amount)s THB")
        % {"label": _tranche_label(tranche, count), "amount": f"{tranche.amount:,.2f}"},
        "status": status,
    }
    if tranche.planned_on:
        milestone["dueDate"] = _day_start(tranche.planned_on)
    if tranche.status == TS.PAID:
        milestone["dateMet"] = _day_start(tranche.paid_on or timezone.localdate(tranche.paid_at))
    return milestone


def _contract_parts(agreement: Agreement, card=EMPTY) -> tuple[dict, dict]:
    """The award to the CSO and the contract signed with it; the implementation carries the
    citizens' report card aggregates as a local extension field, ``citizenReportCard``
    (the release schema allows more properties; no registered OCDS extension covers it)."""
    buyer, supplier = _buyer(agreement.agency), _supplier(agreement.cso)
    period = {
        "startDate": _day_start(agreement.start_date),
        "endDate": _day_start(agreement.end_date),
    }
    tranches = list(agreement.tranches.all())
    award_id = f"{agreement.number}-award"
    variations = [v for v in agreement.variations.all() if v.status == "agreed"]
    award = {
        "id": award_id,
        "title": agreement.title,
        "status": "active",
        "date": _moment(agreement.created_at),
        # What was awarded: before any variation changed it (the contract has it now).
        "value": _value(_awarded_amount(agreement, variations)),
        "suppliers": [_ref(supplier)],
        "contractPeriod": _awarded_period(agreement, variations, period),
    }
    contract = {
        "id": agreement.number,
        "awardID": award_id,
        "title": agreement.title,
        "description": _description(agreement),
        "status": CONTRACT_STATUS.get(agreement.status, "active"),
        "period": period,
        "value": _value(agreement.amount),
        "dateSigned": _moment(agreement.signed_at),
        "implementation": {
            "milestones": [_milestone(agreement, t, len(tranches)) for t in tranches],
            "citizenReportCard": report_card_aggregates(card),
        },
    }
    transactions = [
        {
            "id": f"{agreement.number}-T{t.seq}-payment",
            "date": _day_start(t.paid_on or timezone.localdate(t.paid_at)),
            "value": _value(t.amount),
            "payer": _ref(buyer),
            "payee": _ref(supplier),
        }
        for t in _paid(agreement)
    ]
    if transactions:  # no empty list: the review tool remarks on one
        contract["implementation"]["transactions"] = transactions
    if variations:
        contract["amendments"] = [
            {
                "id": f"{agreement.number}-variation-{v.number}",
                "date": _moment(v.answered_at),
                "rationale": v.reason,
                "description": _amendment_description(v),
            }
            for v in variations
        ]
    return award, contract


def _awarded_amount(agreement: Agreement, variations) -> Decimal:
    for variation in variations:  # the first variation that changed it kept what it was
        if "amount" in variation.previous:
            return Decimal(variation.previous["amount"])
    return agreement.amount


def _awarded_period(agreement: Agreement, variations, period: dict) -> dict:
    awarded = dict(period)
    for name, key in (("start_date", "startDate"), ("end_date", "endDate")):
        first = next((v.previous[name] for v in variations if name in v.previous), None)
        if first:
            awarded[key] = _day_start(datetime.date.fromisoformat(first))
    return awarded


AMENDED_FIELDS = {
    "amount": "value.amount",
    "start_date": "period.startDate",
    "end_date": "period.endDate",
    "scope": "description",
    "targets": "targets",
    "tranches": "implementation.milestones.dueDate",
    "budget_lines": "budget lines",
}


def _amendment_description(variation) -> str:
    """The fields the variation changed, before and after, as a reader of the feed sees
    them (amounts in baht, dates ISO)."""
    parts = []
    for name, after in variation.changes.items():
        before = variation.previous.get(name)
        if name in {"amount", "start_date", "end_date"}:
            parts.append(f"{AMENDED_FIELDS[name]}: {before} → {after}")
        else:
            parts.append(AMENDED_FIELDS[name])
    return "; ".join(parts)


# The stages a call goes through, in order: each reached gives the call a release of its own.
STAGES = ("planning", "tender", "award", "contract", "implementation")


def _stage_dates(call: Call, agreements: list[Agreement], contracts: list[dict]) -> dict:
    """When the call reached each stage it has reached: planning once published (as a
    forecast or open), the tender once open, the award at the first offer signed, the
    contract at the latest signature, implementation at the latest payment."""
    dates = {"planning": call.forecast_at or call.published_at or call.created_at}
    if call.published_at is not None:
        dates["tender"] = call.published_at
    if agreements:
        dates["award"] = min(a.created_at for a in agreements)
        dates["contract"] = max(a.signed_at for a in agreements)
        paid = [t.paid_at for a in agreements for t in _paid(a)]
        if paid:
            dates["implementation"] = max(paid)
    return dates


def _planning(call: Call) -> dict:
    mission = call.mission
    return {
        "rationale": mission.description or mission.title_th,
        "budget": {
            "id": f"mission-{mission.pk}",
            "description": _("Total budget of the call"),
            "amount": _value(call.budget_total),
            "project": mission.title_th,
            "projectID": f"mission-{mission.pk}",
        },
    }


def _tender(call: Call, buyer: dict, tenderers: int | None) -> dict:
    tender = {
        "id": f"call-{call.pk}",
        "title": call.title,
        "description": call.description or call.title,
        "status": TENDER_STATUS.get(call.status, "active"),
        "procuringEntity": _ref(buyer),
        # What all the agreements under the call may add up to (each proposal has a ceiling).
        "value": _value(call.budget_total),
        "procurementMethod": "open",
        "procurementMethodDetails": _(
            "Public call for proposals: any civil society organisation approved in the "
            "national registry and eligible for the call may apply."
        ),
        "mainProcurementCategory": "services",
        "awardCriteria": "qualityOnly",
        "awardCriteriaDetails": _award_criteria(call),
        "submissionMethod": ["electronicSubmission"],
        "eligibilityCriteria": _eligibility(call),
        "tenderPeriod": {"startDate": _moment(call.opens_at), "endDate": _moment(call.closes_at)},
    }
    # Counted once submissions are over: an open call's count would move by the hour.
    if tenderers and call.status not in OPEN_FOR_SUBMISSIONS:
        tender["numberOfTenderers"] = tenderers
    return tender


def _without_payments(contract: dict) -> dict:
    """The contract as its signature left it: the implementation's milestones and report
    card, not yet its payments."""
    implementation = {k: v for k, v in contract["implementation"].items() if k != "transactions"}
    return {**contract, "implementation": implementation}


def call_releases(
    call: Call, agreements: list[Agreement], tenderers: int | None, cards=None
) -> list[dict]:
    """A call as OCDS: one release for each stage it has reached (planning, tender, award,
    contract, implementation), each with what was known by then as it stands now, under
    one ``ocid``. A release's id changes whenever what it says changes."""
    cards = cards or {}
    buyer = _buyer(call.agency)
    parties = {buyer["id"]: buyer}
    awards, contracts = [], []
    for agreement in agreements:
        if agreement.agency_id != call.agency_id:  # cannot happen today; keep both if it does
            other = _buyer(agreement.agency)
            parties.setdefault(other["id"], other)
        supplier = _supplier(agreement.cso)
        parties.setdefault(supplier["id"], supplier)
        award, contract = _contract_parts(agreement, cards.get(agreement.pk, EMPTY))
        awards.append(award)
        contracts.append(contract)
    dates = _stage_dates(call, agreements, contracts)
    ocds_id = ocid(call)
    amended = any("amendments" in c for c in contracts)
    releases = []
    for stage in STAGES:
        if stage not in dates:
            continue
        reached = STAGES.index(stage)
        release = {
            "ocid": ocds_id,
            "id": "",
            "date": _moment(dates[stage]),
            "tag": [stage] + (["contractAmendment"] if amended and reached >= 3 else []),
            "initiationType": "tender",
            "language": get_language() or "th",
            "parties": [buyer] if reached < 2 else list(parties.values()),
            "buyer": _ref(buyer),
            "planning": _planning(call),
        }
        if reached >= 1:
            release["tender"] = _tender(call, buyer, tenderers)
        if reached >= 2:
            release["awards"] = awards
        if reached == 3:
            release["contracts"] = [_without_payments(c) for c in contracts]
        elif reached == 4:
            release["contracts"] = contracts
        # The id is the content's fingerprint: whatever changes what the release says (a
        # payment, a renamed organisation, a new rating) gives it a new id, nothing else does.
        content = json.dumps(release, sort_keys=True, ensure_ascii=False).encode()
        release["id"] = f"{ocds_id}-{stage}-{hashlib.sha256(content).hexdigest()[:16]}"
        releases.append(release)
    return releases


def _agreements_by_call(agreements) -> dict[int, list[Agreement]]:
    groups: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in agreements:
        groups[_call(agreement).pk].append(agreement)
    return groups


def write_ocds_json(out, call_chunks, agreements_of, *, uri: str, base: str) -> int:
    """Write the OCDS 1.1 release package to the binary file ``out``: every published
    call's releases, one per stage it has reached, one chunk of calls at a time
    (``agreements_of(calls)`` gives a chunk's awarded agreements), with the portal's
    extension, publisher, licence and publication policy; returns the number of releases.
    With no call published yet the list is empty (the official schema asks for at least
    one release)."""
    head = {
        "uri": uri,
        "version": "1.1",
        "extensions": [extension_url(base)],
        "publisher": {"name": _publisher_name(), "uri": base},
        "license": settings.OPEN_DATA_LICENSE,
        "publicationPolicy": publication_policy_url(base),
    }
    out.write(_open_object(head) + b',"releases":[')
    tenderers = _tenderers_by_call()
    count, published = 0, None
    for calls in call_chunks:
        agreements = agreements_of(calls)
        cards = agreement_cards(a.pk for a in agreements)
        by_call = _agreements_by_call(agreements)
        for call in calls:
            for release in call_releases(
                call, by_call.get(call.pk, []), tenderers.get(call.pk), cards
            ):
                out.write(b"," if count else b"")
                out.write(_json(release))
                count += 1
                published = max(published or release["date"], release["date"])
    published = published or _moment(timezone.now().replace(microsecond=0))
    out.write(b'],"publishedDate":' + _json(published) + b"}")
    return count


OCDS_CSV_HEADER = [
    "ocid",
    "tender/title",
    "contracts/id",
    "contracts/title",
    "contracts/status",
    "buyer/id",
    "buyer/name",
    "supplier/id",
    "supplier/name",
    "contracts/value/amount",
    "contracts/value/currency",
    "contracts/dateSigned",
    "contracts/period/startDate",
    "contracts/period/endDate",
    "contracts/implementation/transactions/value/amount (total paid)",
    "contracts/implementation/transactions (count)",
]


def ocds_csv_row(agreement: Agreement) -> list:
    """One contract."""
    call = _call(agreement)
    return [
        ocid(call),
        call.title,
        agreement.number,
        agreement.title,
        CONTRACT_STATUS.get(agreement.status, "active"),
        agency_org_id(agreement.agency),
        agreement.agency.name_th,
        cso_org_id(agreement.cso),
        agreement.cso.name_th,
        f"{agreement.amount:.2f}",
        CURRENCY,
        _date(timezone.localdate(agreement.signed_at)),
        _date(agreement.start_date),
        _date(agreement.end_date),
        f"{_paid_total(agreement):.2f}",
        len(_paid(agreement)),
    ]


def write_ocds_csv(out, chunks) -> int:
    """Write one row per contract to the binary file ``out``, given chunks of awarded
    agreements in their calls' order; returns the number of rows."""
    return write_csv(out, OCDS_CSV_HEADER, (ocds_csv_row(a) for c in chunks for a in c))
