"""The app's models, defined in its sub-packages (app label ``csos``)."""

from .registration.models import CSO, CSODocument

__all__ = ["CSO", "CSODocument"]
