"""Who may do what with FAQs: one function per action, ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role
from portal.workflow import NotNow

from .models import Faq


def can_manage(user, agency_id):
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id == agency_id:
        return True, ""
    return False, _("Only the agency's officers answer its questions.")


def can_suggest(user):
    if not (user and user.is_authenticated and user.is_active):
        return False, _("Sign in to suggest a question.")
    if has_role(user, Role.API_CLIENT):
        return False, _("A system cannot suggest a question.")
    return True, ""


def can_answer(user, faq):
    allowed, reason = can_manage(user, faq.agency_id)
    if not allowed:
        return allowed, reason
    if faq.status == Faq.Status.DECLINED:
        return False, NotNow(_("This suggestion was declined."))
    return True, ""


def can_decline(user, faq):
    allowed, reason = can_manage(user, faq.agency_id)
    if not allowed:
        return allowed, reason
    if faq.status != Faq.Status.SUGGESTED:
        return False, NotNow(_("Only a suggested question can be declined."))
    return True, ""


def can_unpublish(user, faq):
    allowed, reason = can_manage(user, faq.agency_id)
    if not allowed:
        return allowed, reason
    if faq.status != Faq.Status.PUBLISHED:
        return False, NotNow(_("Only a published question can be taken down."))
    return True, ""


def can_see(user, faq) -> bool:
    return faq.status == Faq.Status.PUBLISHED or can_manage(user, faq.agency_id)[0]
