"""The arithmetic of selection, in one place: a review's weighted score is
Σ weight × score / 5 over the five criteria (0–100 when the weights sum to 100), and a
proposal's score is the mean of its submitted reviews' weighted scores."""

from decimal import ROUND_HALF_UP, Decimal

from contracts.calls.models import CRITERIA

MAX_SCORE = 5
CENT = Decimal("0.01")
# Two evaluators this many points apart on one criterion (0–5) disagree enough to discuss.
SPREAD_ALERT = 2


def weighted_score(weights: dict[str, int], scores: dict[str, int]) -> Decimal:
    """Exact: the weights are whole numbers and the scores 0–5, so the result is a
    multiple of 0.2."""
    total = sum(Decimal(weights[c]) * Decimal(scores[c]) for c in CRITERIA)
    return (total / MAX_SCORE).quantize(CENT)


def mean(values) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def proposal_score(weights: dict[str, int], reviews) -> Decimal | None:
    """The mean weighted score of the submitted ``reviews``; None before the first."""
    return mean(weighted_score(weights, r.scores) for r in reviews)


def criterion_spreads(reviews) -> dict[str, int]:
    """Highest minus lowest score per criterion across the evaluators (0 with fewer than 2)."""
    spreads = {}
    for c in CRITERIA:
        values = [r.scores[c] for r in reviews]
        spreads[c] = max(values) - min(values) if len(values) > 1 else 0
    return spreads
