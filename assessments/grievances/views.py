"""Grievances on the web. The citizen's pages need no account: file one, read the tracking
id and the reply code once, follow the public status page (no personal data), reply or say
whether it was resolved. The handlers' pages: the list of grievances a person may see and
one grievance's page with the actions their role allows. Every change goes through a
service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.grievances import permissions, selectors, services
from assessments.grievances.api import GrievanceFilingThrottle
from assessments.grievances.forms import (
    GrievanceFileForm,
    ListFilterForm,
    MergeForm,
    RejectForm,
    ReplyForm,
    ResolvedForm,
    RespondForm,
    RouteForm,
    TrackForm,
)
from assessments.grievances.models import Grievance
from assessments.grievances.rules import normal_tracking_id
from portal.api.access import address_allowed
from portal.audit import audit_history
from portal.lists import KeysFirstPaginator
from portal.roles import is_grievance_verifier
from portal.workflow import Conflict, InvalidTransition

GS = Grievance.Status
PER_PAGE = 20
TOKEN_SESSION_KEY = "grievance_reply_codes"  # nosec B105 # a session key's name


def grievance_home(request):
    """Where a citizen starts: file a grievance, or follow one by its tracking id."""
    return render(request, "assessments/grievances/home.html", {"track_form": TrackForm()})


@require_http_methods(["GET", "POST"])
def grievance_file(request):
    # The charter's poster links here with ?agreement=<id>: that project comes chosen.
    chosen = request.GET.get("agreement", "")
    initial = {"agreement": chosen} if chosen.isdigit() else {}
    posted = request.method == "POST"  # an empty POST is a bound, empty form (never None)
    form = GrievanceFileForm(
        request.POST if posted else None, request.FILES if posted else None, initial=initial
    )
    if posted:
        allowed, wait = address_allowed(GrievanceFilingThrottle, request)
        if not allowed:
            minutes = max(1, int((wait or 60) // 60))
            form.is_valid()  # the form shows again with what was typed and this message
            form.add_error(
                None,
                _(
                    "Too many grievances were filed from your connection. Try again in "
                    "%(minutes)s minutes."
                )
                % {"minutes": minutes},
            )
            return render(request, "assessments/grievances/file.html", {"form": form}, status=429)
        if form.is_robot:
            form.add_error(None, _("Leave the last box empty and send again."))
        elif form.is_valid():
            try:
                grievance, token = services.grievance_file(
                    **form.service_kwargs(), citizen=request.user
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                codes = request.session.get(TOKEN_SESSION_KEY, {})
                codes[grievance.tracking_id] = token
                request.session[TOKEN_SESSION_KEY] = codes
                return redirect("grievance-filed", tracking_id=grievance.tracking_id)
    return render(request, "assessments/grievances/file.html", {"form": form})


def grievance_filed(request, tracking_id):
    """The tracking id and, once, the reply code (taken from the session as it is shown)."""
    _named, grievance = selectors.grievance_by_tracking_id(tracking_id)
    codes = request.session.get(TOKEN_SESSION_KEY, {})
    token = codes.pop(grievance.tracking_id, None)
    if token is not None:
        request.session[TOKEN_SESSION_KEY] = codes
    response = render(
        request,
        "assessments/grievances/filed.html",
        {"grievance": grievance, "token": token},
    )
    response["Cache-Control"] = "no-store"
    return response


def grievance_track(request):
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normal_tracking_id(form.cleaned_data["tracking_id"])
        if code and Grievance.objects.filter(tracking_id=code).exists():
            return redirect("grievance-status", tracking_id=code)
        form.add_error(
            "tracking_id",
            _("No grievance has this tracking id. It looks like GR-2569-7K4Q-M2XD."),
        )
    return render(
        request, "assessments/grievances/home.html", {"track_form": form, "tracking": True}
    )


def _citizen_forms(request, grievance, action):
    """The reply and verdict forms the status page offers now (a signed-in citizen who
    filed it needs no code)."""
    own = request.user.is_authenticated and permissions.is_the_citizen(grievance, user=request.user)
    data = request.POST if request.method == "POST" else None
    resolved_form = reply_form = None
    asked = grievance.status == GS.RESPONDED or (
        grievance.status == GS.CLOSED and grievance.responded_at and not grievance.resolved
    )
    if asked or action == "resolved":
        resolved_form = ResolvedForm(
            data if action == "resolved" else None, token_needed=not own, prefix="resolved"
        )
    if grievance.status == GS.RESPONDED or action == "reply":
        reply_form = ReplyForm(
            data if action == "reply" else None, token_needed=not own, prefix="reply"
        )
    return own, resolved_form, reply_form


@require_http_methods(["GET", "POST"])
def grievance_status(request, tracking_id):
    """The public status page: where it stands, each step's due date, the answer. Never
    the citizen's name, contact or account of events."""
    named, grievance = selectors.grievance_by_tracking_id(tracking_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action not in (None, "reply", "resolved"):
        messages.error(request, _("Choose one of the buttons on the page."))
        return redirect("grievance-status", tracking_id=named.tracking_id)
    own, resolved_form, reply_form = _citizen_forms(request, grievance, action)
    form = resolved_form if action == "resolved" else reply_form
    if form is not None and form.is_valid():
        user = request.user if own else None
        token = form.cleaned_data.get("token")
        try:
            if action == "resolved":
                services.grievance_resolved(
                    grievance=grievance,
                    resolved=form.cleaned_data["resolved"],
                    token=token,
                    user=user,
                )
                done = _("Thank you: your answer was recorded.")
            else:
                services.grievance_reply(
                    grievance=grievance, text=form.cleaned_data["text"], token=token, user=user
                )
                done = _("Your reply was sent; the agency answers within 5 working days.")
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error("token" if "token" in form.fields else None, str(exc))
        except (InvalidTransition, Conflict) as exc:
            messages.error(request, exc.message)
            return redirect("grievance-status", tracking_id=named.tracking_id)
        else:
            messages.success(request, done)
            return redirect("grievance-status", tracking_id=named.tracking_id)
    return render(
        request,
        "assessments/grievances/status.html",
        {
            "named": named,
            "grievance": grievance,
            "late": grievance.late_on(timezone.localdate()),
            "resolved_form": resolved_form,
            "reply_form": reply_form,
            "agency_name": grievance.agency.name,
        },
        status=200,
    )


# --- the handlers' pages -----------------------------------------------------------------


@login_required
def grievance_list(request):
    form = ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.grievance_list(
        request.user, status=filters.get("status") or None, late=filters.get("late", False)
    )
    page = KeysFirstPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "assessments/grievances/list.html",
        {
            "form": form,
            "page": page,
            "rows": [{"g": g, "late": g.late_on(today)} for g in page.object_list],
            "is_verifier": is_grievance_verifier(request.user),
        },
    )


