from django.utils.translation import gettext as _

from portal.roles import Role, has_role
from portal.workflow import NotNow

from .models import AdvisoryGroup


def can_manage(user, agency_id):
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id == agency_id:
        return True, ""
    return False, _("Only the agency's officers manage its advisory groups.")


def can_change(user, group):
    allowed, reason = can_manage(user, group.agency_id)
    if not allowed:
        return allowed, reason
    if group.status == AdvisoryGroup.Status.DISSOLVED:
        return False, NotNow(_("This group is dissolved."))
    return True, ""


def can_see(user, group) -> bool:
    return group.status != AdvisoryGroup.Status.DRAFT or can_manage(user, group.agency_id)[0]


def can_activate(user, group):
    allowed, reason = can_manage(user, group.agency_id)
    if not allowed:
        return allowed, reason
    if group.status != AdvisoryGroup.Status.DRAFT:
        return False, NotNow(_("Only a draft group can be made public."))
    return True, ""


def can_dissolve(user, group):
    allowed, reason = can_manage(user, group.agency_id)
    if not allowed:
        return allowed, reason
    if group.status != AdvisoryGroup.Status.ACTIVE:
        return False, NotNow(_("Only an active group can be dissolved."))
    return True, ""
