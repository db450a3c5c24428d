"""The staff page of sign-in locks in force, and lifting one after a confirmation."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.confirm import Confirmation, confirm_action
from portal.dates import format_be

from . import selectors, services
from .forms import LiftForm
from .permissions import can_lift_locks


def _require_staff(user):
    allowed, why = can_lift_locks(user)
    if not allowed:
        raise PermissionDenied(why)


@login_required
def lock_list(request):
    _require_staff(request.user)
    context = {
        "locks": selectors.current_locks(),
        "user_limit": settings.SIGNIN_USER_FAILURE_LIMIT,
        "address_limit": settings.SIGNIN_ADDRESS_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "portal/lockouts/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lock_lift(request, kind, value):
    _require_staff(request.user)
    if kind not in ("username", "address"):
        raise Http404
    lock = selectors.lock_of(kind, value)
    back = reverse("lock-list")
    if lock is None and request.method == "GET":
        raise Http404

    def describe():
        what = _("Account") if kind == "username" else _("Address")
        facts = [(what, value)]
        if lock is not None:
            facts += [
                (_("Failed sign-ins"), str(lock.failures)),
                (_("Lock ends by itself at"), format_be(lock.ends_at, "datetime")),
            ]
        return Confirmation(
            question=_("Lift this sign-in lock?"),
            button=_("Lift the lock"),
            back_url=back,
            facts=facts,
            effects=[_("The failed sign-ins are forgotten and sign-in is open again at once.")],
            danger=False,
        )

    return confirm_action(
        request,
        allowed=can_lift_locks(request.user),
        form_class=LiftForm,
        perform=lambda data: services.lock_lift(
            kind=kind, value=value, actor=request.user, reason=data["reason"]
        ),
        done=_("The lock is lifted."),
        done_url=back,
        describe=describe,
    )
