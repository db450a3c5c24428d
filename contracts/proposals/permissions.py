"""Who may do what with proposals. Each function returns ``(allowed, reason)``; the UI, the
API and the tests all ask these."""

from django.utils.translation import gettext as _

from contracts.calls.permissions import can_manage_call, is_assigned_evaluator, is_call_officer
from contracts.proposals.models import Proposal
from portal.roles import Role, has_role
from portal.workflow import NotNow


def is_proposal_member(user, proposal) -> bool:
    return (
        has_role(user, Role.CSO_MEMBER)
        and user.is_authenticated
        and user.cso_id is not None
        and user.cso_id == proposal.cso_id
    )


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


def can_delete_draft(user, proposal):
    """The organisation's member deletes a draft; a submitted proposal is withdrawn instead
    (not now: ``NotNow``)."""
    allowed = can_edit_proposal(user, proposal)
    if allowed[0] and proposal.invited_at is not None:
        return False, NotNow(
            _("A full proposal the agency invited is not deleted; withdraw it instead.")
        )
    if allowed[0] and proposal.status != Proposal.Status.DRAFT:
        return False, NotNow(
            _("Only a draft can be deleted; withdraw a submitted proposal instead.")
        )
    return allowed


def can_decide_proposal(user, proposal):
    """Shortlist, schedule and record the presentation, select, reject."""
    return can_manage_call(user, proposal.call)


def can_view_proposal(user, proposal):
    if is_proposal_member(user, proposal):
        return True, ""
    invited = proposal.invited_at is not None
    if proposal.status == Proposal.Status.DRAFT and not invited:
        return False, _("Only the organisation sees a draft proposal.")
    if has_role(user, Role.STAFF_ADMIN) or is_call_officer(user, proposal.call):
        return True, ""
    if proposal.status == Proposal.Status.DRAFT:
        return False, _("Only the organisation and the agency see a full proposal in progress.")
    if (
        proposal.status != Proposal.Status.WITHDRAWN
        and proposal.stage == Proposal.Stage.FULL
        and is_assigned_evaluator(user, proposal.call)
    ):
        return True, ""
    return False, _("You cannot see this proposal.")


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
