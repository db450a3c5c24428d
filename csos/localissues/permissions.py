"""Who may raise, plan and close a network's local issue: ``(allowed, reason)`` each."""

from django.utils.translation import gettext as _

from portal.workflow import NotNow

from ..networks import permissions as network_permissions
from ..networks.selectors import members_spoken_for
from .models import LocalIssue


def can_raise(user, network):
    """A certified member of the network (through their own account, their CSO or their
    agency) raises an issue; so does the manager."""
    if network_permissions.can_manage(user, network)[0] or members_spoken_for(user, network):
        return True, ""
    return False, _("Only a certified member of the network raises an issue.")


def can_plan(user, issue):
    allowed, reason = network_permissions.can_manage(user, issue.network)
    if not allowed:
        return allowed, reason
    if issue.status not in (LocalIssue.Status.RAISED, LocalIssue.Status.PLANNED):
        return False, NotNow(_("Goals are set before the action contract is drawn up."))
    return True, ""


def can_close(user, issue):
    allowed, reason = network_permissions.can_manage(user, issue.network)
    if not allowed:
        return allowed, reason
    if issue.status == LocalIssue.Status.CLOSED:
        return False, NotNow(_("This issue is closed already."))
    if issue.status == LocalIssue.Status.CONTRACTED:
        return False, NotNow(
            _("An issue with an action contract closes when the contract is done.")
        )
    return True, ""
