import functools

from .notices.selectors import notice_unread_count
from .roles import Role


def portal(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    roles = user.roles if signed_in else frozenset()
    return {
        "roles": roles,
        "is_officer": Role.AGENCY_OFFICER in roles,
        "is_cso_member": Role.CSO_MEMBER in roles,
        "is_reviewer": Role.COMMITTEE_REVIEWER in roles,
        "is_evaluator": Role.EVALUATOR in roles,
        "is_staff_admin": Role.STAFF_ADMIN in roles,
        # The template calls it: one COUNT, only on pages whose header shows it, kept for
        # that one page and never across requests.
        "unread_notice_count": (
            functools.cache(lambda: notice_unread_count(user)) if signed_in else 0
        ),
    }
