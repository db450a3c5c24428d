"""Who must use two-factor sign-in, who may turn it off, who may reset someone's."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role


def two_factor_required(user) -> bool:
    """Staff (they reach the admin and every record) and committee reviewers (they decide on
    organisations) must sign in with a code as well as the password."""
    if not (user and user.is_authenticated) or has_role(user, Role.API_CLIENT):
        return False
    return bool(
        user.is_staff
        or user.is_superuser
        or has_role(user, Role.STAFF_ADMIN)
        or has_role(user, Role.COMMITTEE_REVIEWER)
    )


def two_factor_offered(user) -> bool:
    """Agency officers and evaluators are invited (a notice on their work page), not forced."""
    return not two_factor_required(user) and (
        has_role(user, Role.AGENCY_OFFICER) or has_role(user, Role.EVALUATOR)
    )


def can_enrol(user):
    if not (user and user.is_authenticated and user.is_active):
        return False, _("Sign in first.")
    if has_role(user, Role.API_CLIENT):
        return False, _("An API client account signs in with its token only.")
    return True, ""


def can_disable(user):
    """Only those for whom it is optional may turn it off (with their password)."""
    if two_factor_required(user):
        return False, _(
            "Two-factor sign-in is required for your role and cannot be turned off. If you "
            "lost your phone, ask a staff administrator to reset it."
        )
    return True, ""


def can_reset(actor, user):
    """A staff administrator resets someone else's two-factor sign-in (a lost phone); never
    their own, which would let a stolen password stand in for the phone."""
    signed_in = actor is not None and actor.is_authenticated and actor.is_active
    if not (signed_in and (actor.is_superuser or has_role(actor, Role.STAFF_ADMIN))):
        return False, _("Only a staff administrator resets someone's two-factor sign-in.")
    if actor.pk == user.pk:
        return False, _("Another staff administrator must reset your own two-factor sign-in.")
    return True, ""
