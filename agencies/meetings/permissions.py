"""Who may do what with a meeting: one function per action, ``(allowed, reason)``."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.roles import Role, has_role
from portal.workflow import NotNow

from .models import Meeting


def can_manage_meeting(user, agency_id) -> tuple[bool, str]:
    """The agency's officers organise its meetings."""
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id == agency_id:
        return True, ""
    return False, _("Only the agency's officers organise its meetings.")


def can_see_meeting(user, meeting: Meeting) -> bool:
    if meeting.status != Meeting.Status.DRAFT:
        return True
    return can_manage_meeting(user, meeting.agency_id)[0]


def can_register(user, meeting: Meeting):
    if not (user and user.is_authenticated and user.is_active):
        return False, _("Sign in to register.")
    if has_role(user, Role.API_CLIENT):
        return False, _("A system cannot register for a meeting.")
    if meeting.status != Meeting.Status.PUBLISHED:
        return False, NotNow(_("This meeting is not open for registration."))
    if meeting.starts_at <= timezone.now():
        return False, NotNow(_("This meeting has started; registration is closed."))
    return True, ""


def can_add_material(user, meeting: Meeting):
    """Its officers add papers to a meeting before it and after it, unless it was cancelled."""
    allowed, reason = can_manage_meeting(user, meeting.agency_id)
    if not allowed:
        return allowed, reason
    if meeting.status == Meeting.Status.CANCELLED:
        return False, NotNow(_("This meeting was cancelled."))
    return True, ""
