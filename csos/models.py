"""The app's models, defined in its sub-packages (app label ``csos``)."""

from .bank.models import BankAccount
from .networks.models import Network, NetworkMember
from .registration.models import CSO, CSODocument

__all__ = ["CSO", "BankAccount", "CSODocument", "Network", "NetworkMember"]
