"""Who may do what with calls and proposals. Each function returns ``(allowed, reason)``;
the UI, the API and the tests all ask these."""

from django.utils.translation import gettext as _

from contracts.models import Call, Proposal
from portal.roles import Role, has_role

PUBLIC_CALL_STATUSES = {Call.Status.OPEN, Call.Status.CLOSED, Call.Status.AWARDED}


def is_call_officer(user, call) -> bool:
    """An officer of the agency that runs the call."""
    return has_role(user, Role.AGENCY_OFFICER) and user.agency_id == call.agency_id


def is_assigned_evaluator(user, call) -> bool:
    if not has_role(user, Role.EVALUATOR):
        return False
    return call.assignments.filter(evaluator=user).exists()


def is_proposal_member(user, proposal) -> bool:
    return (
        has_role(user, Role.CSO_MEMBER)
        and user.is_authenticated
        and user.cso_id is not None
        and user.cso_id == proposal.cso_id
    )


def can_create_call(user, mission):
    if not has_role(user, Role.AGENCY_OFFICER):
        return False, _("Only an agency officer can open a call.")
    if mission is None or user.agency_id != mission.agency_id:
        return False, _("You can only open calls for your own agency's missions.")
    return True, ""


def can_manage_call(user, call):
    """Edit, publish, close, cancel, assign evaluators, shortlist and select."""
    if not is_call_officer(user, call):
        return False, _("Only an officer of the agency that runs this call can do this.")
    return True, ""


def can_view_call(user, call):
    if call.status in PUBLIC_CALL_STATUSES:
        return True, ""
    if is_call_officer(user, call) or has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("This call has not been published.")


def can_start_proposal(user, call):
    if not has_role(user, Role.CSO_MEMBER) or not user.cso_id:
        return False, _("Only a member of a registered organisation can send a proposal.")
    if user.cso.status != "approved":
        return False, _(
            "Your organisation must be approved by the National Committee before it can "
            "send proposals."
        )
    return True, ""


def can_edit_proposal(user, proposal):
    if not is_proposal_member(user, proposal):
        return False, _("Only the organisation's members can change its proposal.")
    return True, ""


def can_decide_proposal(user, proposal):
    """Shortlist, schedule and record the presentation, select, reject."""
    return can_manage_call(user, proposal.call)


def can_view_proposal(user, proposal):
    if is_proposal_member(user, proposal):
        return True, ""
    if proposal.status == Proposal.Status.DRAFT:
        return False, _("Only the organisation sees a draft proposal.")
    if has_role(user, Role.STAFF_ADMIN) or is_call_officer(user, proposal.call):
        return True, ""
    if proposal.status != Proposal.Status.WITHDRAWN and is_assigned_evaluator(user, proposal.call):
        return True, ""
    return False, _("You cannot see this proposal.")


def can_view_ranking(user, call):
    if is_call_officer(user, call) or has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("Only the agency's officers see the ranking.")


def can_view_feedback(user, proposal):
    """The CSO reads its scores and the evaluators' comments once the agency has decided."""
    if is_call_officer(user, proposal.call) or has_role(user, Role.STAFF_ADMIN):
        return True, ""
    if is_proposal_member(user, proposal) and proposal.status in {
        Proposal.Status.SELECTED,
        Proposal.Status.NOT_SELECTED,
    }:
        return True, ""
    return False, _("The scores are shared once the agency has decided.")


def can_view_reviews(user, proposal):
    """Every evaluator's review for the call's officers and staff; evaluators on the panel
    see their own (the API filters them to it)."""
    if can_view_ranking(user, proposal.call)[0]:
        return True, ""
    if is_assigned_evaluator(user, proposal.call):
        return True, ""
    return False, _("Only the agency's officers and the call's evaluators see reviews.")


# --- agreements ----------------------------------------------------------------------------


def is_agreement_officer(user, agreement) -> bool:
    return has_role(user, Role.AGENCY_OFFICER) and user.agency_id == agreement.agency_id


def is_agreement_member(user, agreement) -> bool:
    return (
        has_role(user, Role.CSO_MEMBER)
        and user.cso_id is not None
        and user.cso_id == agreement.cso_id
    )


def can_award(user, proposal):
    if not is_call_officer(user, proposal.call):
        return False, _("Only an officer of the agency that ran the call can award it.")
    return True, ""


def can_manage_agreement(user, agreement):
    """Release tranches, accept reports, complete, terminate, give notice, settle."""
    if not is_agreement_officer(user, agreement):
        return False, _("Only an officer of the agency can do this.")
    return True, ""


def can_act_for_cso(user, agreement):
    """Sign or decline the offer, send reports, state the settlement."""
    if not is_agreement_member(user, agreement):
        return False, _("Only the organisation's members can do this.")
    return True, ""


def can_edit_service_design(user, agreement):
    """Commissioning: agency and CSO co-design the service model before delivery starts."""
    if not (is_agreement_officer(user, agreement) or is_agreement_member(user, agreement)):
        return False, _("Only the agency's officers and the organisation's members co-design it.")
    return True, ""


def can_record_payment(user, agreement=None):
    from portal.roles import has_scope

    if not has_scope(user, "payments"):
        return False, _(
            "Only the finance system (an API client with the payments scope) records payments."
        )
    return True, ""


def can_view_agreement(user, agreement):
    if is_agreement_officer(user, agreement) or is_agreement_member(user, agreement):
        return True, ""
    if has_role(user, Role.STAFF_ADMIN) or has_role(user, Role.API_CLIENT):
        return True, ""
    if has_role(user, Role.EVALUATOR) and agreement.evaluations.filter(evaluators=user).exists():
        return True, ""
    return False, _("You cannot see this agreement.")
