"""Who may do what with a provincial network: ``(allowed, reason)`` each."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role, is_verified_participant
from portal.workflow import NotNow

from .models import GroupSeat, NetworkMember


def can_create(user):
    if has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("Only the portal's staff set up a province's network.")


def can_manage(user, network):
    """The network's manager (and staff) certify members, name connectors and record the
    governor's order."""
    if (
        user
        and user.is_authenticated
        and (network.manager_id == user.pk or has_role(user, Role.STAFF_ADMIN))
    ):
        return True, ""
    return False, _("Only the network's manager does this.")


def can_apply(user, network):
    if not is_verified_participant(user) or has_role(user, Role.API_CLIENT):
        return False, _("Only an account with a verified email address can apply.")
    return True, ""


def can_certify(user, member):
    allowed, reason = can_manage(user, member.network)
    if not allowed:
        return allowed, reason
    if member.status != NetworkMember.Status.APPLIED:
        return False, NotNow(_("Only an application is certified."))
    return True, ""


def can_end(user, member):
    allowed, reason = can_manage(user, member.network)
    if not allowed:
        return allowed, reason
    if member.status == NetworkMember.Status.ENDED:
        return False, NotNow(_("This membership has ended already."))
    return True, ""


def can_record_meeting(user, group):
    """The network's manager, or the chair or secretary seated in this committee or
    sub-network, records its meetings and decisions."""
    if can_manage(user, group.network)[0]:
        return True, ""
    if (
        user
        and user.is_authenticated
        and group.seats.filter(
            ended_at__isnull=True,
            role__in=[GroupSeat.Role.CHAIR, GroupSeat.Role.SECRETARY],
            member__account=user,
            member__status=NetworkMember.Status.CERTIFIED,
        ).exists()
    ):
        return True, ""
    return False, _("Only the network's manager, or the chair or secretary, records a meeting.")
