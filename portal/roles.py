"""The one role model shared by the web UI, the API and the tests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    CSO_MEMBER = "cso_member", _("CSO member")
    COMMITTEE_REVIEWER = "committee_reviewer", _("Committee reviewer")
    EVALUATOR = "evaluator", _("Evaluator")
    API_CLIENT = "api_client", _("API client")
    STAFF_ADMIN = "staff_admin", _("Staff administrator")


def has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and role in user.roles)


def has_scope(user, scope: str) -> bool:
    """An API client (another government system) granted ``scope``."""
    if not has_role(user, Role.API_CLIENT):
        return False
    client = getattr(user, "api_client", None)
    return bool(client and scope in (client.scopes or []))
