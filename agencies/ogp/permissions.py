"""Who records the Open Government Action Plan (staff) and who reports a milestone's
progress (the responsible agency's officers): ``(allowed, reason)`` each."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role
from portal.workflow import NotNow

from .models import Plan


def can_record(user):
    if has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("Only the portal's staff record the Open Government Action Plan.")


def can_publish(user, plan):
    allowed, reason = can_record(user)
    if not allowed:
        return allowed, reason
    if plan.status != Plan.Status.DRAFT:
        return False, NotNow(_("The plan is published already."))
    return True, ""


def can_see(user, plan) -> bool:
    return plan.status == Plan.Status.PUBLISHED or can_record(user)[0]


def can_report(user, milestone):
    """The responsible agency's officers, once the plan is published."""
    commitment = milestone.commitment
    if not (has_role(user, Role.AGENCY_OFFICER) and user.agency_id == commitment.agency_id):
        return False, _("Only the responsible agency's officers report this milestone.")
    if commitment.plan.status != Plan.Status.PUBLISHED:
        return False, NotNow(_("Progress is reported once the plan is published."))
    return True, ""
