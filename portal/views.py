import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .forms import SignUpForm
from .lockouts.signups import SignUpLimit
from .roles import Role
from .services import user_password_record, user_sign_up


def home(request, sections=None):
    """The home page. What it shows of the apps (the number of approved organisations, the
    latest missions) comes from ``sections``, name → a function of no arguments, which the
    URLconf passes in: portal reads no app's data itself."""
    return render(request, "home.html", {name: load() for name, load in (sections or {}).items()})


@require_http_methods(["GET", "POST"])
def signup(request):
    # Arriving from "sign up to register" (an organisation), that choice comes ticked.
    wanted = Role.CSO_MEMBER if request.GET.get("for") == "organisation" else Role.CITIZEN
    form = SignUpForm(request.POST or None, initial={"role": wanted})
    limit = SignUpLimit(request)
    if request.method == "POST" and (wait := limit.wait()):
        minutes = max(1, math.ceil(wait / 60))
        form.is_valid()  # what was typed comes back, with its own problems too
        form.add_error(
            None,
            ngettext(
                "Too many accounts were made from this address. Try again in %(minutes)d minute.",
                "Too many accounts were made from this address. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return render(request, "registration/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_sign_up(
                username=data["username"],
                password=data["password1"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
            )
        except ValidationError as exc:
            errors = exc.message_dict
            if "password" in errors:
                errors["password1"] = errors.pop("password")
            form.add_service_errors(ValidationError(errors))
        else:
            limit.record()
            login(request, user, backend=settings.PORTAL_AUTH_BACKEND)
            if data["role"] == Role.CITIZEN:
                messages.success(
                    request,
                    _(
                        "Welcome. We sent a link to %(email)s: open it to verify your address "
                        "before you vote or take part in consultations."
                    )
                    % {"email": user.email},
                )
                return redirect("my-work")
            return redirect("registration")
    return render(request, "registration/signup.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_record(user=form.user, action="password_change")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_record(user=form.user, action="password_reset")
        return response


def privacy(request):
    """The privacy notice (PDPA): linked from the footer and every form that takes
    personal data."""
    return render(request, "privacy.html", {"contact_email": settings.PORTAL_CONTACT_EMAIL})


def help_page(request):
    return render(request, "help.html", {"contact_email": settings.PORTAL_CONTACT_EMAIL})


def bad_request(request, message, status):
    return render(request, "400.html", {"message": message}, status=status)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
