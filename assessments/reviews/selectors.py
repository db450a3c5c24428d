"""Reads of reviews: the ranking of a call's proposals (weighted scores, each evaluator's scores
side by side, disagreements and missing reviews, in a fixed number of queries), the feedback
a CSO reads, and an evaluator's calls and proposals."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from assessments.reviews import scoring
from assessments.reviews.models import Review
from assessments.reviews.permissions import conflict_of_interest
from contracts.calls.models import CRITERIA, Call
from contracts.proposals.models import Proposal
from contracts.proposals.rules import Standing, out_of_order_problems


@dataclass
class RankedProposal:
    proposal: Proposal
    score: Decimal | None
    reviews: list  # submitted, one per evaluator
    criterion_means: dict
    spreads: dict
    score_spread: Decimal | None
    missing: list = field(default_factory=list)  # evaluators who still owe a review
    rank: int | None = None
    standing: Standing | None = None  # as its selection would be judged

    @property
    def disputed(self) -> list[str]:
        """The criteria on which evaluators are ``SPREAD_ALERT`` points or more apart."""
        return [c for c, s in self.spreads.items() if s >= scoring.SPREAD_ALERT]

    @property
    def select_needs_reason(self) -> list[str]:
        """Why selecting it now needs a written reason (``out_of_order_problems``); empty
        when it follows the ranking or is decided already."""
        if self.standing is None or self.proposal.status not in Proposal.IN_REVIEW:
            return []
        return out_of_order_problems(self.standing)


def call_ranking(call: Call) -> list[RankedProposal]:
    """Every proposal sent to ``call``, best weighted score first; unscored ones last."""
    weights = call.criteria_weights
    panel = [a.evaluator for a in call.assignments.select_related("evaluator").order_by("id")]
    proposals = (
        # Concept notes are the officer's to answer; evaluators score full proposals.
        call.proposals.filter(status__in=Proposal.SENT, stage=Proposal.Stage.FULL)
        .select_related("cso")
        .prefetch_related(
            "cso__network_csos",
            "cso__networked_by",
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("evaluator").order_by("evaluator__username"),
            ),
        )
    )
    rows = []
    for p in proposals:
        reviews = list(p.reviews.all())
        submitted = [r for r in reviews if r.status == Review.Status.SUBMITTED]
        closed = {r.evaluator_id for r in reviews if r.status != Review.Status.DRAFT}
        missing = [e for e in panel if e.pk not in closed and not conflict_of_interest(e, p.cso)]
        weighted = [scoring.weighted_score(weights, r.scores) for r in submitted]
        for r, w in zip(submitted, weighted, strict=True):
            r.weighted = w
        rows.append(
            RankedProposal(
                proposal=p,
                score=scoring.mean(weighted),
                reviews=submitted,
                criterion_means={
                    c: scoring.mean(Decimal(r.scores[c]) for r in submitted) for c in CRITERIA
                },
                spreads=scoring.criterion_spreads(submitted),
                score_spread=(max(weighted) - min(weighted)) if len(weighted) > 1 else None,
                missing=missing,
            )
        )
    rows.sort(
        key=lambda r: (r.score is None, -(r.score or 0), r.proposal.submitted_at, r.proposal.pk)
    )
    previous, rank = None, 0
    for i, row in enumerate(rows, start=1):
        if row.score is None:
            break
        if row.score != previous:
            rank, previous = i, row.score
        row.rank = rank
    _judge_standings(rows)
    return rows


def _judge_standings(rows: list[RankedProposal]) -> None:
    """Each row's ``standing``: the ranks of the undecided proposals above it (every scored
    one for an unscored proposal) and the reviews it still misses."""
    undecided = [
        row.rank
        for row in rows
        if row.rank is not None and row.proposal.status in Proposal.IN_REVIEW
    ]
    for row in rows:
        above = [r for r in undecided if row.rank is None or r < row.rank]
        row.standing = Standing(
            rank=row.rank,
            ranked_above=tuple(sorted(above)),
            missing_reviews=len(row.missing),
            expected_reviews=len(row.reviews) + len(row.missing),
        )


def proposal_standing(proposal: Proposal) -> Standing:
    """Where ``proposal`` stands in its call's ranking (``contracts.proposals.rules`` reads
    it through ``standing_of`` when the officer selects)."""
    for row in call_ranking(proposal.call):
        if row.proposal.pk == proposal.pk:
            return row.standing
    return Standing(rank=None)


def proposal_feedback(proposal: Proposal) -> dict:
    """What the CSO reads after the decision: its mean score per criterion, its weighted
    score, and the evaluators' comments without their names."""
    submitted = list(
        proposal.reviews.filter(status=Review.Status.SUBMITTED).order_by("submitted_at", "id")
    )
    weights = proposal.call.criteria_weights
    return {
        "score": scoring.proposal_score(weights, submitted),
        "criteria": [
            {
                "code": c,
                "weight": weights[c],
                "mean": scoring.mean(Decimal(r.scores[c]) for r in submitted),
                "comments": [r.comments[c] for r in submitted if r.comments.get(c)],
            }
            for c in CRITERIA
        ],
        "comments": [r.comment for r in submitted if r.comment],
        "review_count": len(submitted),
    }


def review_for(proposal: Proposal, evaluator) -> Review | None:
    return Review.objects.filter(proposal=proposal, evaluator=evaluator).first()


def evaluator_proposals(user, calls) -> list[Proposal]:
    """The proposals sent to ``calls``, each with the evaluator's own review as
    ``own_reviews`` (0 or 1) and what the conflict-of-interest check reads, in a fixed
    number of queries."""
    return list(
        Proposal.objects.filter(call__in=calls, status__in=Proposal.SENT, stage=Proposal.Stage.FULL)
        .select_related("cso")
        .prefetch_related(
            "cso__network_csos",
            "cso__networked_by",
            Prefetch(
                "reviews", queryset=Review.objects.filter(evaluator=user), to_attr="own_reviews"
            ),
        )
        .order_by("call_id", "submitted_at", "pk")
    )


def evaluator_assignments(user):
    """The calls an evaluator sits on, with how many proposals wait and how many they have
    scored."""
    in_review = list(Proposal.IN_REVIEW)
    return (
        Call.objects.filter(assignments__evaluator=user)
        .select_related("agency")
        .annotate(
            n_waiting=Count("proposals", filter=Q(proposals__status__in=in_review), distinct=True),
            n_done=Count(
                "proposals__reviews",
                filter=Q(
                    proposals__reviews__evaluator=user,
                    proposals__reviews__status__in=[
                        Review.Status.SUBMITTED,
                        Review.Status.RECUSED,
                    ],
                ),
                distinct=True,
            ),
        )
        .order_by("closes_at", "id")
    )
