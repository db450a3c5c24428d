"""Who may invite colleagues and withdraw an invitation: one function per action, each
returning ``(allowed, reason)``, asked by the pages and the services alike."""

from django.utils.translation import gettext as _

from ..roles import Role, has_role, is_agency_admin, is_cso_signatory
from .models import Invitation


def can_invite(user, *, cso_id=None, agency_id=None, role=None):
    """A CSO's member invites members; only its signatory invites a signatory. An agency's
    admin (or a staff admin) invites its officers."""
    if cso_id is not None:
        if not (has_role(user, Role.CSO_MEMBER) and user.cso_id == cso_id):
            return False, _("Only the organisation's members invite its colleagues.")
        if role == Invitation.Kind.SIGNATORY and not is_cso_signatory(user, cso_id):
            return False, _("Only a signatory invites another signatory.")
        return True, ""
    if agency_id is not None:
        if has_role(user, Role.STAFF_ADMIN) or is_agency_admin(user, agency_id):
            return True, ""
        return False, _("Only the agency's admin invites its officers.")
    return False, _("Only the organisation's members invite its colleagues.")


def can_revoke(user, invitation):
    return can_invite(user, cso_id=invitation.cso_id, agency_id=invitation.agency_id)
