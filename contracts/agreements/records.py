"""What the layers above know of an agreement and of its organisation that the renewal and
award screens show beside the decision (the citizens' grievance record, the report card):
each reader is registered by its app when it starts (``AssessmentsConfig.ready``), so
contracts shows them without importing assessments."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Record:
    """One panel: a heading and (label, value) rows, public figures only."""

    key: str
    title: str
    rows: list[tuple[str, str]]


_agreement_readers: list[Callable] = []
_cso_readers: list[Callable] = []


def register_record_readers(*, agreement: Callable | None = None, cso: Callable | None = None):
    """``agreement(agreement) -> Record`` and ``cso(cso) -> Record``, each registered once."""
    if agreement is not None and agreement not in _agreement_readers:
        _agreement_readers.append(agreement)
    if cso is not None and cso not in _cso_readers:
        _cso_readers.append(cso)


def agreement_records(agreement) -> list[Record]:
    return [read(agreement) for read in _agreement_readers]


def cso_records(cso) -> list[Record]:
    return [read(cso) for read in _cso_readers]
