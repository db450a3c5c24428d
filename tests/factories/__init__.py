"""factory_boy factories, one module per app. Users get their roles through ``UserRole`` rows;
CSOs, missions, calls, proposals and agreements are built through the real services, so an
object "in status X" got there the way a user's would, with its audit trail.

``from tests import factories; factories.CSOFactory(...)`` and ``from tests.factories import
CSOFactory`` both work: every factory and helper is re-exported here."""

from .agencies import AgencyFactory, MissionFactory, budget_round, citizen, open_consultation
from .assessments import WEIGHTS, make_call, ranked_call
from .contracts import (
    CallFactory,
    ProposalFactory,
    award,
    complete_answers,
    concept_note,
    selected_proposal,
    send_reports,
    two_stage_call,
)
from .csos import CSOFactory, bank_account_for, juristic_id
from .portal import (
    FILES,
    PASSWORD,
    ApiClientFactory,
    EvaluatorFactory,
    MemberFactory,
    OfficerFactory,
    ReviewerFactory,
    StaffAdminFactory,
    UserFactory,
    grant,
    sample_file,
)

__all__ = [
    "budget_round",
    "FILES",
    "PASSWORD",
    "WEIGHTS",
    "citizen",
    "open_consultation",
    "AgencyFactory",
    "ApiClientFactory",
    "CSOFactory",
    "CallFactory",
    "EvaluatorFactory",
    "MemberFactory",
    "MissionFactory",
    "OfficerFactory",
    "ProposalFactory",
    "ReviewerFactory",
    "StaffAdminFactory",
    "UserFactory",
    "award",
    "bank_account_for",
    "complete_answers",
    "concept_note",
    "two_stage_call",
    "grant",
    "juristic_id",
    "make_call",
    "ranked_call",
    "sample_file",
    "selected_proposal",
    "send_reports",
]
