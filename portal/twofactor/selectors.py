"""Reads of a person's two-factor devices."""

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user, *, confirmed=True) -> TOTPDevice | None:
    if not (user and user.is_authenticated):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def has_two_factor(user) -> bool:
    """Enrolled: a confirmed authenticator app (recovery codes alone are no enrolment)."""
    if not (user and user.is_authenticated):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def recovery_codes_left(user) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0
