"""Sending the verification link and verifying with it; both audited."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..rates import spend
from ..roles import Role, has_role
from .tasks import send_verification_email
from .tokens import BadToken, read_token

MESSAGES = {
    "invalid": gettext_lazy("This link is not a valid verification link. Ask for a new one."),
    "expired": gettext_lazy("This link has expired. Ask for a new one."),
    "used": gettext_lazy(
        "This link was used already, or the address has changed since it was sent."
    ),
}


def verification_send(*, user, counted: bool = True) -> None:
    """Queue the email with the link. A request by the person is limited (one every two
    minutes, a few a day); the one sent at sign-up is not counted."""
    if not has_role(user, Role.CITIZEN):
        raise PermissionDenied(_("Only a citizen's account verifies its email address here."))
    if user.email_verified_at is not None:
        raise ValidationError(_("Your email address is verified already."))
    if counted:
        spend(what="verification_minute", who=user, rate="1/minute")
        spend(what="verification_day", who=user, rate=settings.EMAIL_VERIFICATION_RATE)
    language = (get_language() or "th")[:2]
    transaction.on_commit(lambda: send_verification_email.delay(user.pk, language), robust=True)


def verification_check(token: str):
    """The account the link is for, or a ValidationError saying why not (nothing changes)."""
    try:
        return read_token(token, user_model=get_user_model())
    except BadToken as exc:
        raise ValidationError(str(MESSAGES[exc.reason]), code=exc.reason) from exc


def email_verify(*, token: str):
    """Mark the address verified: once, under a lock, audited."""
    user = verification_check(token)
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        if locked.email_verified_at is not None:
            raise ValidationError(str(MESSAGES["used"]), code="used")
        locked.email_verified_at = timezone.now()
        locked.save(update_fields=["email_verified_at"])
        audit_record(obj=locked, actor=locked, action="email_verified", data={})
    return locked
