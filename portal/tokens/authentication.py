from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .selectors import expires_at


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once it is API_TOKEN_DAYS old (a person signs in again for a
    new one); an API client account's token does not expire."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        ends = expires_at(token)
        if ends is not None and ends <= timezone.now():
            raise AuthenticationFailed(
                _(
                    "This token has expired. Sign in again (POST /api/v1/auth/token/) for a new "
                    "one."
                ),
                code="token_expired",
            )
        return user, token
