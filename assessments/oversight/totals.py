"""The public totals: by province and by agency, money committed and paid, agreements, the
average satisfaction and grievances received and answered on time. Eight aggregate queries
whatever the amount of data.

A project counts in each province its mission serves (so a province's money is that of the
projects serving it, and provinces do not add up to the national total); a grievance counts
in the province and the agency it names."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum

from assessments.feedback.models import Dimension, Rating
from assessments.grievances.models import Grievance
from contracts.agreements.models import Agreement, Tranche

from .selectors import AS

PROVINCE = "proposal__call__mission__provinces__code"


@dataclass
class Totals:
    committed: Decimal = Decimal("0.00")
    paid: Decimal = Decimal("0.00")
    agreements: int = 0
    satisfaction: Decimal | None = None
    grievances: int = 0
    answered: int = 0
    answered_on_time: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def on_time_percent(self) -> int | None:
        return round(self.answered_on_time * 100 / self.answered) if self.answered else None


def _signed():
    return Agreement.objects.filter(signed_at__isnull=False).exclude(status=AS.DECLINED)


def _fold(totals: dict, rows, key, **names):
    for row in rows:
        if row[key] is None:
            continue
        entry = totals.setdefault(row[key], Totals())
        for attr, column in names.items():
            value = row[column]
            setattr(entry, attr, value if value is not None else getattr(entry, attr))


def _grievances(group: str) -> list[dict]:
    on_time = Q(responded_at__isnull=False, responded_at__date__lte=F("respond_by"))
    return list(
        Grievance.objects.filter(merged_into__isnull=True)
        .values(group)
        .annotate(
            n=Count("pk"),
            answered=Count("pk", filter=Q(responded_at__isnull=False)),
            on_time=Count("pk", filter=on_time),
        )
    )


def totals_by(group: str) -> dict:
    """``group``: "province" (by DOPA code) or "agency" (by id)."""
    agreement_key = PROVINCE if group == "province" else "agency_id"
    totals: dict = {}
    _fold(
        totals,
        _signed().values(agreement_key).annotate(n=Count("pk", distinct=True), s=Sum("amount")),
        agreement_key,
        agreements="n",
        committed="s",
    )
    paid_key = f"agreement__{agreement_key}"
    _fold(
        totals,
        Tranche.objects.filter(status=Tranche.Status.PAID, agreement__in=_signed().values("pk"))
        .values(paid_key)
        .annotate(s=Sum("amount")),
        paid_key,
        paid="s",
    )
    rating_key = f"response__agreement__{agreement_key}"
    _fold(
        totals,
        Rating.objects.filter(dimension=Dimension.OVERALL)
        .values(rating_key)
        .annotate(mean=Avg("score")),
        rating_key,
        satisfaction="mean",
    )
    grievance_key = "province__code" if group == "province" else "agency_id"
    _fold(
        totals,
        _grievances(grievance_key),
        grievance_key,
        grievances="n",
        answered="answered",
        answered_on_time="on_time",
    )
    for entry in totals.values():
        if entry.satisfaction is not None:
            entry.satisfaction = Decimal(entry.satisfaction).quantize(Decimal("0.1"))
    return totals
