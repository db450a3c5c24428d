"""A person's API token on the web: when it was made, when it expires, a new one (the key
shown once) and revoking it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.confirm import Confirmation, confirm_action

from . import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def token_page(request):
    new_key = None
    if request.method == "POST":
        new_key = services.token_replace(user=request.user)
        messages.success(request, _("Your new token is below. Copy it now: it is shown only once."))
    token = selectors.token_of(request.user)
    context = {
        "token": token,
        "expires_at": selectors.expires_at(token) if token else None,
        "new_key": new_key,
        "token_days": settings.API_TOKEN_DAYS,
    }
    response = render(request, "portal/tokens/page.html", context)
    if new_key:
        response["Cache-Control"] = "no-store"  # the key must not stay in a cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request):
    token = selectors.token_of(request.user)
    if token is None and request.method == "GET":
        return redirect("token-page")

    def describe():
        return Confirmation(
            question=_("Revoke your API token?"),
            button=_("Revoke the token"),
            back_url=reverse("token-page"),
            effects=[
                _("Any program using it stops working at once. You can make a new token later.")
            ],
        )

    return confirm_action(
        request,
        allowed=(True, ""),
        perform=lambda data: services.token_revoke(
            user=request.user, actor=request.user, why="request"
        ),
        done=_("Your API token is revoked."),
        done_url=reverse("token-page"),
        describe=describe,
    )
