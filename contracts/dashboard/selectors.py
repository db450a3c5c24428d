"""The agency dashboard's numbers: agreements by status, money committed / released / paid /
refunded by month and by instrument, proposals per call, and the average days from
submission to decision and from release to payment. Each figure is one grouped query,
whatever the number of rows; sums are Decimals, exact."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from contracts.agreements.models import Agreement, MoneyMovement, Settlement, Tranche
from contracts.calls.models import Call, Instrument
from contracts.proposals.models import Proposal

FLOWS = ("committed", "released", "paid", "refunded")
ZERO = Decimal("0.00")
CALLS_SHOWN = 20


@dataclass
class Dashboard:
    by_status: list[tuple[str, int, Decimal]]  # (status label, agreements, amount)
    by_month: list[tuple[datetime.date, dict]]  # (first of month, {flow: Decimal})
    by_instrument: list[tuple[str, dict]]  # (instrument label, {flow: Decimal})
    per_call: list[tuple[str, int]]  # (call title, proposals sent)
    days_to_decision: Decimal | None
    days_to_payment: Decimal | None
    totals: dict = field(default_factory=dict)


def _in(qs, agency_id, path):
    return qs if agency_id is None else qs.filter(**{path: agency_id})


def _days(duration) -> Decimal | None:
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


def agency_dashboard(agency_id: int | None) -> Dashboard:
    """The dashboard of one agency (None: every agency)."""
    agreements = _in(Agreement.objects.all(), agency_id, "agency_id")
    status_labels = dict(Agreement.Status.choices)
    by_status = [
        (status_labels[r["status"]], r["n"], r["amount"] or ZERO)
        for r in agreements.values("status")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by("status")
    ]

    months: dict = defaultdict(lambda: dict.fromkeys(FLOWS, ZERO))
    instruments: dict = defaultdict(lambda: dict.fromkeys(FLOWS, ZERO))

    def add(flow, month, kind, amount):
        months[month.date() if hasattr(month, "date") else month][flow] += amount or ZERO
        instruments[kind][flow] += amount or ZERO

    for r in (
        agreements.filter(signed_at__isnull=False)
        .annotate(month=TruncMonth("signed_at"))
        .values("month", "kind")
        .annotate(total=Sum("amount"))
    ):
        add("committed", r["month"], r["kind"], r["total"])
    movements = _in(MoneyMovement.objects.all(), agency_id, "tranche__agreement__agency_id")
    for r in (
        movements.annotate(month=TruncMonth("at"))
        .values("month", "kind", "tranche__agreement__kind")
        .annotate(total=Sum("amount"))
    ):
        flow = "released" if r["kind"] == MoneyMovement.Kind.RELEASE else "paid"
        add(flow, r["month"], r["tranche__agreement__kind"], r["total"])
    settlements = _in(Settlement.objects.all(), agency_id, "agreement__agency_id")
    for r in (
        settlements.filter(refund_due__gt=0)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month", "agreement__kind")
        .annotate(total=Sum("refund_due"))
    ):
        add("refunded", r["month"], r["agreement__kind"], r["total"])

    instrument_labels = dict(Instrument.choices)
    calls = _in(Call.objects.all(), agency_id, "agency_id")
    per_call = [
        (c.title, c.n_sent)
        for c in calls.annotate(
            n_sent=Count("proposals", filter=Q(proposals__status__in=Proposal.SENT))
        ).order_by("-created_at", "-pk")[:CALLS_SHOWN]
    ]
    decided = _in(
        Proposal.objects.filter(decided_at__isnull=False, submitted_at__isnull=False),
        agency_id,
        "call__agency_id",
    ).aggregate(avg=Avg(F("decided_at") - F("submitted_at")))["avg"]
    paid = _in(
        Tranche.objects.filter(paid_at__isnull=False, released_at__isnull=False),
        agency_id,
        "agreement__agency_id",
    ).aggregate(avg=Avg(F("paid_at") - F("released_at")))["avg"]
    totals = dict.fromkeys(FLOWS, ZERO)
    for values in months.values():
        for flow in FLOWS:
            totals[flow] += values[flow]
    return Dashboard(
        by_status=by_status,
        by_month=sorted(months.items()),
        by_instrument=[
            (instrument_labels.get(kind, kind), values)
            for kind, values in sorted(instruments.items())
        ],
        per_call=per_call,
        days_to_decision=_days(decided),
        days_to_payment=_days(paid),
        totals=totals,
    )
