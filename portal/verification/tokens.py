"""The verification link's token: the account and the address it was sent to, signed with
the secret key and timed. It is single-use: once the address is verified (or changed) the
signed state no longer matches."""

from django.conf import settings
from django.core import signing

SALT = "portal.verification.email"


def _state(user) -> str:
    verified = user.email_verified_at.isoformat() if user.email_verified_at else "-"
    return f"{user.email.lower()}|{verified}"


def make_token(user) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"u": user.pk, "s": _state(user)})


class BadToken(Exception):
    """The link is not one of ours, has expired, or was used already."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "used"


def read_token(token: str, *, user_model):
    """The account the token was made for, or ``BadToken``."""
    max_age = settings.EMAIL_VERIFICATION_DAYS * 86400
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadToken("expired") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise BadToken("invalid")
    user = user_model.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        raise BadToken("invalid")
    if data.get("s") != _state(user):
        raise BadToken("used")
    return user
