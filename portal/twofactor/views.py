"""Two-factor sign-in's pages: set-up (QR code, the secret to type, a code to confirm, then
the recovery codes once), the code step of signing in, new recovery codes, turning it off."""

import base64
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from portal.confirm import Confirmation, confirm_action, confirmation_page
from portal.workflow import require

from . import services
from .forms import EnrolCodeForm, PasswordAgainForm, SignInCodeForm
from .middleware import sign_in_step
from .permissions import can_disable, can_enrol, two_factor_required
from .selectors import has_two_factor, recovery_codes_left


def _next_url(request) -> str:
    """Where to go once the code is given: ``next`` if it is this site's, else the work page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _mark_verified(request, device) -> None:
    """The session passed the second step: django-otp remembers the device in it, under a
    new session key (a key seen before the step is worth nothing after it)."""
    otp_login(request, device)
    request.session.cycle_key()


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def _codes_page(request, codes: list[str], *, heading: str):
    shown = [_grouped(code) for code in codes]
    text = "\n".join(
        [
            _("Co-production Portal: recovery codes for %(username)s")
            % {"username": request.user.get_username()},
            _("Each code works once, in place of the code from your app."),
            "",
            *shown,
            "",
        ]
    )
    return render(
        request,
        "twofactor/recovery_codes.html",
        {
            "heading": heading,
            "codes": shown,
            "download_href": "data:text/plain;charset=utf-8," + quote(text),
            "next_url": _next_url(request),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Set up two-factor sign-in, or (once set up) what stands: codes left, new codes, off."""
    user = request.user
    if has_two_factor(user):
        return render(
            request,
            "twofactor/overview.html",
            {
                "codes_left": recovery_codes_left(user),
                "may_disable": can_disable(user)[0],
                "required": two_factor_required(user),
            },
        )
    require(can_enrol(user))
    form = EnrolCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol_confirm(
                user=user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            _mark_verified(request, device)
            return _codes_page(request, codes, heading=_("Two-factor sign-in is on"))
    device = services.two_factor_enrol_begin(user=user)
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "twofactor/enrol.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, border=4, dark="#000", light="#fff"),
            "secret": _grouped(secret),
            "required": two_factor_required(user),
            "next": request.GET.get("next", ""),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in, on its own page: the code from the app or a recovery
    code. A session that owes no code (already verified, or no app) goes straight on."""
    user = request.user
    if sign_in_step(user) != "verify":
        return redirect(_next_url(request))
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(left)d is left. You can make "
                        "new ones on the two-factor sign-in page.",
                        "You signed in with a recovery code; %(left)d are left. You can make "
                        "new ones on the two-factor sign-in page.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return render(
        request,
        "twofactor/verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


def _verified_with_app(request):
    user = request.user
    return has_two_factor(user) and user.is_verified()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    if not _verified_with_app(request):
        return redirect("two-factor")
    if request.method == "POST":
        codes = services.two_factor_recovery_codes_regenerate(user=request.user)
        return _codes_page(request, codes, heading=_("Your new recovery codes"))
    return confirmation_page(
        request,
        Confirmation(
            question=_("Make new recovery codes?"),
            button=_("Make new recovery codes"),
            back_url=reverse("two-factor"),
            danger=False,
            effects=[
                _("You get ten new codes, shown once: print them or save them somewhere safe."),
                _("Your old recovery codes stop working at once."),
            ],
        ),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def disable(request):
    """Turn two-factor sign-in off, with the password typed again (where it is optional)."""
    if not _verified_with_app(request):
        return redirect("two-factor")
    user = request.user
    return confirm_action(
        request,
        allowed=can_disable(user),
        form_class=PasswordAgainForm,
        perform=lambda data: services.two_factor_disable(user=user, password=data["password"]),
        done=_("Two-factor sign-in is off."),
        done_url=reverse("my-work"),
        describe=lambda: Confirmation(
            question=_("Turn two-factor sign-in off?"),
            button=_("Turn it off"),
            back_url=reverse("two-factor"),
            effects=[
                _("Signing in will ask for your password only."),
                _("Your authenticator app's entry and your recovery codes stop working."),
                _("We email you that it was turned off."),
            ],
        ),
    )
