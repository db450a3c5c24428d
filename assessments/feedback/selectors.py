"""Reads of the citizens' feedback: the survey by its short code, an agreement's charter and
the report cards of an agreement, a CSO and an agency, each in a fixed number of queries
whatever the number of responses."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Max, Q, StdDev
from django.db.models.functions import TruncMonth
from django.http import Http404

from assessments.feedback import rules
from assessments.feedback.models import (
    Charter,
    Dimension,
    FeedbackResponse,
    Rating,
    Survey,
)
from contracts.agreements.models import Agreement
from contracts.report_cards import CardSummary, DimensionMean

MONTHS_SHOWN = 12  # the trend's latest months with answers


def survey_by_code(code: str) -> Survey:
    """The survey a short link or a QR code opens (any case), with its agreement; 404 for a
    code that names none."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        raise Http404
    try:
        return Survey.objects.select_related("agreement__agency", "agreement__cso").get(code=code)
    except Survey.DoesNotExist as exc:
        raise Http404 from exc


def survey_of(agreement) -> Survey | None:
    return Survey.objects.filter(agreement=agreement).first()


def charter_of(agreement) -> Charter | None:
    return (
        Charter.objects.select_related("agreed_by_agency", "agreed_by_cso")
        .filter(agreement=agreement)
        .first()
    )


def agreement_or_404(pk) -> Agreement:
    """An agreement with its agency and CSO, for the charter, whose own rule says who reads."""
    try:
        return Agreement.objects.select_related("agency", "cso").get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def public_agreement(pk) -> Agreement:
    """An agreement whose report card and charter anyone may read: one the CSO signed
    (as in the open data); 404 otherwise."""
    try:
        agreement = Agreement.objects.select_related("agency", "cso").get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not rules.has_public_card(agreement):
        raise Http404
    return agreement


