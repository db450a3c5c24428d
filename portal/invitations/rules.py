"""When an invitation can still be accepted."""

from django.utils.translation import gettext as _


def acceptance_problem(invitation, *, now) -> str | None:
    """Why this invitation can no longer be accepted (None: it can)."""
    if invitation is None:
        return _("This invitation link is not valid. Ask your colleague to invite you again.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn. Ask your colleague to invite you again.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.expires_at <= now:
        return _("This invitation has expired. Ask your colleague to invite you again.")
    return None
