"""Writes of two-factor sign-in: enrol an authenticator app, check a code at sign-in, make
new recovery codes, turn it off, and a staff administrator's reset. Each change is audited on
the person's user record and, where it changes how they sign in, emailed to them.

The codes are checked by django-otp's devices, whose own throttling makes each wrong code
wait longer before the next (1, 2, 4 … times OTP_*_THROTTLE_FACTOR seconds): a failed
code, like a failed password, locks for a while."""

import math
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import audit_record
from portal.models import User
from portal.workflow import InvalidTransition, require

from .delivery import send_two_factor_email
from .permissions import can_disable, can_enrol, can_reset

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_CODE = re.compile(r"\d{6}")


class CodeLocked(ValidationError):
    """Too many wrong codes in a row: no code is checked until ``wait`` seconds pass."""

    def __init__(self, wait: int, field: str = "code"):
        self.wait = wait
        message = ngettext(
            "Too many wrong codes. Wait %(seconds)d second, then try again.",
            "Too many wrong codes. Wait %(seconds)d seconds, then try again.",
            wait,
        ) % {"seconds": wait}
        super().__init__({field: [message]})


def normalise_code(code) -> str:
    """What was typed, without spaces or dashes (codes are shown in groups), lower case."""
    return re.sub(r"[\s\-]", "", str(code or "")).lower()


def _wait_seconds(info) -> int:
    until = (info or {}).get("locked_until")
    if (info or {}).get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS or until is None:
        return 1
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def _wrong_code(field: str) -> ValidationError:
    return ValidationError(
        {
            field: [
                _(
                    "That code is wrong or has expired. Type the 6-digit code your app "
                    "shows now, or one of your recovery codes."
                )
            ]
        }
    )


def _check(device, code: str) -> tuple[bool, int]:
    """(accepted, seconds to wait); call inside the transaction holding the device's lock."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return False, _wait_seconds(info)
    return device.verify_token(code), 0


def _email_on_commit(user, event: str) -> None:
    transaction.on_commit(lambda: send_two_factor_email.delay(user.pk, event), robust=True)


def _new_recovery_codes(user) -> list[str]:
    """Replace the person's recovery codes with RECOVERY_CODE_COUNT new ones: the old ones
    stop working. Returns the new codes, shown once."""
    device = StaticDevice.objects.filter(user=user).order_by("id").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    if device.throttling_failure_count:
        device.throttle_reset()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    ordered = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in ordered)
    return ordered


def two_factor_enrol_begin(*, user) -> TOTPDevice:
    """The authenticator app to be confirmed: a new secret, or the one already shown (so a
    reload shows the same QR code until a code from it is typed)."""
    require(can_enrol(user))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise InvalidTransition(_("Two-factor sign-in is already set up for your account."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def two_factor_enrol_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """A code from the app proves it holds the secret: the app is confirmed and ten recovery
    codes are made. Returns the device (to mark the session verified) and the codes, which
    are shown once."""
    require(can_enrol(user))
    code = normalise_code(code)
    if not TOTP_CODE.fullmatch(code):
        raise ValidationError({"code": [_("Type the 6-digit code your app shows.")]})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one enrolment at a time
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise InvalidTransition(_("Two-factor sign-in is already set up for your account."))
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-id")
            .first()
        )
        if device is None:
            raise InvalidTransition(_("Start again: the set-up page shows a new QR code."))
        accepted, wait = _check(device, code)
        codes = []
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _new_recovery_codes(user)
            audit_record(obj=user, actor=user, action="two_factor_enrol")
            _email_on_commit(user, "enrolled")
    # Raised outside the transaction: the wrong try's count (the throttle) must stay.
    if wait:
        raise CodeLocked(wait)
    if not accepted:
        raise _wrong_code("code")
    return device, codes


def two_factor_verify(*, user, code: str, field: str = "code"):
    """The second step of signing in: a code from the app (six digits) or one of the
    recovery codes (each works once; its use is audited). Returns the device that accepted
    it; a wrong code raises ValidationError on ``field``, too many raise CodeLocked."""
    code = normalise_code(code)
    if not code:
        raise ValidationError(
            {field: [_("Type the 6-digit code from your app, or a recovery code.")]}
        )
    recovery = not TOTP_CODE.fullmatch(code)
    model = StaticDevice if recovery else TOTPDevice
    accepted, wait, device = False, 0, None
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-id")
            .first()
        )
        if device is not None and len(code) <= 16:
            accepted, wait = _check(device, code)
        if accepted and recovery:
            audit_record(
                obj=user,
                actor=user,
                action="two_factor_recovery_code_used",
                data={"recovery_codes_left": device.token_set.count()},
            )
    if wait:
        raise CodeLocked(wait, field)
    if not accepted:
        raise _wrong_code(field)
    return device


def two_factor_recovery_codes_regenerate(*, user) -> list[str]:
    """Ten new recovery codes; the old ones stop working. Returns the codes (shown once)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise InvalidTransition(_("Set up two-factor sign-in first."))
        codes = _new_recovery_codes(user)
        audit_record(obj=user, actor=user, action="two_factor_codes_regenerate")
    return codes


def _remove_devices(user) -> int:
    totp, _by_model = TOTPDevice.objects.filter(user=user).delete()
    static, _by_model = StaticDevice.objects.filter(user=user).delete()
    return totp + static


def two_factor_disable(*, user, password: str) -> None:
    """Turn two-factor sign-in off (only where it is optional), after the password is typed
    again: the app's secret and the recovery codes are removed."""
    require(can_disable(user))
    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("The password is wrong.")]})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise InvalidTransition(_("Two-factor sign-in is not on for your account."))
        _remove_devices(user)
        audit_record(obj=user, actor=user, action="two_factor_disable")
        _email_on_commit(user, "disabled")


def two_factor_reset(*, user, actor, reason: str = "") -> None:
    """A staff administrator removes someone's app and recovery codes (a lost phone). Where
    it is required, they set it up again before anything else at their next page; their
    sessions verified with the old app are verified no longer."""
    require(can_reset(actor, user))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        if not (_remove_devices(user) and enrolled):
            raise InvalidTransition(_("This person has no two-factor sign-in to reset."))
        audit_record(
            obj=user,
            actor=actor,
            action="two_factor_reset",
            reason=reason,
        )
        _email_on_commit(user, "reset")
