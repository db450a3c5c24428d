from django.utils.translation import gettext as _

from portal.roles import Role, has_role


def can_manage_missions(user, agency):
    if not has_role(user, Role.AGENCY_OFFICER):
        return False, _("Only an agency officer can add or change missions.")
    if agency is None or user.agency_id != agency.pk:
        return False, _("You can only change your own agency's missions.")
    return True, ""
