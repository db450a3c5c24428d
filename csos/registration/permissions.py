"""Who may do what with a CSO. Each function returns ``(allowed, reason)``; the UI, the
API and the tests all ask these."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role

from .models import CSO

PUBLIC_STATUSES = {CSO.Status.APPROVED}


def is_member(user, cso) -> bool:
    return bool(user and user.is_authenticated and user.cso_id == cso.pk)


def can_view(user, cso):
    if cso.status in PUBLIC_STATUSES:
        return True, ""
    if is_member(user, cso):
        return True, ""
    if has_role(user, Role.COMMITTEE_REVIEWER) or has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("You cannot see this organisation.")


def can_view_contacts(user, cso):
    allowed, why = can_view(user, cso)
    if not allowed:
        return allowed, why
    if not (user and user.is_authenticated):
        return False, _("Sign in to see contact details.")
    return True, ""


def can_view_history(user, cso):
    if has_role(user, Role.STAFF_ADMIN) or has_role(user, Role.COMMITTEE_REVIEWER):
        return True, ""
    if is_member(user, cso):
        return True, ""
    return False, _("Only the committee, staff and the organisation's members see its history.")


def can_create(user):
    if not has_role(user, Role.CSO_MEMBER):
        return False, _("Only a CSO member account can register an organisation.")
    if user.cso_id:
        return False, _("Your account already belongs to an organisation.")
    return True, ""


def can_edit(user, cso):
    if not is_member(user, cso) or not has_role(user, Role.CSO_MEMBER):
        return False, _("Only the organisation's members can change its registration.")
    if not cso.is_editable:
        return False, _("The registration cannot be changed while it is “%(status)s”.") % {
            "status": cso.get_status_display()
        }
    return True, ""


def can_submit(user, cso):
    if not is_member(user, cso) or not has_role(user, Role.CSO_MEMBER):
        return False, _("Only the organisation's members can submit its registration.")
    return True, ""


def can_view_documents(user, cso):
    if is_member(user, cso):
        return True, ""
    if has_role(user, Role.COMMITTEE_REVIEWER) or has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("Only the organisation and the committee see its documents.")
