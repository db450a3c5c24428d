from django.utils.translation import gettext as _

from portal.roles import Role, has_role


def can_lift_locks(user):
    """Staff administrators lift sign-in locks (and see who is locked)."""
    signed_in = user is not None and user.is_authenticated and user.is_active
    if signed_in and (user.is_superuser or has_role(user, Role.STAFF_ADMIN)):
        return True, ""
    return False, _("Only a staff administrator lifts sign-in locks.")
