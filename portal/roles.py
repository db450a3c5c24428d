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
    CITIZEN = "citizen", _("Citizen")


def has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and role in user.roles)


def has_scope(user, scope: str) -> bool:
    """An API client (another government system) granted ``scope``."""
    if not has_role(user, Role.API_CLIENT):
        return False
    client = getattr(user, "api_client", None)
    return bool(client and scope in (client.scopes or []))


def is_verified_participant(user) -> bool:
    """May take part (vote in a poll, answer a consultation): an active account that is a
    citizen with a verified email address, or a CSO member or agency officer (vetted when
    their organisation or agency took them on, so counted as verified)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if has_role(user, Role.CSO_MEMBER) or has_role(user, Role.AGENCY_OFFICER):
        return True
    return has_role(user, Role.CITIZEN) and getattr(user, "email_verified_at", None) is not None


class CsoRole(models.TextChoices):
    """A member's role in their organisation: only a signatory signs agreements."""

    MEMBER = "member", _("Member")
    SIGNATORY = "signatory", _("Signatory")


def is_cso_signatory(user, cso_id) -> bool:
    return bool(
        has_role(user, Role.CSO_MEMBER)
        and cso_id is not None
        and user.cso_id == cso_id
        and user.cso_role == CsoRole.SIGNATORY
    )


def is_agency_admin(user, agency_id) -> bool:
    """The agency admin: an officer of the agency whose user record is flagged
    ``agency_admin`` (by a staff admin in the Django admin). Invites the agency's officers."""
    return bool(
        has_role(user, Role.AGENCY_OFFICER)
        and agency_id is not None
        and user.agency_id == agency_id
        and user.agency_admin
    )


def is_grievance_verifier(user) -> bool:
    """Who checks citizens' grievances and routes them (or rejects one as out of scope): a
    staff administrator, or an agency officer flagged ``complaints_officer`` (by a staff
    admin in the Django admin). Verifiers see every grievance."""
    if has_role(user, Role.STAFF_ADMIN):
        return True
    return bool(has_role(user, Role.AGENCY_OFFICER) and getattr(user, "complaints_officer", False))
