"""Who may do what with a consultation, and when: one function per action, each answering
``(allowed, reason)`` for the pages, the API and the services alike."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.roles import Role, has_role, is_verified_participant
from portal.workflow import AlreadyDone, NotNow

from .models import Consultation, Contribution

CS = Consultation.Status


def can_manage(user, agency_id) -> tuple[bool, str]:
    """The agency's officers run its consultations."""
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id == agency_id:
        return True, ""
    return False, _("Only the agency's officers run its consultations.")


def can_see(user, consultation) -> bool:
    if consultation.status != CS.DRAFT:
        return True
    return can_manage(user, consultation.agency_id)[0]


def can_edit(user, consultation):
    allowed, reason = can_manage(user, consultation.agency_id)
    if not allowed:
        return allowed, reason
    if consultation.status != CS.DRAFT:
        return False, NotNow(_("Only a draft consultation can be changed."))
    return True, ""


def can_close(user, consultation):
    allowed, reason = can_manage(user, consultation.agency_id)
    if not allowed:
        return allowed, reason
    if consultation.status != CS.PUBLISHED:
        return False, NotNow(_("Only a published consultation can be closed."))
    return True, ""


def can_moderate(user, consultation) -> tuple[bool, str]:
    """The agency's officers moderate its consultations; the portal's staff may too."""
    if has_role(user, Role.STAFF_ADMIN) or can_manage(user, consultation.agency_id)[0]:
        return True, ""
    return False, _("Only the agency's officers or the portal's staff moderate contributions.")


def audience_refusal(user, consultation) -> str | None:
    """Why this account is not among those the consultation asks, or None."""
    if has_role(user, Role.API_CLIENT):
        return _("A system cannot take part in a consultation.")
    if not is_verified_participant(user):
        return _("Only an account with a verified email address can take part.")
    audience = consultation.audience
    A = Consultation.Audience
    if audience == A.CITIZENS and not has_role(user, Role.CITIZEN):
        return _("This consultation asks citizens only.")
    if audience == A.CSOS and not (has_role(user, Role.CSO_MEMBER) and user.cso_id):
        return _("This consultation asks civil society organisations only.")
    if audience == A.PANEL and not consultation.panel.filter(pk=user.pk).exists():
        return _("This consultation asks its invited panel only.")
    return None


def can_take_part(user, consultation, *, now=None):
    if not (user and user.is_authenticated):
        return False, _("Sign in to take part.")
    refusal = audience_refusal(user, consultation)
    if refusal:
        return False, refusal
    if not consultation.is_open(now or timezone.now()):
        return False, NotNow(_("This consultation is not open for contributions."))
    return True, ""


def can_answer(user, consultation, *, response=None, now=None):
    allowed, reason = can_take_part(user, consultation, now=now)
    if not allowed:
        return allowed, reason
    if response is not None and response.status == response.Status.SENT:
        return False, AlreadyDone(_("You have already sent your answers to this consultation."))
    return True, ""


def can_react(user, contribution, *, now=None):
    allowed, reason = can_take_part(user, contribution.consultation, now=now)
    if not allowed:
        return allowed, reason
    if contribution.status != Contribution.Status.VISIBLE:
        return False, NotNow(_("Only a visible contribution can be agreed or disagreed with."))
    if contribution.author_id == user.pk:
        return False, _("You cannot agree or disagree with your own contribution.")
    return True, ""


def can_flag(user, contribution):
    if not (user and user.is_authenticated and user.is_active):
        return False, _("Sign in to report a contribution.")
    if has_role(user, Role.API_CLIENT):
        return False, _("A system cannot report a contribution.")
    if contribution.status != Contribution.Status.VISIBLE:
        return False, NotNow(_("Only a visible contribution can be reported."))
    if contribution.author_id == user.pk:
        return False, _("You cannot report your own contribution.")
    return True, ""


def can_withdraw(user, contribution):
    """Authors delete their own contributions while the consultation is open."""
    if not (user and user.is_authenticated) or contribution.author_id != user.pk:
        return False, _("Only its author can delete a contribution.")
    if contribution.consultation.status != CS.PUBLISHED:
        return False, NotNow(
            _("The consultation has closed: ask for your contribution to be anonymised instead.")
        )
    return True, ""


def can_anonymise(user, contribution):
    """After closing, authors may have their name taken off what they wrote."""
    if not (user and user.is_authenticated) or contribution.author_id != user.pk:
        return False, _("Only its author can ask for a contribution to be anonymised.")
    if contribution.consultation.status == CS.PUBLISHED:
        return False, NotNow(_("While the consultation is open, delete the contribution instead."))
    return True, ""


def can_analyse(user, consultation):
    """Themes and the response report are written once the consultation has closed."""
    allowed, reason = can_manage(user, consultation.agency_id)
    if not allowed:
        return allowed, reason
    if consultation.status != CS.CLOSED:
        return False, NotNow(_("The analysis is done after the consultation closes."))
    return True, ""


def can_see_summary(user, consultation) -> bool:
    """The counts and keywords are public once the consultation has closed."""
    if consultation.status in (CS.CLOSED, CS.REPORTED):
        return True
    return can_manage(user, consultation.agency_id)[0] and consultation.status != CS.DRAFT


def can_enter_meeting_input(user, consultation, meeting):
    """A facilitator (an officer of the agency) enters what was said at the agency's meeting."""
    allowed, reason = can_manage(user, consultation.agency_id)
    if not allowed:
        return allowed, reason
    if meeting is None or meeting.agency_id != consultation.agency_id:
        return False, _("Choose one of your agency's meetings.")
    if consultation.status not in (CS.PUBLISHED, CS.CLOSED):
        return False, NotNow(_("Input from meetings is added while the consultation runs."))
    return True, ""
