"""django-axes, tuned for the portal. Failures are counted per username and per address over
the cool-off; a username locks after ``SIGNIN_USER_FAILURE_LIMIT`` of them, an address only
after ``SIGNIN_ADDRESS_FAILURE_LIMIT`` (a ministry's officers share one address behind NAT,
and a colleague's typo must not lock the rest). Successful sign-ins never count."""

import hashlib
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Sum
from django.forms.utils import ErrorDict
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The caller's address as the API's throttles read it (NUM_PROXIES decides which
    X-Forwarded-For entry), so the web form and the API count one address alike."""
    return BaseThrottle().get_ident(request)


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What axes writes to the log about a client: no username and no address (personal
    data stays out of logs), only a short digest to tell repeated failures apart."""
    digest = hashlib.sha256(f"{username}|{ip_address}".encode()).hexdigest()[:12]
    return f"client {digest} on {path_info}"


def _sum(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PortalLockoutHandler(AxesDatabaseHandler):
    def failures_by(self, request, credentials=None) -> tuple[int, int]:
        """(failures for this username, failures from this address) within the cool-off."""
        by_username, by_address = self.get_user_attempts(request, credentials)
        return _sum(by_username), _sum(by_address)

    def get_failures(self, request, credentials=None) -> int:
        # axes compares one number with one limit (AXES_FAILURE_LIMIT, the username's).
        # The address's count is shifted so that it reaches that limit exactly when it
        # reaches its own, larger one.
        by_username, by_address = self.failures_by(request, credentials)
        shift = settings.SIGNIN_ADDRESS_FAILURE_LIMIT - settings.SIGNIN_USER_FAILURE_LIMIT
        return max(by_username, by_address - shift)


def _minutes_left(request) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_seconds(request) -> int:
    return _minutes_left(request) * 60


def lockout_message(request) -> str:
    minutes = _minutes_left(request)
    return ngettext(
        "Too many failed sign-ins for this account or from this address. Try again in "
        "%(minutes)d minute, or set a new password through “Forgotten your password?”, "
        "which also lifts the lock. The portal's staff can lift it too.",
        "Too many failed sign-ins for this account or from this address. Try again in "
        "%(minutes)d minutes, or set a new password through “Forgotten your password?”, "
        "which also lifts the lock. The portal's staff can lift it too.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The API answers 429 in its error shape; a page shows the sign-in form again with the
    username kept and the lock explained (the admin's sign-in as well)."""
    message = lockout_message(request)
    retry_after = str(_minutes_left(request) * 60)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"code": "locked_out", "message": message, "fields": {}}}, status=429
        )
    else:
        from portal.forms import LoginForm  # the forms import auth models; load them late

        # An unbound form (binding it would check the password again and count a failure)
        # with the username kept and the lock as its one error.
        form = LoginForm(request, initial={"username": (credentials or {}).get("username", "")})
        errors = form.error_class([message], error_class="nonfield")
        form._errors = ErrorDict({NON_FIELD_ERRORS: errors})
        response = render(
            request,
            "registration/login.html",
            {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response
