from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from csos.registration import selectors as registration_selectors
from csos.registration.models import CSO
from csos.registration.rules import part_states
from portal import page_cache
from portal.audit import audit_history
from portal.confirm import Confirmation, confirm_action
from portal.exports import Column, export_list, wanted_format
from portal.roles import Role, has_role
from portal.workflow import NotNow

from . import permissions, selectors, services
from .forms import ApproveForm, OptionalReasonForm, QueueFilterForm, ReasonForm
from .rules import DECISION_SOURCES


def _require_reviewer(request):
    if not has_role(request.user, Role.COMMITTEE_REVIEWER):
        raise PermissionDenied(_("Only a committee reviewer can open the review queue."))


CSO_COLUMNS = [
    Column(gettext_lazy("Organisation"), lambda c: c.name),
    Column(gettext_lazy("juristic person ID"), lambda c: c.juristic_id),
    Column(gettext_lazy("organisation form"), lambda c: c.get_org_form_display()),
    Column(gettext_lazy("Status"), lambda c: c.get_status_display()),
    Column(gettext_lazy("submitted at"), lambda c: c.submitted_at),
    Column(gettext_lazy("approved at"), lambda c: c.approved_at),
]


@login_required
@page_cache.personal
def review_queue(request):
    _require_reviewer(request)
    params = request.GET.copy()
    params.setdefault("status", CSO.Status.SUBMITTED)
    form = QueueFilterForm(params)
    if kind := wanted_format(request):
        rows = selectors.review_queue(**form.filters()).prefetch_related(None)
        return export_list(rows.iterator(chunk_size=2000), CSO_COLUMNS, name="csos", kind=kind)
    page = Paginator(selectors.review_queue(**form.filters()), 20).get_page(request.GET.get("page"))
    return render(request, "csos/review/review_queue.html", {"form": form, "page": page})


REVIEW_FORMS = {
    "approve": ApproveForm,
    "request_changes": ReasonForm,
    "reject": ReasonForm,
    "suspend": ReasonForm,
    "reinstate": OptionalReasonForm,
}


def _review_forms(cso, bound_action=None, data=None):
    """The decision forms the CSO's status allows, one of them bound after a failed POST."""
    forms = {}
    for action, form_class in REVIEW_FORMS.items():
        if cso.status not in DECISION_SOURCES[action]:
            continue
        initial = (
            {"certified_fields": [a.code for a in cso.activity_fields.all()]}
            if action == "approve"
            else None
        )
        bound = data if action == bound_action else None
        forms[action] = form_class(bound, prefix=action, initial=initial)
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk):
    _require_reviewer(request)
    cso = registration_selectors.cso_get_for_user(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _review_forms(cso, action, request.POST)
    if action in forms:  # an older page's form: asked as on its confirmation page
        return _confirm_decision(request, cso, action)
    if action is not None:
        form = forms.get(action)
        if form is None:
            messages.error(
                request,
                _("This cannot be done while the status is “%(status)s”.")
                % {"status": cso.get_status_display()},
            )
            return redirect("review-detail", pk=cso.pk)
        if form.is_valid():
            try:
                _decide(action, cso, request.user, form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request, _("Your decision was recorded and the organisation told.")
                )
                return redirect("review-detail", pk=cso.pk)
    return render(
        request,
        "csos/review/review_detail.html",
        {
            "cso": cso,
            "forms": forms,
            "documents": list(cso.documents.all()),
            "history": audit_history(cso),
            "states": part_states(cso),
        },
    )


def _decide(action, cso, reviewer, data):
    if action == "approve":
        services.cso_approve(
            cso=cso,
            reviewer=reviewer,
            certified_fields=[a.code for a in data["certified_fields"]],
            scope_note=data["scope_note"],
        )
    else:
        service = {
            "request_changes": services.cso_request_changes,
            "reject": services.cso_reject,
            "suspend": services.cso_suspend,
            "reinstate": services.cso_reinstate,
        }[action]
        service(cso=cso, reviewer=reviewer, reason=data["reason"])


# --- each decision asked on a page of its own (portal.confirm) ------------------------------

DECISION_PAGES = {
    # action: (the question, the button, destructive?)
    "approve": (
        gettext_lazy("Approve and certify %(name)s?"),
        gettext_lazy("Yes, approve and certify"),
        False,
    ),
    "request_changes": (
        gettext_lazy("Ask %(name)s for changes?"),
        gettext_lazy("Yes, ask for changes"),
        False,
    ),
    "reject": (
        gettext_lazy("Reject the registration of %(name)s?"),
        gettext_lazy("Yes, reject the registration"),
        True,
    ),
    "suspend": (
        gettext_lazy("Suspend %(name)s?"),
        gettext_lazy("Yes, suspend the organisation"),
        True,
    ),
    "reinstate": (
        gettext_lazy("Reinstate %(name)s?"),
        gettext_lazy("Yes, reinstate the organisation"),
        False,
    ),
}
DECISION_EFFECTS = {
    "approve": [
        gettext_lazy(
            "The organisation is registered in the public directory with the fields you "
            "certify, and gets its registration certificate."
        ),
        gettext_lazy("It can then answer calls for proposals."),
    ],
    "request_changes": [
        gettext_lazy(
            "The registration goes back to the organisation to change; it reads your reason "
            "and submits again."
        ),
    ],
    "reject": [
        gettext_lazy("The registration is refused; the organisation reads your reason."),
        gettext_lazy("This cannot be undone."),
    ],
    "suspend": [
        gettext_lazy(
            "No tranche is released or paid to the organisation while it is suspended; its "
            "progress reports are still due."
        ),
        gettext_lazy("The organisation reads your reason. A reviewer can reinstate it later."),
    ],
    "reinstate": [
        gettext_lazy("The organisation is approved again and payments to it can resume."),
    ],
}


def _may_decide(user, cso, action):
    """can_review, then whether the registration's status allows this decision now."""
    allowed, why = permissions.can_review(user, cso)
    if allowed and cso.status not in DECISION_SOURCES[action]:
        return False, NotNow(
            _("This cannot be done while the status is “%(status)s”.")
            % {"status": cso.get_status_display()}
        )
    return allowed, why


def _confirm_decision(request, cso, action):
    question, button, danger = DECISION_PAGES[action]
    back_url = reverse("review-detail", args=[cso.pk])

    def describe():
        return Confirmation(
            question=question % {"name": cso.name},
            facts=[
                (_("Organisation"), cso.name),
                (_("Juristic person ID"), cso.juristic_id or "—"),
                (_("Status"), cso.get_status_display()),
            ],
            effects=[
                *DECISION_EFFECTS[action],
                _("The organisation's members are told at once."),
            ],
            button=button,
            back_url=back_url,
            danger=danger,
        )

    initial = (
        {"certified_fields": [a.code for a in cso.activity_fields.all()]}
        if action == "approve"
        else None
    )
    return confirm_action(
        request,
        allowed=_may_decide(request.user, cso, action),
        form_class=REVIEW_FORMS[action],
        form_kwargs={"prefix": action, "initial": initial},
        perform=lambda data: _decide(action, cso, request.user, data),
        done=_("Your decision was recorded and the organisation told."),
        done_url=back_url,
        describe=describe,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_decision(request, pk, action):
    """One committee decision on a page of its own: about whom, what follows, who is told;
    the POST from it decides."""
    _require_reviewer(request)
    cso = registration_selectors.cso_get_for_user(request.user, pk)
    if action not in DECISION_PAGES:
        raise Http404
    return _confirm_decision(request, cso, action)
