"""Open data: every awarded agreement as a 360Giving grant and as an OCDS contracting
process, in JSON and as CSV for spreadsheets. Pure builders over one prefetched queryset,
so the work costs the same handful of queries however many agreements there are.

What counts as awarded: an agreement the CSO has signed (``signed_at`` is set), so
``active``, ``completed`` and ``settled`` ones, and ``terminated`` ones that had been
signed, because money may already have been paid under them and open data must not lose
it. An ``offered`` agreement is not yet a grant (the CSO may still decline, and there is
no award date to give); ``declined`` never counts.

Identifiers (none of these prefixes is registered; each is local to this portal):

- Grants: ``360G-thcoprod-<agreement number>``, following the 360Giving guidance of a
  ``360G-`` publisher prefix before the funder's own grant number.
- A registered CSO: ``TH-TIN-<13-digit juristic person id>``. org-id.guide lists no code
  for the Department of Business Development's register; its Thai list is ``TH-TIN``, the
  Revenue Department's 13-digit tax identification number, which for a juristic person is
  the same 13-digit number (and which foundations and associations hold as well).
- An informal group (no juristic id) and an agency: the portal's own prefix,
  ``360G-thcoprod-CSO-<id>`` and ``360G-thcoprod-AGENCY-<id>``, as 360Giving advises for
  organisations without an external registration number. (``XI-`` codes are lists
  registered with org-id.guide, so the portal does not invent one.)
- OCDS: one contracting process per call (a call is one tender that may end in several
  awards), ``ocid`` ``ocds-thcoprod-call-<call id>``. Real OCDS prefixes (``ocds-`` and six
  characters) are assigned by the Open Contracting Partnership; this one is local.

Amounts are JSON numbers: a ``Decimal`` of at most 14 digits converts to a float and back
exactly (a double holds 15 significant digits), so no satang is lost.
"""

import csv
import datetime
import hashlib
import io
import json
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies.models import Agency, Mission
from contracts.models import Agreement, Call, Instrument, Proposal, Tranche
from csos.models import CSO
from portal.reference import OrgForm, SelectionCriterion

PREFIX_360 = "360G-thcoprod"
OCID_PREFIX = "ocds-thcoprod"
TIN_LIST = "TH-TIN"
CURRENCY = "THB"
COUNTRY = "TH"
GEO_CODE_TYPE = "TH-DOPA-PROVINCE"

AS = Agreement.Status
TS = Tranche.Status


# --- reads ---------------------------------------------------------------------------------


def awarded_agreements():
    """Every agreement the CSO signed, with all the open data needs fetched up front."""
    return (
        Agreement.objects.filter(signed_at__isnull=False)
        .exclude(status=AS.DECLINED)
        .select_related(
            "agency__province",
            "cso",
            "proposal__call__agency__province",
            "proposal__call__mission",
            "proposal__call__mission__activity_field",
        )
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.order_by("seq")),
            "cso__service_provinces",
            "proposal__call__mission__provinces",
            "proposal__call__eligible_provinces",
            "proposal__call__eligible_activity_fields",
        )
        .order_by("id")
    )


def data_version() -> str:
    """A cheap fingerprint of everything the open data shows, in one query: it changes when
    an agreement, a tranche, a payment, a CSO, a call, a proposal or a mission changes, so
    a cached file is never served after the data behind it moved."""
    q = connection.ops.quote_name
    agreement, tranche = q(Agreement._meta.db_table), q(Tranche._meta.db_table)
    parts = [
        f"(SELECT COUNT(*) FROM {agreement})",
        f"(SELECT MAX(updated_at) FROM {agreement})",
        f"(SELECT COUNT(*) FROM {tranche})",
        f"(SELECT COUNT(*) FROM {tranche} WHERE status = %s)",
        f"(SELECT MAX(paid_at) FROM {tranche})",
        f"(SELECT MAX(updated_at) FROM {q(CSO._meta.db_table)})",
        f"(SELECT MAX(updated_at) FROM {q(Call._meta.db_table)})",
        f"(SELECT MAX(updated_at) FROM {q(Proposal._meta.db_table)})",
        f"(SELECT MAX(updated_at) FROM {q(Mission._meta.db_table)})",
        f"(SELECT COUNT(*) FROM {q(Agency._meta.db_table)})",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), [TS.PAID])
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]


