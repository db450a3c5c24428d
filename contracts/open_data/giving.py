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

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from contracts.agreements.models import Agreement
from contracts.calls.models import Instrument
from contracts.open_data.common import (
    COUNTRY,
    CURRENCY,
    GEO_CODE_TYPE,
    PREFIX_360,
    _call,
    _date,
    _description,
    _json,
    _last_change,
    _moment,
    _number,
    _open_object,
    _paid,
    _paid_total,
    _provinces,
    _publisher_name,
    _tranche_label,
    agency_org_id,
    cso_org_id,
    grant_id,
    report_card_aggregates,
    write_csv,
)
from contracts.report_cards import EMPTY, agreement_cards
from csos.models import CSO
from portal.reference import OrgForm

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


def grant(agreement: Agreement, card=None) -> dict:
    """One agreement as a 360Giving grant; with its report ``card``, the citizens' report
    card aggregates in ``additional_data`` (the grant schema allows more properties)."""
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
    if card is not None:
        data["additional_data"] = {"citizenReportCard": report_card_aggregates(card)}
    return data


def write_giving_json(out, chunks, *, base: str) -> int:
    """Write the 360Giving 1.4 package to the binary file ``out``, one chunk of awarded
    agreements at a time (memory stays flat however many there are), with its publisher
    (the portal at ``base``) and licence; returns the number of grants. With no awarded
    agreement yet the list is empty (the official schema asks for at least one grant, so
    a validator flags that file)."""
    head = {
        "version": "1.4",
        "identifier": f"{PREFIX_360}-grants",
        "title": _("Grants and contracts awarded to civil society organisations"),
        "publisher": {"name": _publisher_name(), "website": base},
        "license": settings.OPEN_DATA_LICENSE,
    }
    out.write(_open_object(head) + b',"grants":[')
    count, modified = 0, None
    for chunk in chunks:
        cards = agreement_cards(a.pk for a in chunk)
        for agreement in chunk:
            out.write(b"," if count else b"")
            out.write(_json(grant(agreement, cards.get(agreement.pk, EMPTY))))
            count += 1
            changed = _last_change(agreement)
            modified = changed if modified is None else max(modified, changed)
    out.write(b"]")
    if modified is not None:
        out.write(b',"modified":' + _json(_moment(modified)))
    out.write(b"}")
    return count


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


def giving_csv_row(agreement: Agreement) -> list:
    """One grant under 360Giving's column titles. A grant benefiting several provinces lists
    their names and codes in one cell each, separated by "; "."""
    g = grant(agreement)
    recipient, funder = g["recipientOrganization"][0], g["fundingOrganization"][0]
    locations = g["beneficiaryLocation"]
    return [
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


def write_giving_csv(out, chunks) -> int:
    """Write one row per grant to the binary file ``out``; returns the number of rows."""
    return write_csv(out, GIVING_CSV_HEADER, (giving_csv_row(a) for c in chunks for a in c))
