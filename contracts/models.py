"""The models of contracts, one sub-package per noun: calls for proposals, the proposals CSOs
send in answer, and the agreements (tranches, reports, settlement) an award becomes. Imported
here so the app label, the tables and the migrations stay as they are."""

from contracts.agreements.models import (
    Agreement,
    MoneyMovement,
    ProgressReport,
    Settlement,
    Tranche,
)
from contracts.calls.models import (
    CRITERIA,
    Call,
    CallAddendum,
    CallEvaluator,
    CallQuestion,
    Instrument,
    SavedSearch,
)
from contracts.open_data.models import Export
from contracts.proposals.models import BudgetLine, Proposal, ProposalDocument

__all__ = [
    "SavedSearch",
    "CallAddendum",
    "CallQuestion",
    "CRITERIA",
    "Agreement",
    "BudgetLine",
    "Call",
    "Export",
    "CallEvaluator",
    "Instrument",
    "MoneyMovement",
    "ProgressReport",
    "Proposal",
    "ProposalDocument",
    "Settlement",
    "Tranche",
]
