"""Who may do what with agreements. Each function returns ``(allowed, reason)``; the UI, the
API and the tests all ask these."""

from django.utils.translation import gettext as _

from contracts.calls.permissions import is_call_officer
from portal.roles import Role, has_role, has_scope


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
