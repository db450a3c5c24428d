"""Who may do what with a budget round, and when: one function per question, each answering
``(allowed, reason)``; a ``NotNow`` reason means the right person at the wrong stage."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role, is_verified_participant
from portal.workflow import NotNow

from .models import BudgetRound

RS = BudgetRound.Status


def can_manage(user, agency_id):
    """The owner agency's officers run its rounds."""
    if has_role(user, Role.AGENCY_OFFICER) and agency_id and user.agency_id == agency_id:
        return True, ""
    return False, _("Only the agency's officers run its budget rounds.")


def _stage(user, budget_round, stage, message):
    allowed, reason = can_manage(user, budget_round.owner_agency_id)
    if not allowed:
        return allowed, reason
    if budget_round.status != stage:
        return False, NotNow(message)
    return True, ""


def can_start_review(user, budget_round):
    return _stage(user, budget_round, RS.PROPOSING, _("Only a round taking ideas moves to review."))


def can_review(user, budget_round):
    return _stage(
        user, budget_round, RS.REVIEWING, _("Projects are checked while the round is in review.")
    )


def can_start_voting(user, budget_round):
    return _stage(user, budget_round, RS.REVIEWING, _("Only a round in review opens its vote."))


def can_close(user, budget_round):
    return _stage(user, budget_round, RS.VOTING, _("Only a round that is voting can close."))


def can_follow_up(user, budget_round):
    """After the results: link a selected project to the mission that delivers it, and say
    how far it has got."""
    return _stage(user, budget_round, RS.CLOSED, _("Delivery is followed once results are out."))


def _participant(user):
    if not is_verified_participant(user):
        return False, _("Only an account with a verified email address can take part.")
    if has_role(user, Role.API_CLIENT):
        return False, _("A system cannot take part.")
    return True, ""


def can_propose(user, budget_round):
    allowed, reason = _participant(user)
    if not allowed:
        return allowed, reason
    if budget_round.status != RS.PROPOSING:
        return False, NotNow(_("This round is not taking project ideas now."))
    return True, ""


def can_vote(user, budget_round):
    allowed, reason = _participant(user)
    if not allowed:
        return allowed, reason
    if budget_round.status != RS.VOTING:
        return False, NotNow(_("This round is not voting now."))
    return True, ""
