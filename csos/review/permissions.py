"""Who may decide on a registration. Returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from csos.registration.permissions import is_member
from portal.roles import Role, has_role


def can_review(user, cso):
    """Approve, request changes, reject, suspend, reinstate: the committee's decisions."""
    if not has_role(user, Role.COMMITTEE_REVIEWER):
        return False, _("Only a committee reviewer can decide on a registration.")
    if is_member(user, cso):
        return False, _("You cannot review your own organisation.")
    return True, ""
