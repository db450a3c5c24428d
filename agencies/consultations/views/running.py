"""What the agency does: set a consultation up, publish and close it, moderate its threads
and enter what was said at its meetings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.meetings.models import Meeting
from agencies.missions.models import Mission
from portal.confirm import Confirmation, confirm_action
from portal.dates import format_be
from portal.models import Province

from .. import permissions, selectors, services
from ..forms import (
    ConsultationForm,
    DocumentForm,
    HideForm,
    MeetingInputForm,
    PanelForm,
    QuestionForm,
)
from ..models import Contribution
from .common import act

PER_PAGE = 20


def _require(allowed_reason):
    allowed, reason = allowed_reason
    if not allowed:
        raise PermissionDenied(reason)


def _form(request, data=None, initial=None):
    return ConsultationForm(
        data,
        initial=initial,
        missions=Mission.objects.filter(agency_id=request.user.agency_id).order_by("title_th"),
        provinces=Province.objects.order_by("name_th"),
    )


@login_required
def agency_consultations(request):
    _require(permissions.can_manage(request.user, request.user.agency_id))
    page = Paginator(selectors.agency_consultations(request.user.agency_id), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "agencies/consultations/agency_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    _require(permissions.can_manage(request.user, request.user.agency_id))
    mission = request.GET.get("mission", "")
    form = _form(
        request, request.POST or None, initial={"mission": mission} if mission.isdigit() else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(
                actor=request.user, agency=request.user.agency, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The consultation is saved as a draft. Add its questions."))
            return redirect("consultation-questions", pk=consultation.pk)
    return render(request, "agencies/consultations/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    _require(permissions.can_manage(request.user, consultation.agency_id))
    allowed, why = permissions.can_edit(request.user, consultation)
    if not allowed:
        messages.error(request, str(why))
        return redirect("consultation-detail", pk=pk)
    initial = {
        field: getattr(consultation, field)
        for field in (
            "title",
            "summary",
            "background",
            "topic",
            "opens_at",
            "closes_at",
            "audience",
            "moderation",
        )
    }
    initial.update(mission=consultation.mission_id, province=consultation.province_id)
    form = _form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                actor=request.user, consultation=consultation, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The consultation is saved."))
            return redirect("consultation-questions", pk=pk)
    return render(
        request, "agencies/consultations/form.html", {"form": form, "consultation": consultation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_questions(request, pk):
    """The set-up task list: questions, documents and the panel, then publish."""
    consultation = selectors.consultation_get_for_user(request.user, pk)
    _require(permissions.can_manage(request.user, consultation.agency_id))
    editable = permissions.can_edit(request.user, consultation)[0]
    form = QuestionForm(request.POST or None, prefix="question")
    document_form = DocumentForm(prefix="document")
    panel_form = PanelForm(prefix="panel")
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(
                actor=request.user, consultation=consultation, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect("consultation-questions", pk=pk)
    return render(
        request,
        "agencies/consultations/questions.html",
        {
            "consultation": consultation,
            "editable": editable,
            "form": form,
            "document_form": document_form,
            "panel_form": panel_form,
            "panel": consultation.panel.order_by("username")[:200],
        },
    )


@login_required
@require_POST
def consultation_question_remove(request, pk, question_pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    _require(permissions.can_manage(request.user, consultation.agency_id))
    question = consultation.questions.filter(pk=question_pk).first()
    back = reverse("consultation-questions", args=[pk])
    if question is None:
        messages.error(request, _("That question is not in this consultation."))
        return redirect(back)
    return act(
        request,
        lambda: services.question_remove(actor=request.user, question=question),
        done=_("The question is removed."),
        back=back,
    )


@login_required
@require_POST
def consultation_document_add(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    _require(permissions.can_manage(request.user, consultation.agency_id))
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                consultation=consultation,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The document is added."))
            return redirect("consultation-questions", pk=pk)
    return render(
        request,
        "agencies/consultations/questions.html",
        {
            "consultation": consultation,
            "editable": permissions.can_edit(request.user, consultation)[0],
            "form": QuestionForm(prefix="question"),
            "document_form": form,
            "panel_form": PanelForm(prefix="panel"),
            "panel": consultation.panel.order_by("username")[:200],
        },
        status=400,
    )


@login_required
@require_POST
def consultation_panel_add(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    _require(permissions.can_manage(request.user, consultation.agency_id))
    form = PanelForm(request.POST, prefix="panel")
    back = reverse("consultation-questions", args=[pk])
    if not form.is_valid():
        messages.error(request, _("Give the username or email of the person to invite."))
        return redirect(back)
    person = services.panel_person(form.cleaned_data["person"])
    return act(
        request,
        lambda: services.panel_add(actor=request.user, consultation=consultation, person=person),
        done=_("The person is on the panel."),
        back=back,
    )


def _facts(consultation):
    return [
        (_("Consultation"), consultation.title),
        (_("Open for comments from"), format_be(consultation.opens_at, "datetime")),
        (_("Open for comments until"), format_be(consultation.closes_at, "datetime")),
        (_("Questions"), str(consultation.questions.count())),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def consultation_publish(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    back = reverse("consultation-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_edit(request.user, consultation),
        perform=lambda data: services.consultation_publish(
            actor=request.user, consultation=consultation
        ),
        done=_("The consultation is published."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Publish this consultation?"),
            button=_("Publish"),
            back_url=back,
            facts=_facts(consultation),
            effects=[
                _("Anyone can read it; those it asks can answer and discuss from its opening."),
                _("Its questions cannot change once it is published."),
            ],
            danger=False,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_close(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    back = reverse("consultation-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_close(request.user, consultation),
        perform=lambda data: services.consultation_close(
            actor=request.user, consultation=consultation
        ),
        done=_("The consultation is closed. Analyse what you heard and write the response."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Close this consultation now?"),
            button=_("Close"),
            back_url=back,
            facts=_facts(consultation),
            effects=[_("Nobody can answer or contribute any more. This cannot be undone.")],
        ),
    )


# --- moderation ---------------------------------------------------------------------------


@login_required
def consultation_moderation(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    _require(permissions.can_moderate(request.user, consultation))
    page = Paginator(selectors.moderation_queue(consultation), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "agencies/consultations/moderation.html",
        {"consultation": consultation, "page": page, "hide_form": HideForm()},
    )


def _moderate(request, pk, contribution_pk, perform, done):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    _require(permissions.can_moderate(request.user, consultation))
    contribution = selectors.contribution_get(consultation, contribution_pk)
    back = request.POST.get("next", "")
    if not back.startswith(f"/consultations/{consultation.pk}/"):
        back = reverse("consultation-moderation", args=[pk])
    return act(request, lambda: perform(contribution), done=done, back=back)


@login_required
@require_POST
def contribution_hide(request, pk, contribution_pk):
    form = HideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _moderate(
        request,
        pk,
        contribution_pk,
        lambda c: services.contribution_hide(contribution=c, moderator=request.user, reason=reason),
        _("The contribution is hidden; its reason shows in its place."),
    )


@login_required
@require_POST
def contribution_restore(request, pk, contribution_pk):
    return _moderate(
        request,
        pk,
        contribution_pk,
        lambda c: services.contribution_restore(contribution=c, moderator=request.user),
        _("The contribution is shown again."),
    )


@login_required
@require_POST
def contribution_approve(request, pk, contribution_pk):
    return _moderate(
        request,
        pk,
        contribution_pk,
        lambda c: services.contribution_approve(contribution=c, moderator=request.user),
        _("The contribution is published."),
    )


@login_required
@require_POST
def contribution_dismiss(request, pk, contribution_pk):
    return _moderate(
        request,
        pk,
        contribution_pk,
        lambda c: services.contribution_dismiss_flags(contribution=c, moderator=request.user),
        _("The reports are dismissed; the contribution stays."),
    )


# --- what was said at meetings ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consultation_meeting_input(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    _require(permissions.can_manage(request.user, consultation.agency_id))
    form = MeetingInputForm(
        request.POST or None,
        meetings=Meeting.objects.filter(agency_id=consultation.agency_id)
        .exclude(status=Meeting.Status.DRAFT)
        .order_by("-starts_at"),
        questions=consultation.questions.all(),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        meeting = data.pop("meeting")
        try:
            services.meeting_input_add(
                actor=request.user, consultation=consultation, meeting=meeting, data=data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved. Enter the next point, or go back."))
            return redirect("consultation-meeting-input", pk=pk)
    recent = consultation.contributions.filter(
        author_type=Contribution.AuthorType.MEETING
    ).order_by("-created_at", "-pk")[:20]
    return render(
        request,
        "agencies/consultations/meeting_input.html",
        {"consultation": consultation, "form": form, "recent": recent},
    )
