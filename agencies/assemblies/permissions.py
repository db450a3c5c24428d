"""Who may do what with a citizens' assembly, and when: ``(allowed, reason)`` each."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role, is_verified_participant
from portal.workflow import NotNow

from .models import Assembly

AS = Assembly.Status


def can_manage(user, agency_id):
    """The owner agency's officers organise its assemblies."""
    if has_role(user, Role.AGENCY_OFFICER) and agency_id and user.agency_id == agency_id:
        return True, ""
    return False, _("Only the agency's officers organise its citizens' assemblies.")


def can_draw(user, assembly):
    allowed, reason = can_manage(user, assembly.owner_agency_id)
    if not allowed:
        return allowed, reason
    if assembly.status != AS.RECRUITING:
        return False, NotNow(_("The members have been drawn already."))
    return True, ""


def can_record(user, assembly):
    """Sessions and recommendations, once the members are drawn and until the report."""
    allowed, reason = can_manage(user, assembly.owner_agency_id)
    if not allowed:
        return allowed, reason
    if assembly.status not in (AS.DRAWN, AS.MEETING):
        return False, NotNow(_("Sessions are recorded once the members are drawn."))
    return True, ""


def can_report(user, assembly):
    allowed, reason = can_manage(user, assembly.owner_agency_id)
    if not allowed:
        return allowed, reason
    if assembly.status != AS.MEETING:
        return False, NotNow(_("Only an assembly that has met can report."))
    return True, ""


def can_volunteer(user, assembly):
    if not is_verified_participant(user) or has_role(user, Role.API_CLIENT):
        return False, _("Only an account with a verified email address can volunteer.")
    if assembly.status != AS.RECRUITING:
        return False, NotNow(_("This assembly is not taking volunteers now."))
    return True, ""
