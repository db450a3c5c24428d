from .roles import Role


def portal(request):
    user = getattr(request, "user", None)
    roles = user.roles if user is not None and user.is_authenticated else frozenset()
    return {
        "roles": roles,
        "is_officer": Role.AGENCY_OFFICER in roles,
        "is_cso_member": Role.CSO_MEMBER in roles,
        "is_reviewer": Role.COMMITTEE_REVIEWER in roles,
        "is_evaluator": Role.EVALUATOR in roles,
        "is_staff_admin": Role.STAFF_ADMIN in roles,
    }
