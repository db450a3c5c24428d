"""Who may do what with a poll, and when: one function per question."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.roles import Role, has_role, is_verified_participant
from portal.workflow import AlreadyDone, NotNow

__all__ = ["AlreadyDone", "NotNow"]


def can_manage_polls(user, agency):
    if not has_role(user, Role.AGENCY_OFFICER):
        return False, _("Only an agency officer can create or change polls.")
    if agency is None or user.agency_id != agency.pk:
        return False, _("You can only change your own agency's polls.")
    return True, ""


def can_edit(user, poll):
    allowed, reason = can_manage_polls(user, poll.agency)
    if not allowed:
        return allowed, reason
    if poll.status != poll.Status.DRAFT:
        return False, NotNow(_("Only a draft poll can be changed."))
    return True, ""


def can_close(user, poll):
    allowed, reason = can_manage_polls(user, poll.agency)
    if not allowed:
        return allowed, reason
    if poll.status != poll.Status.OPEN:
        return False, NotNow(_("Only an open poll can be closed."))
    return True, ""


def can_vote(user, poll, *, already_voted: bool, now=None):
    if not is_verified_participant(user):
        return False, _("Only an account with a verified email address can vote.")
    now = now or timezone.now()
    if poll.status != poll.Status.OPEN or not (poll.opens_at <= now < poll.closes_at):
        return False, NotNow(_("This poll is not open for voting."))
    if already_voted:
        return False, AlreadyDone(_("You have already voted in this poll."))
    return True, ""


def can_see_results(user, poll, *, has_voted: bool, now=None):
    """Results show after the poll closes, or, when the officer chose so, to those who voted.
    The poll's own agency sees them at any time."""
    now = now or timezone.now()
    if poll.status == poll.Status.CLOSED or (
        poll.status == poll.Status.OPEN and now >= poll.closes_at
    ):
        return True
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id == poll.agency_id:
        return True
    return poll.show_results == poll.ShowResults.AFTER_VOTE and has_voted
