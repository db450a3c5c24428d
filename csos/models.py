"""The app's models, defined in its sub-packages (app label ``csos``)."""

from .actioncontracts.models import ActionContract, ContractParty, ProgressUpdate
from .bank.models import BankAccount
from .localissues.models import LocalIssue
from .networks.models import (
    GroupDecision,
    GroupMeeting,
    GroupSeat,
    Network,
    NetworkGroup,
    NetworkMember,
)
from .registration.models import CSO, CSODocument

__all__ = [
    "CSO",
    "ActionContract",
    "BankAccount",
    "CSODocument",
    "ContractParty",
    "GroupDecision",
    "GroupMeeting",
    "GroupSeat",
    "LocalIssue",
    "Network",
    "NetworkGroup",
    "NetworkMember",
    "ProgressUpdate",
]