def feedback_get(pk) -> FeedbackResponse:
    try:
        return FeedbackResponse.objects.select_related(
            "agreement__agency", "agreement__cso", "hidden_by"
        ).get(pk=pk)
    except (FeedbackResponse.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- report cards ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionRow:
    code: str
    name: str
    name_th: str
    name_en: str
    mean: Decimal | None
    low: Decimal | None
    high: Decimal | None
    responses: int


@dataclass(frozen=True)
class MonthRow:
    month: object  # a date, the month's first day
    responses: int
    mean: Decimal | None


@dataclass
class ReportCard:
    """What people said of a service: the number of answers, the mean per dimension with its
    95 % interval (Student's t), the overall rating by month, and the comments shown (a
    queryset to paginate) with how many were hidden."""

    responses: int
    dimensions: list[DimensionRow]
    by_month: list[MonthRow]
    comments: object
    hidden_comments: int
    agreements: int = 0
    last_answer_at: object = None
    overall: DimensionRow | None = field(default=None)


def _scope(*, agreement=None, cso=None, agency=None) -> Q:
    if agreement is not None:
        return Q(agreement_id=agreement.pk)
    if cso is not None:
        return Q(agreement__cso_id=cso.pk)
    return Q(agreement__agency_id=agency.pk)


def _ratings_scope(scope: Q) -> Q:
    return Q(**{f"response__{key}": value for key, value in scope.children})


def _dimension_rows(ratings) -> list[DimensionRow]:
    stats = {
        row["dimension"]: row
        for row in ratings.values("dimension").annotate(
            n=Count("id"), mean=Avg("score"), sd=StdDev("score", sample=True)
        )
    }
    rows = []
    for code in Dimension.values:
        if code not in stats:
            continue
        row = stats[code]
        mean, low, high = rules.mean_interval(row["n"], row["mean"], row["sd"])
        th, en = rules.dimension_names(code)
        rows.append(
            DimensionRow(code, str(Dimension(code).label), th, en, mean, low, high, row["n"])
        )
    return rows


def report_card(*, agreement=None, cso=None, agency=None) -> ReportCard:
    """The report card of one agreement, or of every agreement of a CSO or an agency: four
    queries, plus the comments' page when it is read."""
    scope = _scope(agreement=agreement, cso=cso, agency=agency)
    totals = FeedbackResponse.objects.filter(scope).aggregate(
        responses=Count("id"),
        hidden=Count("id", filter=Q(hidden_at__isnull=False) & ~Q(comment="")),
        agreements=Count("agreement", distinct=True),
        last=Max("created_at"),
    )
    ratings = Rating.objects.filter(_ratings_scope(scope))
    dimensions = _dimension_rows(ratings)
    months = list(
        ratings.filter(dimension=Dimension.OVERALL)
        .annotate(month=TruncMonth("response__created_at"))
        .values("month")
        .annotate(n=Count("id"), mean=Avg("score"))
        .order_by("-month")[:MONTHS_SHOWN]
    )
    by_month = [
        MonthRow(row["month"].date(), row["n"], rules.mean_interval(row["n"], row["mean"], 0)[0])
        for row in reversed(months)
    ]
    comments = (
        FeedbackResponse.objects.filter(scope, hidden_at__isnull=True)
        .exclude(comment="")
        .select_related("agreement")
        .order_by("-created_at", "-id")
    )
    return ReportCard(
        responses=totals["responses"],
        dimensions=dimensions,
        by_month=by_month,
        comments=comments,
        hidden_comments=totals["hidden"],
        agreements=totals["agreements"],
        last_answer_at=totals["last"],
        overall=next((d for d in dimensions if d.code == Dimension.OVERALL), None),
    )


def hidden_comments(agreement, limit: int = 50):
    """The hidden comments of an agreement, for its moderators to restore (newest first)."""
    return list(
        FeedbackResponse.objects.filter(agreement=agreement, hidden_at__isnull=False)
        .exclude(comment="")
        .select_related("hidden_by")
        .order_by("-hidden_at", "-id")[:limit]
    )


# --- summaries for contracts (contracts.report_cards) -----------------------------------------


def agreement_summaries(ids: list[int]) -> dict[int, CardSummary]:
    """Responses and the mean per dimension of each agreement in ``ids`` (two queries)."""
    responses = dict(
        FeedbackResponse.objects.filter(agreement_id__in=ids)
        .values("agreement_id")
        .annotate(n=Count("id"))
        .values_list("agreement_id", "n")
    )
    per_dimension: dict[int, dict[str, tuple]] = {}
    rows = (
        Rating.objects.filter(response__agreement_id__in=ids)
        .values("response__agreement_id", "dimension")
        .annotate(n=Count("id"), mean=Avg("score"))
    )
    for row in rows:
        mean = rules.mean_interval(row["n"], row["mean"], 0)[0]
        per_dimension.setdefault(row["response__agreement_id"], {})[row["dimension"]] = (
            mean,
            row["n"],
        )
    cards = {}
    for agreement_id, n in responses.items():
        dims = per_dimension.get(agreement_id, {})
        cards[agreement_id] = CardSummary(
            responses=n,
            mean=dims.get(Dimension.OVERALL, (None, 0))[0],
            dimensions=tuple(
                DimensionMean(code, *dims[code], label=str(Dimension(code).label))
                for code in Dimension.values
                if code in dims
            ),
            agreements=1,
        )
    return cards


def cso_summary(cso_id: int) -> CardSummary:
    """A CSO's record across its agreements: answers, rated agreements and the mean overall
    rating of all its answers (two queries)."""
    totals = FeedbackResponse.objects.filter(agreement__cso_id=cso_id).aggregate(
        n=Count("id"), agreements=Count("agreement", distinct=True)
    )
    overall = Rating.objects.filter(
        response__agreement__cso_id=cso_id, dimension=Dimension.OVERALL
    ).aggregate(n=Count("id"), mean=Avg("score"))
    return CardSummary(
        responses=totals["n"],
        mean=rules.mean_interval(overall["n"], overall["mean"], 0)[0],
        agreements=totals["agreements"],
    )


def feedback_version_columns() -> list[tuple[str, str, str]]:
    """What changes whenever an answer arrives, as columns of the open data's fingerprint
    query (its files are cached by it): the number of answers and the latest one. Only the
    model's own quoted table name goes into the SQL."""
    from django.db import connection

    table = connection.ops.quote_name(FeedbackResponse._meta.db_table)
    return [("COUNT(*)", table, ""), ("MAX(id)", table, "")]
