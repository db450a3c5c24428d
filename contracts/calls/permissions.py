"""Who may do what with calls. Each function returns ``(allowed, reason)``; the UI, the API
and the tests all ask these."""

from django.utils.translation import gettext as _

from agencies.missions.suitability import call_refusal
from contracts.calls.models import Call
from portal.roles import Role, has_role
from portal.workflow import NotNow

PUBLIC_CALL_STATUSES = {
    Call.Status.FORECAST,
    Call.Status.OPEN,
    Call.Status.CLOSED,
    Call.Status.AWARDED,
}


def is_call_officer(user, call) -> bool:
    """An officer of the agency that runs the call."""
    return has_role(user, Role.AGENCY_OFFICER) and user.agency_id == call.agency_id


def is_assigned_evaluator(user, call) -> bool:
    if not has_role(user, Role.EVALUATOR):
        return False
    return call.assignments.filter(evaluator=user).exists()


def can_create_call(user, mission):
    if not has_role(user, Role.AGENCY_OFFICER):
        return False, _("Only an agency officer can open a call.")
    if mission is None or user.agency_id != mission.agency_id:
        return False, _("You can only open calls for your own agency's missions.")
    refusal = call_refusal(mission.service_category)
    if refusal:  # the mission's suitability advice rules a call out (API: 409)
        return False, NotNow(refusal)
    return True, ""


def can_manage_call(user, call):
    """Edit, publish, close, cancel, assign evaluators, shortlist and select."""
    if not is_call_officer(user, call):
        return False, _("Only an officer of the agency that runs this call can do this.")
    return True, ""


def can_publish_call(user, call):
    """The call's officer publishes it, unless its mission's advice now rules a call out
    (its category was changed to one that allows only information since the draft)."""
    allowed, why = can_manage_call(user, call)
    if not allowed:
        return allowed, why
    refusal = call_refusal(call.mission.service_category)
    if refusal:
        return False, NotNow(refusal)
    return True, ""


def can_view_ranking(user, call):
    if is_call_officer(user, call) or has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("Only the agency's officers see the ranking.")


def can_amend_call(user, call):
    """A published call changes only by an addendum, while it is open."""
    allowed, why = can_manage_call(user, call)
    if not allowed:
        return allowed, why
    if call.effective_status() != Call.Status.OPEN:
        return False, NotNow(_("Only an open call is changed by an addendum."))
    return True, ""


def can_ask_question(user, call):
    """A registered organisation's member asks about a call while it takes proposals."""
    if not (has_role(user, Role.CSO_MEMBER) and user.cso_id):
        return False, _("Only a member of a registered organisation asks about a call.")
    if not call.is_accepting():
        return False, NotNow(_("Questions are asked while the call takes proposals."))
    return True, ""


def can_answer_question(user, question):
    allowed, why = can_manage_call(user, question.call)
    if not allowed:
        return allowed, why
    if question.call.status in (Call.Status.AWARDED, Call.Status.CANCELLED):
        return False, NotNow(_("The call is over; its questions can no longer be answered."))
    return True, ""


def can_save_search(user):
    if not has_role(user, Role.CSO_MEMBER):
        return False, _("Saved searches are for members of civil society organisations.")
    return True, ""