HANDLER_ACTIONS = {
    "route": (RouteForm, permissions.can_route),
    "reject": (RejectForm, permissions.can_reject),
    "merge": (MergeForm, permissions.can_merge),
    "respond": (RespondForm, permissions.can_respond),
}


def _run(action, grievance, user, data):
    if action == "route":
        services.grievance_route(
            grievance=grievance,
            verifier=user,
            agency=data["agency"] or None,
            agreement=data["agreement"] or None,
        )
        return _("It was routed; the agency was told and must answer within 5 working days.")
    if action == "reject":
        services.grievance_reject(grievance=grievance, verifier=user, reason=data["reason"])
        return _("It was rejected; the citizen reads the reason on the status page.")
    if action == "merge":
        services.grievance_merge(grievance=grievance, verifier=user, into=data["into"])
        return _("It was merged; its tracking id now shows the other grievance's status.")
    services.grievance_respond(
        grievance=grievance, officer=user, response=data["response"], upheld=data["upheld"]
    )
    return _("Your answer was sent; the citizen reads it on the status page.")


@login_required
@require_http_methods(["GET", "POST"])
def grievance_handle(request, pk):
    """One grievance for those who handle it: what the citizen wrote, who they are (where
    the person may see it), the conversation, the due dates and the actions allowed."""
    grievance = selectors.grievance_get_for_user(request.user, pk)
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in HANDLER_ACTIONS:
        messages.error(request, _("Choose one of the buttons on the page."))
        return redirect("grievance-handle", pk=grievance.pk)
    forms = {}
    for name, (form_class, permitted) in HANDLER_ACTIONS.items():
        if name == action or permitted(user, grievance)[0]:
            initial = {}
            if name == "route":
                initial = {"agency": grievance.agency_id, "agreement": grievance.agreement_id}
            forms[name] = form_class(
                request.POST if name == action else None, prefix=name, initial=initial
            )
    if action is not None:
        form = forms[action]
        if form.is_valid():
            try:
                done = _run(action, grievance, user, form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except (InvalidTransition, Conflict) as exc:
                messages.error(request, exc.message)
                return redirect("grievance-handle", pk=grievance.pk)
            else:
                messages.success(request, done)
                return redirect("grievance-handle", pk=grievance.pk)
    personal = permissions.can_see_personal_data(user, grievance)[0]
    return render(
        request,
        "assessments/grievances/handle.html",
        {
            "grievance": grievance,
            "personal": personal,
            "late": grievance.late_on(timezone.localdate()),
            "conversation": list(grievance.messages.all()),
            "attachments": list(grievance.attachments.all()) if personal else [],
            "forms": forms,
            "history": audit_history(grievance),
            "status_url": reverse("grievance-status", args=[grievance.tracking_id]),
        },
    )


@login_required
def grievance_attachment(request, pk, file_id):
    grievance = selectors.grievance_get_for_user(request.user, pk)
    if not permissions.can_see_personal_data(request.user, grievance)[0]:
        raise Http404
    attachment = grievance.attachments.filter(pk=file_id).first()
    if attachment is None or not attachment.file:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"{grievance.tracking_id}-{attachment.pk}",
    )
