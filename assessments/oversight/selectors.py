"""The public reads of funded projects: agreements the CSO signed, with the money, progress
and citizens' figures each page shows, in a fixed number of queries."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from assessments.evaluations.models import Evaluation
from assessments.feedback import selectors as feedback_selectors
from assessments.grievances import selectors as grievance_selectors
from assessments.grievances.models import Grievance
from contracts.agreements.models import Agreement, ProgressReport, Tranche
from portal.lists import having_related

AS = Agreement.Status
TS = Tranche.Status
MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def funded_projects():
    """Every agreement its CSO signed (declined ones never ran), newest first. The money
    released and paid comes with ``project_get`` and, for a page of them, ``money_of``:
    summed over every agreement, it cost a list 300 ms at national size."""
    return (
        Agreement.objects.filter(signed_at__isnull=False)
        .exclude(status=AS.DECLINED)
        .select_related("agency", "cso", "proposal__call__mission__activity_field")
        .order_by("-signed_at", "-id")
    )


RELEASED = Q(tranches__status__in=[TS.RELEASED, TS.PAID])
PAID = Q(tranches__status=TS.PAID)


def money_of(ids) -> dict[int, tuple[Decimal, Decimal]]:
    """(released, paid) of each agreement in ``ids``, in one query."""
    rows = (
        Agreement.objects.filter(pk__in=ids)
        .annotate(
            released=Coalesce(Sum("tranches__amount", filter=RELEASED), ZERO),
            paid=Coalesce(Sum("tranches__amount", filter=PAID), ZERO),
        )
        .values_list("pk", "released", "paid")
    )
    return {pk: (released, paid) for pk, released, paid in rows}


def filter_projects(
    qs, *, search="", province="", agency="", activity_field="", instrument="", status=""
):
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(cso__name_th__icontains=search)
            | Q(cso__name_en__icontains=search)
            | Q(number__iexact=search)
            | Q(agency__name_th__icontains=search)
        )
    if province:
        qs = having_related(qs, "proposal__call__mission__provinces__code", province)
    if agency:
        qs = qs.filter(agency_id=agency)
    if activity_field:
        qs = qs.filter(proposal__call__mission__activity_field__code=activity_field)
    if instrument:
        qs = qs.filter(kind=instrument)
    if status:
        qs = qs.filter(status=status)
    return qs


def project_get(pk: int) -> Agreement:
    project = funded_projects().get(pk=pk)
    project.released, project.paid = money_of([pk])[pk]
    return project


_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _number(text) -> Decimal | None:
    match = _NUMBER.search(str(text or ""))
    if not match:
        return None
    return Decimal(match.group(0).replace(",", ""))


@dataclass(frozen=True)
class Progress:
    report: ProgressReport | None
    rows: list[dict]  # indicator, target, actual, percent (None where not a number)
    percent: int | None  # the mean of the indicators' percents, 0–100


def progress(agreement) -> Progress:
    """Progress against the targets, from the latest accepted report: each indicator's result
    as a share of its target where both are numbers (capped at 100 %)."""
    report = (
        agreement.reports.filter(status=ProgressReport.Status.ACCEPTED).order_by("-seq").first()
    )
    if report is None:
        return Progress(None, [], None)
    rows, percents = [], []
    for row in report.indicators or []:
        target, actual = _number(row.get("target")), _number(row.get("actual"))
        percent = None
        if target and target > 0 and actual is not None:
            percent = int(min(Decimal(100), max(Decimal(0), actual / target * 100)))
            percents.append(percent)
        rows.append({**row, "percent": percent})
    mean = round(sum(percents) / len(percents)) if percents else None
    return Progress(report, rows, mean)


def milestones(agreement) -> tuple[list[dict], list[dict]]:
    """(done, next): tranches released or paid and reports accepted; then what comes next,
    the earliest first."""
    done, upcoming = [], []
    for tranche in agreement.tranches.order_by("seq"):
        item = {"kind": "tranche", "obj": tranche}
        if tranche.status in (TS.RELEASED, TS.PAID):
            done.append({**item, "on": tranche.paid_on or tranche.released_at})
        else:
            upcoming.append({**item, "on": tranche.planned_on})
    for report in agreement.reports.exclude(status=ProgressReport.Status.CANCELLED).order_by("seq"):
        item = {"kind": "report", "obj": report}
        if report.status == ProgressReport.Status.ACCEPTED:
            done.append({**item, "on": report.reviewed_at})
        else:
            upcoming.append({**item, "on": report.due_on})
    return done, upcoming[:3]


def evaluations_done(agreement):
    return Evaluation.objects.filter(
        agreement=agreement, status=Evaluation.Status.SUBMITTED
    ).order_by("-submitted_at")


def citizens(agreement) -> dict:
    """What citizens said (the report card's summary) and their grievances by status."""
    summary = feedback_selectors.agreement_summaries([agreement.pk]).get(agreement.pk)
    return {
        "report_card": summary,
        "grievances": grievance_selectors.counts_by_status(
            Grievance.objects.filter(agreement=agreement)
        ),
    }


def grievance_totals(ids) -> dict[int, int]:
    """Grievances received per agreement (merged ones counted in the one they joined)."""
    rows = (
        Grievance.objects.filter(agreement_id__in=ids, merged_into__isnull=True)
        .values("agreement_id")
        .annotate(n=Count("pk"))
    )
    return {row["agreement_id"]: row["n"] for row in rows}
