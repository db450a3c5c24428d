"""Who may see an agency's dashboard: its officers (their own agency only) and staff (every
agency)."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role


def can_view_dashboard(user):
    if has_role(user, Role.STAFF_ADMIN):
        return True, ""
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id:
        return True, ""
    return False, _("Only an agency's officers and staff can see its dashboard.")


def dashboard_agency_id(user, asked: str = "") -> int | None:
    """The agency the dashboard covers: the officer's own; for staff the one they asked for,
    or None for every agency."""
    if has_role(user, Role.STAFF_ADMIN):
        return int(asked) if str(asked).isdigit() else None
    return user.agency_id
