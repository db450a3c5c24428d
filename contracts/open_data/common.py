"""What the 360Giving and OCDS builders share: identifiers, dates, amounts, JSON and CSV."""

import csv
import datetime
import io
import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from contracts.agreements.models import Agreement, Tranche
from contracts.calls.models import Call
from contracts.report_cards import CardSummary
from csos.models import CSO

OCID_PREFIX = "ocds-thcoprod"


TIN_LIST = "TH-TIN"


CURRENCY = "THB"


COUNTRY = "TH"


GEO_CODE_TYPE = "TH-DOPA-PROVINCE"


AS = Agreement.Status


TS = Tranche.Status


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


def _open_object(head: dict) -> bytes:
    """``head`` as a JSON object left open, so more members can be written after it."""
    return _json(head).removesuffix(b"}")


def write_csv(out, header: list[str], rows) -> int:
    """Write ``header`` and ``rows`` to the binary file ``out`` as CSV in UTF-8 with a
    byte-order mark, so Excel shows Thai; returns the number of rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        count += 1
    text.detach()  # leave ``out`` open for whoever passed it
    return count


def _publisher_name() -> str:
    return _("Co-production Portal")


def publication_policy_url(base: str) -> str:
    """Where the publication policy is read: the setting, else the portal's open-data page."""
    return settings.OPEN_DATA_PUBLICATION_POLICY or base.rstrip("/") + reverse("open-data")


PREFIX_360 = "360G-thcoprod"


def report_card_aggregates(card: CardSummary) -> dict:
    """An agreement's citizen report card as open data: how many people answered and the
    mean rating (1 to 5) per dimension with its number of answers. Never a comment, never
    anything about who answered."""
    data = {"responses": card.responses, "scale": {"min": 1, "max": 5}}
    if card.mean is not None:
        data["meanOverall"] = _number(card.mean)
    dimensions = [
        {"code": d.code, "mean": _number(d.mean), "responses": d.responses}
        for d in card.dimensions
        if d.mean is not None
    ]
    if dimensions:  # none rated yet: left out, not an empty list
        data["dimensions"] = dimensions
    return data
