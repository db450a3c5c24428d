from datetime import datetime, timedelta

from django.conf import settings
from rest_framework.authtoken.models import Token

from portal.roles import Role, has_role


def token_expires(user) -> bool:
    """A person's token expires; an API client account's does not (staff rotate it)."""
    return not has_role(user, Role.API_CLIENT)


def expires_at(token: Token) -> datetime | None:
    if not token_expires(token.user):
        return None
    return token.created + timedelta(days=settings.API_TOKEN_DAYS)


def token_of(user) -> Token | None:
    return Token.objects.filter(user=user).first()
