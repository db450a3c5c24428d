"""A network's local issues: the public list, and raising one (a certified member or the
manager). An issue's own page, with its action contract, is in ``actioncontracts.views``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.workflow import refuse_wrong_person

from ..networks import selectors as networks
from . import permissions, selectors, services
from .forms import RaiseForm

PER_PAGE = 20


def issue_list(request, code):
    network = networks.network_for_province(code)
    page = Paginator(selectors.issues_of(network), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "csos/localissues/list.html",
        {
            "network": network,
            "page": page,
            "may_raise": permissions.can_raise(request.user, network)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_raise(request, code):
    network = networks.network_for_province(code)
    refuse_wrong_person(permissions.can_raise(request.user, network))
    members = networks.members_spoken_for(request.user, network)
    form = RaiseForm(request.POST or None, request.FILES or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raised_for = next((m for m in members if m.pk == data["raised_for"]), None)
        try:
            issue = services.issue_raise(
                person=request.user, network=network, data=data,
                upload=data.get("evidence_file"), raised_for=raised_for,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The issue is raised and public."))
            return redirect("network-issue", code=code, pk=issue.pk)
    return render(
        request, "csos/localissues/raise.html", {"form": form, "network": network},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip
