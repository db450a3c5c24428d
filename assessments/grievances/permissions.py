"""Who may see and act on a grievance, and when: ``(allowed, reason)`` for the services, the
API and the pages alike. Verifiers (staff administrators and agencies' complaints officers)
see every grievance; once routed, the agency's officers see it, and for a funded project the
CSO's members; nobody else. The citizen acts with the reply code given at filing, or their
account."""

from django.utils.translation import gettext as _

from assessments.grievances.models import Grievance
from assessments.grievances.rules import token_hash
from portal.roles import Role, has_role, is_grievance_verifier
from portal.workflow import NotNow

GS = Grievance.Status
HANDED_OVER = {GS.ROUTED, GS.RESPONDED, GS.CLOSED}


def is_grievance_officer(user, grievance) -> bool:
    return bool(has_role(user, Role.AGENCY_OFFICER) and user.agency_id == grievance.agency_id)


def is_grievance_cso_member(user, grievance) -> bool:
    return bool(
        has_role(user, Role.CSO_MEMBER)
        and grievance.agreement_id is not None
        and user.cso_id is not None
        and user.cso_id == grievance.agreement.cso_id
    )


def can_view_grievance(user, grievance):
    if is_grievance_verifier(user):
        return True, ""
    routed = grievance.status in HANDED_OVER and grievance.routed_at is not None
    if routed and (
        is_grievance_officer(user, grievance) or is_grievance_cso_member(user, grievance)
    ):
        return True, ""
    return False, _("You cannot see this grievance.")


def can_see_personal_data(user, grievance):
    """The citizen's name and contact: the verifiers; the agency's officers and the CSO's
    members who see the grievance, unless the citizen asked for confidentiality."""
    if is_grievance_verifier(user):
        return True, ""
    if grievance.confidential:
        return False, _("The citizen asked that their name be kept confidential.")
    return can_view_grievance(user, grievance)


def _verifier(user, grievance, statuses, message):
    if not is_grievance_verifier(user):
        return False, _("Only a verifier (staff or a complaints officer) can do this.")
    if grievance.status not in statuses:
        return False, NotNow(message % {"status": grievance.get_status_display()})
    return True, ""


def can_route(user, grievance):
    return _verifier(
        user,
        grievance,
        {GS.RECEIVED},
        _("Only a received grievance is routed (this one is “%(status)s”)."),
    )


def can_reject(user, grievance):
    return _verifier(
        user,
        grievance,
        {GS.RECEIVED},
        _("Only a received grievance can be rejected (this one is “%(status)s”)."),
    )


def can_merge(user, grievance):
    return _verifier(
        user,
        grievance,
        {GS.RECEIVED, GS.ROUTED},
        _("Only a grievance not yet answered can be merged (this one is “%(status)s”)."),
    )


def can_respond(user, grievance):
    if not is_grievance_officer(user, grievance):
        return False, _("Only an officer of the agency it was routed to can answer it.")
    if grievance.status != GS.ROUTED:
        return False, NotNow(
            _("Only a routed grievance waits for an answer (this one is “%(status)s”).")
            % {"status": grievance.get_status_display()}
        )
    return True, ""


def is_the_citizen(grievance, *, user=None, token=None) -> bool:
    """The citizen who filed it: the reply code given at filing (that of a grievance merged
    into this one too), or their account."""
    signed_in = user is not None and user.is_authenticated
    if signed_in and (
        grievance.citizen_id == user.pk or grievance.merged.filter(citizen=user).exists()
    ):
        return True
    wanted = token_hash(token or "")
    if not wanted:
        return False
    if grievance.citizen_token_hash and grievance.citizen_token_hash == wanted:
        return True
    return grievance.merged.filter(citizen_token_hash=wanted).exists()


def _citizen(grievance, user, token):
    if not is_the_citizen(grievance, user=user, token=token):
        return False, _("The reply code does not match this grievance.")
    return True, ""


def can_reply(grievance, *, user=None, token=None):
    allowed, why = _citizen(grievance, user, token)
    if not allowed:
        return allowed, why
    if grievance.status != GS.RESPONDED:
        return False, NotNow(_("You can reply once the agency has answered, until it closes."))
    return True, ""


def can_say_resolved(grievance, *, user=None, token=None):
    allowed, why = _citizen(grievance, user, token)
    if not allowed:
        return allowed, why
    answered = grievance.status == GS.RESPONDED or (
        grievance.status == GS.CLOSED and grievance.responded_at and not grievance.resolved
    )
    if not answered:
        return False, NotNow(_("You are asked once the agency has answered."))
    return True, ""
