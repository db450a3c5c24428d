"""The notices' pages: the inbox with its filters, marking read, following a notice, and
each person's settings per kind of notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import NoticeFilterForm, NoticePreferencesForm
from .kinds import KINDS

NOTICES_PER_PAGE = 20


def _back_to_list(request):
    """Back to the list as it was (its filters and page), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notice-list")


@login_required
@require_GET
def notice_list(request):
    """The signed-in person's notices in the portal, newest first, with filters."""
    form = NoticeFilterForm(request.GET or None)
    inbox = selectors.notice_inbox(request.user).filter(**form.filters())
    page = Paginator(inbox, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"notice": n, "label": KINDS[n.kind].label if n.kind in KINDS else n.kind}
        for n in page.object_list
    ]
    return render(
        request,
        "notices/notice_list.html",
        {"form": form, "page": page, "rows": rows, "filtered": bool(form.filters())},
    )


@login_required
@require_POST
def notice_read(request, pk):
    notice = get_object_or_404(selectors.notice_inbox(request.user), pk=pk)
    services.notice_mark_read(user=request.user, notice_ids=[notice.pk])
    messages.success(request, _("Marked “%(subject)s” as read.") % {"subject": notice.subject})
    return _back_to_list(request)


@login_required
@require_POST
def notice_read_all(request):
    count = services.notice_mark_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)s notice marked as read.", "%(count)s notices marked as read.", count)
        % {"count": count},
    )
    return _back_to_list(request)


@login_required
@require_POST
def notice_open(request, pk):
    """Follow a notice to its page, marking it read on the way. A POST with the CSRF token,
    not a GET: a prefetching browser, a crawler or another site's <img> cannot mark anyone's
    notices read, and the control is a real button for the keyboard and screen readers."""
    notice = get_object_or_404(selectors.notice_inbox(request.user), pk=pk)
    services.notice_mark_read(user=request.user, notice_ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notice.url)
    return redirect("notice-list")


@login_required
@require_http_methods(["GET", "POST"])
def notice_preferences(request):
    """Per kind of notice: by email, in the portal (not for a legal deadline's notice)."""
    form = NoticePreferencesForm(
        request.POST if request.method == "POST" else None,
        preferences=selectors.notice_preferences_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_preferences_save(user=request.user, choices=form.choices())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Your notice settings are saved."))
            return redirect("notice-preferences")
    return render(request, "notices/notice_preferences.html", {"form": form})
