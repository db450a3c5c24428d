"""The Colleagues page of an organisation or an agency (its people, their roles, pending
invitations, a form to invite one more) and the page an invitation's link opens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..lists import KeysFirstPaginator
from . import selectors, services
from .forms import ROLES_FOR, InvitationSignUpForm, InviteForm
from .permissions import can_invite
from .rules import acceptance_problem


def _place(user):
    """The user's organisation or agency: (kind, cso_id, agency_id, name)."""
    if user.cso_id:
        return "cso", user.cso_id, None, user.cso.name_th
    if user.agency_id:
        return "agency", None, user.agency_id, user.agency.name_th
    raise PermissionDenied(_("Your account belongs to no organisation or agency."))


@login_required
@require_http_methods(["GET", "POST"])
def colleagues(request):
    kind, cso_id, agency_id, name = _place(request.user)
    roles = ROLES_FOR[kind]
    allowed, why = can_invite(request.user, cso_id=cso_id, agency_id=agency_id)
    form = InviteForm(request.POST or None, roles=roles)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(why)
        if form.is_valid():
            try:
                invitation, _token = services.invitation_create(
                    inviter=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    cso_id=cso_id,
                    agency_id=agency_id,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("colleagues")
    people = KeysFirstPaginator(
        selectors.colleagues(cso_id=cso_id, agency_id=agency_id), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "invitations/colleagues.html",
        {
            "kind": kind,
            "place_name": name,
            "page": people,
            "pending": selectors.invitations_pending(cso_id=cso_id, agency_id=agency_id)[:50],
            "form": form,
            "may_invite": allowed,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, pk):
    invitation = selectors.invitation_for_user(request.user, pk)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_revoke(invitation=invitation, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
            )
        return redirect("colleagues")
    return render(request, "invitations/revoke_confirm.html", {"invitation": invitation})


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = selectors.invitation_by_token(token)
    problem = acceptance_problem(invitation, now=timezone.now())
    if problem:
        return render(request, "invitations/invalid.html", {"problem": problem}, status=410)
    user = request.user
    form = None
    error = ""
    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(token=token, user=user)
            except (ValidationError, PermissionDenied) as exc:
                error = " ".join(getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(
                    request,
                    _("Welcome to %(name)s.") % {"name": invitation.organisation.name_th},
                )
                return redirect("colleagues")
    else:
        form = InvitationSignUpForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                new_user = services.invitation_sign_up(
                    token=token,
                    username=data["username"],
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                login(request, new_user, backend=settings.PORTAL_AUTH_BACKEND)
                messages.success(
                    request,
                    _("Welcome to %(name)s.") % {"name": invitation.organisation.name_th},
                )
                return redirect("colleagues")
    return render(
        request,
        "invitations/accept.html",
        {"invitation": invitation, "form": form, "error": error},
    )