def _tenderers_by_call() -> dict[int, int]:
    """How many proposals each call with an awarded agreement received (one query)."""
    calls = (
        Agreement.objects.filter(signed_at__isnull=False)
        .exclude(status=AS.DECLINED)
        .values("proposal__call_id")
    )
    rows = (
        Proposal.objects.filter(call_id__in=calls, status__in=Proposal.SENT)
        .values("call_id")
        .annotate(n=Count("id"))
    )
    return {row["call_id"]: row["n"] for row in rows}


# --- shared pieces ---------------------------------------------------------------------------


def _number(amount: Decimal) -> float:
    return float(amount)


def _date(value: datetime.date) -> str:
    return value.isoformat()


def _moment(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _day_start(value: datetime.date) -> str:
    """A calendar date as the date-time OCDS wants: its start, Bangkok time."""
    return _moment(timezone.make_aware(datetime.datetime.combine(value, datetime.time.min)))


def _last_change(agreement: Agreement) -> datetime.datetime:
    moments = [agreement.updated_at]
    moments += [t.paid_at for t in agreement.tranches.all() if t.paid_at]
    return max(moments)


def _paid(agreement: Agreement) -> list[Tranche]:
    return [t for t in agreement.tranches.all() if t.status == TS.PAID]


def _paid_total(agreement: Agreement) -> Decimal:
    return sum((t.amount for t in _paid(agreement)), Decimal("0.00"))


def grant_id(agreement: Agreement) -> str:
    return f"{PREFIX_360}-{agreement.number}"


def cso_org_id(cso: CSO) -> str:
    if cso.registered and cso.juristic_id:
        return f"{TIN_LIST}-{cso.juristic_id}"
    return f"{PREFIX_360}-CSO-{cso.pk}"


def agency_org_id(agency: Agency) -> str:
    return f"{PREFIX_360}-AGENCY-{agency.pk}"


def _call(agreement: Agreement) -> Call:
    return agreement.proposal.call


def _provinces(agreement: Agreement) -> list:
    """Where the beneficiaries are: the mission's provinces, or where the CSO serves for a
    nationwide mission."""
    mission_provinces = list(_call(agreement).mission.provinces.all())
    return mission_provinces or list(agreement.cso.service_provinces.all())


def _tranche_label(tranche: Tranche, count: int) -> str:
    return _("Tranche %(seq)s of %(count)s (%(share)s %% of the agreement)") % {
        "seq": tranche.seq,
        "count": count,
        "share": f"{tranche.share_percent.normalize():f}",
    }


def _description(agreement: Agreement) -> str:
    return agreement.scope.strip() or agreement.proposal.summary.strip() or agreement.title


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A cell a spreadsheet shows as text: titles typed by users that start like a formula
    get a leading apostrophe, so opening the file runs nothing. (Amounts are never
    negative and dates start with a digit, so no real value is touched.)"""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Thai."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _publisher_name() -> str:
    return _("Co-production Portal")


# --- 360Giving -------------------------------------------------------------------------------


def _recipient(cso: CSO) -> dict:
    org = {"id": cso_org_id(cso), "name": cso.name_th, "addressCountry": COUNTRY}
    if cso.name_en:
        org["alternateName"] = cso.name_en
    org["organisationType"] = str(OrgForm(cso.org_form).label)
    return org


def _funder(agency: Agency) -> dict:
    org = {"id": agency_org_id(agency), "name": agency.name_th}
    if agency.name_en:
        org["alternateName"] = agency.name_en
    return org


def _locations(agreement: Agreement) -> list[dict]:
    provinces = _provinces(agreement)
    if not provinces:
        return [{"id": COUNTRY, "name": _("Thailand"), "countryCode": COUNTRY}]
    return [
        {
            # ISO 3166-2:TH subdivision codes are the DOPA codes with "TH-" in front.
            "id": f"{COUNTRY}-{p.code}",
            "name": p.name,
            "countryCode": COUNTRY,
            "geoCode": p.code,
            "geoCodeType": GEO_CODE_TYPE,
        }
        for p in provinces
    ]


def grant(agreement: Agreement) -> dict:
    """One agreement as a 360Giving grant."""
    call = _call(agreement)
    mission = call.mission
    funder, recipient = _funder(agreement.agency), _recipient(agreement.cso)
    tranches = list(agreement.tranches.all())
    data = {
        "id": grant_id(agreement),
        "title": agreement.title,
        "description": _description(agreement),
        "currency": CURRENCY,
        "amountAppliedFor": _number(agreement.proposal.requested_amount),
        "amountAwarded": _number(agreement.amount),
        "amountDisbursed": _number(_paid_total(agreement)),
        "awardDate": _date(timezone.localdate(agreement.signed_at)),
        "plannedDates": [
            {
                "startDate": _date(agreement.start_date),
                "endDate": _date(agreement.end_date),
            }
        ],
        "recipientOrganization": [recipient],
        "fundingOrganization": [funder],
        "beneficiaryLocation": _locations(agreement),
        "grantProgramme": [
            {
                "code": f"{PREFIX_360}-CALL-{call.pk}",
                "title": call.title,
                "description": call.description or call.title,
            }
        ],
        "fromOpenCall": "Yes",
        "classifications": [
            {
                "vocabulary": f"{PREFIX_360}-instrument",
                "code": agreement.kind,
                "title": str(Instrument(agreement.kind).label),
            },
            {
                "vocabulary": f"{PREFIX_360}-activity-field",
                "code": mission.activity_field.code,
                "title": mission.activity_field.name,
            },
        ],
        "disbursementTransaction": [
            {
                "id": f"{grant_id(agreement)}-T{t.seq}",
                "transactionDate": _date(t.paid_on or timezone.localdate(t.paid_at)),
                "currency": CURRENCY,
                "value": _number(t.amount),
                "description": _tranche_label(t, len(tranches)),
                "provider": funder["id"],
                "recipient": recipient["id"],
            }
            for t in _paid(agreement)
        ],
        "dateModified": _moment(_last_change(agreement)),
    }
    if not data["disbursementTransaction"]:
        del data["disbursementTransaction"]
    return data


def giving_package(agreements) -> dict:
    """The 360Giving 1.4 package. With no awarded agreement yet the list is empty (the
    official schema asks for at least one grant, so a validator flags that file)."""
    agreements = list(agreements)
    grants = [grant(a) for a in agreements]
    package = {
        "grants": grants,
        "version": "1.4",
        "identifier": f"{PREFIX_360}-grants",
        "title": _("Grants and contracts awarded to civil society organisations"),
        "publisher": {"name": _publisher_name()},
    }
    if agreements:
        package["modified"] = _moment(max(_last_change(a) for a in agreements))
    return package


GIVING_CSV_HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Alternate Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Beneficiary Location:Name",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "From An Open Call?",
    "Last Modified",
]


def giving_csv_rows(agreements) -> list[list]:
    """One row per grant under 360Giving's column titles. A grant benefiting several
    provinces lists their names and codes in one cell each, separated by "; "."""
    rows = []
    for agreement in agreements:
        g = grant(agreement)
        recipient, funder = g["recipientOrganization"][0], g["fundingOrganization"][0]
        locations = g["beneficiaryLocation"]
        rows.append(
            [
                g["id"],
                g["title"],
                g["description"],
                CURRENCY,
                f"{agreement.proposal.requested_amount:.2f}",
                f"{agreement.amount:.2f}",
                f"{_paid_total(agreement):.2f}",
                g["awardDate"],
                g["plannedDates"][0]["startDate"],
                g["plannedDates"][0]["endDate"],
                recipient["id"],
                recipient["name"],
                recipient.get("alternateName", ""),
                funder["id"],
                funder["name"],
                g["grantProgramme"][0]["code"],
                g["grantProgramme"][0]["title"],
                "; ".join(loc["name"] for loc in locations),
                "; ".join(loc.get("geoCode", "") for loc in locations if loc.get("geoCode")),
                GEO_CODE_TYPE if any(loc.get("geoCode") for loc in locations) else "",
                g["fromOpenCall"],
                g["dateModified"],
            ]
        )
    return rows


def giving_json(agreements) -> bytes:
    return _json(giving_package(agreements))


def giving_csv(agreements) -> bytes:
    return _csv(GIVING_CSV_HEADER, giving_csv_rows(agreements))


# --- OCDS ------------------------------------------------------------------------------------

TENDER_STATUS = {
    Call.Status.DRAFT: "planning",
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
    party["details"] = {"registered": cso.registered, "orgForm": cso.org_form}
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


def _contract_parts(agreement: Agreement) -> tuple[dict, dict]:
    """The award to the CSO and the contract signed with it."""
    buyer, supplier = _buyer(agreement.agency), _supplier(agreement.cso)
    period = {
        "startDate": _day_start(agreement.start_date),
        "endDate": _day_start(agreement.end_date),
    }
    tranches = list(agreement.tranches.all())
    award_id = f"{agreement.number}-award"
    award = {
        "id": award_id,
        "title": agreement.title,
        "status": "active",
        "date": _moment(agreement.created_at),
        "value": _value(agreement.amount),
        "suppliers": [_ref(supplier)],
        "contractPeriod": period,
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
            "transactions": [
                {
                    "id": f"{agreement.number}-T{t.seq}-payment",
                    "date": _day_start(t.paid_on or timezone.localdate(t.paid_at)),
                    "value": _value(t.amount),
                    "payer": _ref(buyer),
                    "payee": _ref(supplier),
                }
                for t in _paid(agreement)
            ],
        },
    }
    return award, contract


def release(call: Call, agreements: list[Agreement], tenderers: int | None) -> dict:
    """One call and the agreements awarded under it as one OCDS release."""
    mission = call.mission
    changed = max(max(_last_change(a) for a in agreements), call.updated_at)
    parties = {}
    buyer = _buyer(call.agency)
    parties[buyer["id"]] = buyer
    awards, contracts = [], []
    for agreement in agreements:
        if agreement.agency_id != call.agency_id:  # cannot happen today; keep both if it does
            other = _buyer(agreement.agency)
            parties.setdefault(other["id"], other)
        supplier = _supplier(agreement.cso)
        parties.setdefault(supplier["id"], supplier)
        award, contract = _contract_parts(agreement)
        awards.append(award)
        contracts.append(contract)
    paid_any = any(c["implementation"]["transactions"] for c in contracts)
    tender = {
        "id": f"call-{call.pk}",
        "title": call.title,
        "description": call.description or call.title,
        "status": TENDER_STATUS.get(call.status, "active"),
        "procuringEntity": _ref(buyer),
        # The ceiling applies to each proposal; the call sets no other total.
        "value": _value(call.budget_ceiling),
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
    if tenderers is not None:
        tender["numberOfTenderers"] = tenderers
    ocds_id = ocid(call)
    tags = ["planning", "tender", "award", "contract"] + (["implementation"] if paid_any else [])
    return {
        "ocid": ocds_id,
        "id": f"{ocds_id}-{timezone.localtime(changed).strftime('%Y%m%dT%H%M%S%f')}",
        "date": _moment(changed),
        "tag": tags,
        "initiationType": "tender",
        "language": get_language() or "th",
        "parties": list(parties.values()),
        "buyer": _ref(buyer),
        "planning": {
            "rationale": mission.description or mission.title_th,
            "budget": {
                "id": f"mission-{mission.pk}",
                "description": _("Budget ceiling per proposal under the call"),
                "amount": _value(call.budget_ceiling),
                "project": mission.title_th,
                "projectID": f"mission-{mission.pk}",
            },
        },
        "tender": tender,
        "awards": awards,
        "contracts": contracts,
    }


def _by_call(agreements) -> list[tuple[Call, list[Agreement]]]:
    groups: dict[int, list[Agreement]] = defaultdict(list)
    calls: dict[int, Call] = {}
    for agreement in agreements:
        call = _call(agreement)
        calls[call.pk] = call
        groups[call.pk].append(agreement)
    return [(calls[pk], groups[pk]) for pk in sorted(groups)]


def ocds_package(agreements, *, uri: str, tenderers: dict[int, int] | None = None) -> dict:
    """The OCDS 1.1 release package: one release per call with an awarded agreement. With
    none yet the list is empty (the official schema asks for at least one release)."""
    agreements = list(agreements)
    tenderers = tenderers if tenderers is not None else {}
    releases = [release(c, group, tenderers.get(c.pk)) for c, group in _by_call(agreements)]
    published = max((r["date"] for r in releases), default=None)
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": published or _moment(timezone.now().replace(microsecond=0)),
        "publisher": {"name": _publisher_name()},
        "releases": releases,
    }


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


def ocds_csv_rows(agreements) -> list[list]:
    """One row per contract."""
    rows = []
    for call, group in _by_call(agreements):
        for agreement in group:
            paid = _paid(agreement)
            rows.append(
                [
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
                    len(paid),
                ]
            )
    return rows


def ocds_json(agreements, *, uri: str) -> bytes:
    return _json(ocds_package(agreements, uri=uri, tenderers=_tenderers_by_call()))


def ocds_csv(agreements) -> bytes:
    return _csv(OCDS_CSV_HEADER, ocds_csv_rows(agreements))
