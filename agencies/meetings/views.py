"""The meetings' pages: the public list and page, organising (create, publish, cancel, record
what happened) and registering."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.confirm import Confirmation, confirm_action
from portal.dates import format_be
from portal.pages import stored_file

from ..missions.models import Mission
from . import permissions, selectors, services
from .calendar import meeting_ics
from .forms import CancelForm, MaterialForm, MeetingForm, RecordForm, RegistrationForm
from .models import Registration

PER_PAGE = 20


def meeting_list(request):
    past = request.GET.get("when") == "past"
    page = Paginator(selectors.public_meetings(upcoming=not past), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "agencies/meetings/list.html", {"page": page, "past": past})


def meeting_detail(request, pk, **kwargs):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    manages = permissions.can_manage_meeting(request.user, meeting.agency_id)[0]
    mine = selectors.registration_of(meeting, request.user)
    context = {
        "meeting": meeting,
        "manages": manages,
        "mine": mine,
        "position": selectors.waiting_position(mine),
        "may_register": permissions.can_register(request.user, meeting)[0] and mine is None,
        "form": RegistrationForm(),
        "materials": list(meeting.materials.all()),
    }
    if manages:
        context["may_add_material"] = permissions.can_add_material(request.user, meeting)[0]
        context["material_form"] = kwargs.get("material_form") or MaterialForm(prefix="material")
        people = list(
            meeting.registrations.exclude(status=Registration.Status.CANCELLED)
            .select_related("person")
            .order_by("status", "registered_at", "id")
        )
        context["people"] = people
        registered = [r for r in people if r.status == Registration.Status.REGISTERED]
        context["record_form"] = RecordForm(registrations=registered)
    return render(request, "agencies/meetings/detail.html", context)


def _officer_missions(user):
    return Mission.objects.filter(agency_id=user.agency_id).order_by("title_th")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    allowed, why = permissions.can_manage_meeting(request.user, request.user.agency_id)
    if not allowed:
        raise PermissionDenied(why)
    form = MeetingForm(request.POST or None, missions=_officer_missions(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(officer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("The meeting is saved as a draft. Publish it to open registration.")
            )
            return redirect("meeting-detail", pk=meeting.pk)
    return render(request, "agencies/meetings/form.html", {"form": form})


def _facts(meeting):
    return [
        (_("Meeting"), meeting.title),
        (_("Starts"), format_be(meeting.starts_at, "datetime")),
        (_("Registered"), str(meeting.registered)),
        (_("Waiting"), str(meeting.waiting)),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def meeting_publish(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    back = reverse("meeting-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_manage_meeting(request.user, meeting.agency_id),
        perform=lambda data: services.meeting_publish(meeting=meeting, officer=request.user),
        done=_("The meeting is published: people can register."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Publish this meeting?"),
            button=_("Publish"),
            back_url=back,
            facts=_facts(meeting),
            effects=[_("Anyone can see it and signed-in people can register.")],
            danger=False,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    back = reverse("meeting-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_manage_meeting(request.user, meeting.agency_id),
        form_class=CancelForm,
        perform=lambda data: services.meeting_cancel(
            meeting=meeting, officer=request.user, reason=data["reason"]
        ),
        done=_("The meeting is cancelled and those registered are told."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Cancel this meeting?"),
            button=_("Cancel the meeting"),
            back_url=back,
            facts=_facts(meeting),
            effects=[_("Everyone registered or waiting is told, with your reason.")],
        ),
    )


@login_required
@require_POST
def meeting_record(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    allowed, why = permissions.can_manage_meeting(request.user, meeting.agency_id)
    if not allowed:
        raise PermissionDenied(why)
    registered = meeting.registrations.filter(status=Registration.Status.REGISTERED)
    form = RecordForm(request.POST, registrations=registered.select_related("person"))
    if form.is_valid():
        try:
            services.meeting_record(
                meeting=meeting,
                officer=request.user,
                minutes=form.cleaned_data["minutes"],
                attended=[int(i) for i in form.cleaned_data["attended"]],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The minutes are published and attendance recorded."))
            return redirect("meeting-detail", pk=pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("meeting-detail", pk=pk)


@login_required
@require_POST
def meeting_register(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.register(
                meeting=meeting,
                person=request.user,
                needs=form.cleaned_data["needs"],
                needs_other=form.cleaned_data["needs_other"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if registration.status == Registration.Status.REGISTERED:
                messages.success(request, _("You are registered. See you there."))
            else:
                messages.info(
                    request,
                    _(
                        "The meeting is full: you are on the waiting list and will be told if a "
                        "place frees up."
                    ),
                )
    else:
        messages.error(request, _("Check what you chose and try again."))
    return redirect("meeting-detail", pk=pk)


@login_required
@require_POST
def meeting_unregister(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    services.cancel_registration(meeting=meeting, person=request.user)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("meeting-detail", pk=pk)


def meeting_calendar(request, pk):
    """The meeting as an .ics file: one tap adds it to the visitor's calendar."""
    meeting = selectors.meeting_get_for_user(request.user, pk)
    page_url = request.build_absolute_uri(reverse("meeting-detail", args=[meeting.pk]))
    response = HttpResponse(
        meeting_ics(meeting, page_url=page_url, host=request.get_host()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def meeting_material(request, pk, material_pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    material = selectors.material_of(meeting, material_pk)
    return stored_file(
        material.file, filename=f"{material.title[:80]}.pdf", content_type="application/pdf"
    )


@login_required
@require_POST
def meeting_material_add(request, pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    allowed, why = permissions.can_add_material(request.user, meeting)
    if not allowed:
        raise PermissionDenied(why)
    form = MaterialForm(request.POST, request.FILES, prefix="material")
    if form.is_valid():
        try:
            services.material_add(
                officer=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The document is added to the meeting."))
            return redirect("meeting-detail", pk=pk)
    return meeting_detail(request, pk, material_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_material_remove(request, pk, material_pk):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    material = selectors.material_of(meeting, material_pk)
    back = reverse("meeting-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_add_material(request.user, meeting),
        perform=lambda data: services.material_remove(officer=request.user, material=material),
        done=_("The document is removed."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Remove this document from the meeting?"),
            button=_("Remove"),
            back_url=back,
            facts=[(_("Meeting"), meeting.title), (_("Document"), material.title)],
            effects=[_("Nobody can open it from the meeting's page any more.")],
        ),
    )
