"""Issue and revoke a person's API token, each audited (never the key itself)."""

from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from portal.audit import audit_record

from .selectors import expires_at


def _expired(token: Token) -> bool:
    ends = expires_at(token)
    return ends is not None and ends <= timezone.now()


def token_for_sign_in(*, user) -> str:
    """The token the API's sign-in returns: the person's current one while it lasts, a new
    one when there is none or it has expired."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not _expired(token):
            return token.key
        if token is not None:
            token.delete()
        token = Token.objects.create(user=user)
        audit_record(obj=user, actor=user, action="token_created", data={"via": "api"})
    return token.key


def token_replace(*, user) -> str:
    """A new token from the web page (the old one, if any, stops working); the key is shown
    once."""
    with transaction.atomic():
        replaced = Token.objects.filter(user=user).delete()[0] > 0
        token = Token.objects.create(user=user)
        audit_record(
            obj=user, actor=user, action="token_created", data={"via": "web", "replaced": replaced}
        )
    return token.key


def token_revoke(*, user, actor, why: str) -> bool:
    """Revoke ``user``'s token, if they have one. ``why``: ``request`` (by its owner),
    ``password_change``, ``password_reset`` or ``deactivation``."""
    with transaction.atomic():
        deleted = Token.objects.filter(user=user).delete()[0] > 0
        if deleted:
            audit_record(obj=user, actor=actor, action="token_revoked", data={"why": why})
    return deleted
