"""Who may write, agree to and read a citizen charter, choose what a survey asks and moderate
the comments. ``(allowed, reason)``, for the services, the API and the pages alike."""

from django.utils.translation import gettext as _

from assessments.feedback import rules
from contracts.agreements.permissions import (
    can_manage_agreement,
    can_sign_for_cso,
    is_agreement_member,
    is_agreement_officer,
)
from portal.roles import Role, has_role
from portal.workflow import AlreadyDone, NotNow

AGENCY, CSO = "agency", "cso"


def is_party(user, agreement) -> bool:
    return is_agreement_officer(user, agreement) or is_agreement_member(user, agreement)


def _running(agreement):
    if agreement.status not in rules.CHARTERED:
        return NotNow(
            _("The charter is written and agreed while the agreement runs (it is “%(s)s”).")
            % {"s": agreement.get_status_display()}
        )
    return None


def can_edit_charter(user, agreement):
    """Either side writes the charter: the agency's officers and the organisation's members."""
    if not is_party(user, agreement):
        return False, _("Only the agency's officers and the organisation's members write it.")
    refusal = _running(agreement)
    if refusal is not None:
        return False, refusal
    return True, ""


def charter_side(user, agreement) -> str | None:
    """The side ``user`` agrees for: an officer of the agreement's agency for the agency, the
    organisation's signatory for the organisation; None for anyone else."""
    if can_manage_agreement(user, agreement)[0]:
        return AGENCY
    if can_sign_for_cso(user, agreement)[0]:
        return CSO
    return None


def can_agree_charter(user, charter):
    """Each side agrees once to the charter as written: an officer of the agency, and the
    organisation's signatory (not any member), once every part is written."""
    agreement = charter.agreement
    side = charter_side(user, agreement)
    if side is None:
        return False, _(
            "Only an officer of the agency or the organisation's signatory agrees to the charter."
        )
    refusal = _running(agreement)
    if refusal is not None:
        return False, refusal
    if (charter.agreed_by_agency_at if side == AGENCY else charter.agreed_by_cso_at) is not None:
        return False, AlreadyDone(_("Your side has already agreed to this charter."))
    if rules.charter_problems(charter):
        return False, NotNow(_("Write every part of the charter before agreeing to it."))
    return True, ""


def can_view_charter(user, agreement, charter):
    """Public once both sides agreed; before that, the parties and staff."""
    if charter is not None and charter.agreed and rules.has_public_card(agreement):
        return True, ""
    if is_party(user, agreement) or has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("The charter is public once the agency and the organisation agree to it.")


def can_choose_dimensions(user, agreement):
    """The agency chooses what its service is rated on."""
    if not is_agreement_officer(user, agreement):
        return False, _("Only an officer of the agency chooses what the survey asks.")
    if agreement.status not in rules.RATED:
        return False, NotNow(_("The survey is set while the service runs."))
    return True, ""


def can_moderate(user, agreement):
    """An officer of the agreement's agency or a member of its organisation hides an abusive
    comment (with a reason) and restores it."""
    if not is_party(user, agreement):
        return False, _(
            "Only the agency's officers and the organisation's members moderate its comments."
        )
    return True, ""


def can_hide(user, response):
    allowed, why = can_moderate(user, response.agreement)
    if not allowed:
        return False, why
    if not response.comment:
        return False, NotNow(_("This answer has no comment to hide."))
    if response.hidden_at is not None:
        return False, AlreadyDone(_("This comment is already hidden."))
    return True, ""


def can_restore(user, response):
    allowed, why = can_moderate(user, response.agreement)
    if not allowed:
        return False, why
    if response.hidden_at is None:
        return False, AlreadyDone(_("This comment is shown already."))
    return True, ""
