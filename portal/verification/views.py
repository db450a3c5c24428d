"""The verification pages: the link's page (a button, so a mail scanner opening the link
verifies nothing) and asking for the link again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..rates import RateLimited
from . import services


@require_http_methods(["GET", "POST"])
def verify_email(request, token):
    problem = ""
    try:
        person = services.verification_check(token)
    except ValidationError as exc:
        person, problem = None, " ".join(exc.messages)
    if request.method == "POST" and person is not None:
        try:
            services.email_verify(token=token)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(
                request, _("Your email address is verified: you can now take part fully.")
            )
            # Signed out, the person is sent home, where the header offers to sign in.
            return redirect("my-work" if request.user.is_authenticated else "home")
    return render(
        request,
        "verification/verify.html",
        {"person": person, "problem": problem},
        status=400 if problem else 200,
    )


@login_required
@require_POST
def verification_resend(request):
    try:
        services.verification_send(user=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    except RateLimited as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("We sent a new link to %(email)s. It works for %(days)s days.")
            % {"email": request.user.email, "days": services.settings.EMAIL_VERIFICATION_DAYS},
        )
    return redirect("my-work")
