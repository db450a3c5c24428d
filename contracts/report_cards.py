"""What citizens said of an agreement's service, as contracts shows it: the open data, the
renewal and the new-award screens. The citizens' feedback and its report cards belong to
assessments (a layer above contracts), which registers how to read them when it starts
(AssessmentsConfig.ready), as it does the proposals' standing."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DimensionMean:
    code: str
    mean: Decimal | None
    responses: int
    label: str = ""  # the dimension's name in the reader's language


@dataclass(frozen=True)
class CardSummary:
    """The aggregates of a report card, never its comments: how many responses, the mean
    overall rating (1–5) and the mean per dimension."""

    responses: int
    mean: Decimal | None
    dimensions: tuple[DimensionMean, ...] = ()
    agreements: int = 0  # for a CSO's record: how many of its agreements were rated


EMPTY = CardSummary(responses=0, mean=None)


@dataclass(frozen=True)
class _Readers:
    agreements: Callable[[list[int]], dict[int, CardSummary]]
    cso: Callable[[int], CardSummary]
    version_columns: Callable[[], list[tuple[str, str, str]]]


_readers: _Readers | None = None


def register_report_card_readers(*, agreements, cso, version_columns) -> None:
    """``agreements(ids) -> {id: CardSummary}`` (a constant number of queries),
    ``cso(cso_id) -> CardSummary`` (its record across its agreements) and
    ``version_columns() -> [(expression, quoted table, where)]``: what changes whenever an
    answer arrives, read in the open data's one fingerprint query."""
    global _readers
    _readers = _Readers(agreements, cso, version_columns)


def agreement_cards(ids: Iterable[int]) -> dict[int, CardSummary]:
    """The summary of each agreement in ``ids`` (those without a response are absent)."""
    ids = list(ids)
    if _readers is None or not ids:
        return {}
    return _readers.agreements(ids)


def agreement_card(agreement_id: int) -> CardSummary:
    return agreement_cards([agreement_id]).get(agreement_id, EMPTY)


def cso_record(cso_id: int) -> CardSummary:
    if _readers is None:
        return EMPTY
    return _readers.cso(cso_id)


def version_columns() -> list[tuple[str, str, str]]:
    return _readers.version_columns() if _readers is not None else []
