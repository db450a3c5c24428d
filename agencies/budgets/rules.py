"""The round's counting rule, as a pure function anyone can re-run on the published count:
approval voting within the envelope. Projects are taken in order of votes (most first, ties
broken by the round's tie-break); each one that still fits what is left of the envelope is
selected, one that does not fit is skipped and the count goes on to the next."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Counted:
    pk: int
    cost: Decimal
    votes: int
    created_order: int  # earlier proposals first


@dataclass(frozen=True)
class Outcome:
    pk: int
    rank: int
    selected: bool
    running_total: Decimal  # the selected projects' cost so far, this one included if selected


def order(projects: list[Counted], tie_break: str) -> list[Counted]:
    if tie_break == "earlier":
        return sorted(projects, key=lambda p: (-p.votes, p.created_order))
    return sorted(projects, key=lambda p: (-p.votes, p.cost, p.created_order))


def select_within_envelope(
    projects: list[Counted], envelope: Decimal, tie_break: str
) -> list[Outcome]:
    remaining, total, outcomes = envelope, Decimal("0"), []
    for rank, project in enumerate(order(projects, tie_break), 1):
        fits = project.votes > 0 and project.cost <= remaining
        if fits:
            remaining -= project.cost
            total += project.cost
        outcomes.append(Outcome(project.pk, rank, fits, total))
    return outcomes
