"""Advisory groups' pages: the public list and page (members by type and term, published
minutes, recommendations with the agency's answers) and the agency's forms on the same page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.confirm import Confirmation, confirm_action
from portal.dates import format_be
from portal.pages import submit_on_page

from ..missions.models import Mission
from . import permissions, selectors, services
from .forms import (
    AnswerForm,
    DissolveForm,
    GroupForm,
    MeetingForm,
    MemberForm,
    RecommendationForm,
)
from .pdf import minutes_pdf

PER_PAGE = 20


def advisory_list(request):
    agency = request.GET.get("agency", "")
    groups = selectors.public_groups(int(agency) if agency.isdigit() and len(agency) < 10 else None)
    page = Paginator(groups.order_by("name", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    manages = user.is_authenticated and permissions.can_manage(user, user.agency_id)[0]
    drafts = (
        list(user.agency.advisory_groups.exclude(status="active").order_by("name"))
        if manages
        else []
    )
    return render(
        request,
        "agencies/advisory/list.html",
        {"page": page, "manages": manages, "drafts": drafts},
    )


def _detail(request, group, status=200, **forms):
    manages = permissions.can_change(request.user, group)[0]
    current, past = selectors.members_now_and_before(group)
    meetings = list(group.meetings.all())
    context = {
        "group": group,
        "missions": list(group.missions.all()),
        "current": current,
        "past": past,
        "meetings": meetings if manages else [m for m in meetings if m.published],
        "recommendations": selectors.recommendations_with_waits(group),
        "manages": manages,
        "owner": permissions.can_manage(request.user, group.agency_id)[0],
    }
    if manages:
        context.update(
            member_form=forms.get("member_form") or MemberForm(prefix="member"),
            meeting_form=forms.get("meeting_form") or MeetingForm(prefix="meeting"),
            recommendation_form=forms.get("recommendation_form")
            or RecommendationForm(prefix="rec", meetings=group.meetings.all()),
        )
    return render(request, "agencies/advisory/detail.html", context, status=status)


def advisory_detail(request, pk):
    return _detail(request, selectors.group_get_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def advisory_create(request):
    allowed, why = permissions.can_manage(request.user, request.user.agency_id)
    if not allowed:
        raise PermissionDenied(why)
    form = GroupForm(
        request.POST or None,
        missions=Mission.objects.filter(agency_id=request.user.agency_id).order_by("title_th"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(officer=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The group is saved as a draft. Add its members."))
            return redirect("advisory-detail", pk=group.pk)
    return render(request, "agencies/advisory/form.html", {"form": form})


def _add(request, pk, form_name, form, perform, done):
    group = selectors.group_get_for_user(request.user, pk)
    return submit_on_page(
        request, allowed=permissions.can_change(request.user, group), form=form,
        perform=lambda data: perform(group, data), done=done,
        back=reverse("advisory-detail", args=[pk]),
        rerender=lambda bound: _detail(request, group, status=400, **{form_name: bound}),
    )  # fmt: skip


@login_required
@require_POST
def advisory_member_add(request, pk):
    return _add(
        request, pk, "member_form", MemberForm(request.POST, prefix="member"),
        lambda g, data: services.member_add(officer=request.user, group=g, data=data),
        _("The member is added."),
    )  # fmt: skip


@login_required
@require_POST
def advisory_meeting_add(request, pk):
    return _add(
        request, pk, "meeting_form", MeetingForm(request.POST, prefix="meeting"),
        lambda g, data: services.meeting_add(officer=request.user, group=g, data=data),
        _("The meeting is recorded."),
    )  # fmt: skip


@login_required
@require_POST
def advisory_recommendation_add(request, pk):
    group = selectors.group_get_for_user(request.user, pk)
    form = RecommendationForm(request.POST, prefix="rec", meetings=group.meetings.all())
    return _add(
        request, pk, "recommendation_form", form,
        lambda g, data: services.recommendation_add(officer=request.user, group=g, data=data),
        _("The recommendation is recorded. Answer it when the agency has decided."),
    )  # fmt: skip


def answer_page(request, *, recommendation, perform, back_url, back_label, done):
    """The agency's answer to a recommendation (an advisory group's, an assembly's, a user
    committee's): the form, ``perform(answer=, explanation=)`` on a valid POST, then back."""
    initial = {"answer": recommendation.answer, "explanation": recommendation.explanation}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            perform(**form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done)
            return redirect(back_url)
    return render(
        request,
        "agencies/advisory/answer.html",
        {"recommendation": recommendation, "form": form, "back_url": back_url,
         "back_label": back_label},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def advisory_recommendation_answer(request, pk, recommendation_pk):
    group = selectors.group_get_for_user(request.user, pk)
    allowed, why = permissions.can_manage(request.user, group.agency_id)
    if not allowed:
        raise PermissionDenied(why)
    recommendation = selectors.one_of(group.recommendations, recommendation_pk)
    return answer_page(
        request,
        recommendation=recommendation,
        perform=lambda **data: services.recommendation_answer(
            officer=request.user, recommendation=recommendation, **data
        ),
        back_url=reverse("advisory-detail", args=[pk]),
        back_label=group.name,
        done=_("The answer is published and the members are told."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def advisory_activate(request, pk):
    group = selectors.group_get_for_user(request.user, pk)
    back = reverse("advisory-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_activate(request.user, group),
        perform=lambda data: services.group_activate(officer=request.user, group=group),
        done=_("The group is public."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Make this group public?"),
            button=_("Make public"),
            back_url=back,
            facts=[(_("Name"), group.name)],
            effects=[_("Anyone can see its members, published minutes and recommendations.")],
            danger=False,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def advisory_dissolve(request, pk):
    group = selectors.group_get_for_user(request.user, pk)
    back = reverse("advisory-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_dissolve(request.user, group),
        form_class=DissolveForm,
        perform=lambda data: services.group_dissolve(
            officer=request.user, group=group, reason=data["reason"]
        ),
        done=_("The group is dissolved; its record stays public."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Dissolve this group?"),
            button=_("Dissolve"),
            back_url=back,
            facts=[(_("Name"), group.name)],
            effects=[_("It can no longer meet or make recommendations. This cannot be undone.")],
        ),
    )


def _edit(request, group, *, form, perform, done, heading, back_anchor=""):
    """An edit page of one member or meeting of ``group``: the form, saved by ``perform``."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done)
            return redirect(reverse("advisory-detail", args=[group.pk]) + back_anchor)
    return render(
        request,
        "agencies/advisory/edit.html",
        {"group": group, "form": form, "heading": heading},
        status=400 if form.is_bound else 200,
    )


def _changeable(request, pk):
    group = selectors.group_get_for_user(request.user, pk)
    allowed, why = permissions.can_change(request.user, group)
    if not allowed:
        raise PermissionDenied(why)
    return group


@login_required
@require_http_methods(["GET", "POST"])
def advisory_member_edit(request, pk, member_pk):
    group = _changeable(request, pk)
    member = selectors.one_of(group.members, member_pk)
    initial = {f: getattr(member, f) for f in MemberForm.base_fields}
    form = MemberForm(request.POST or None, initial=initial)
    return _edit(
        request, group, form=form,
        perform=lambda data: services.member_change(
            officer=request.user, member=member, data=data
        ),
        done=_("The member's details are saved."),
        heading=_("Change a member: %(name)s") % {"name": member.name},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def advisory_meeting_edit(request, pk, meeting_pk):
    group = _changeable(request, pk)
    meeting = selectors.one_of(group.meetings, meeting_pk)
    initial = {f: getattr(meeting, f) for f in MeetingForm.base_fields}
    form = MeetingForm(request.POST or None, initial=initial)
    return _edit(
        request, group, form=form,
        perform=lambda data: services.meeting_change(
            officer=request.user, meeting=meeting, data=data
        ),
        done=_("The meeting is saved."),
        heading=_("Minutes of the meeting of %(date)s") % {"date": format_be(meeting.held_on)},
        back_anchor=f"#m{meeting.pk}",
    )  # fmt: skip


def advisory_minutes_pdf(request, pk, meeting_pk):
    """Published minutes as a PDF, for anyone; unpublished ones for the agency only."""
    group = selectors.group_get_for_user(request.user, pk)
    meeting = selectors.one_of(group.meetings, meeting_pk)
    if not (meeting.published or permissions.can_manage(request.user, group.agency_id)[0]):
        raise Http404
    language = "en" if get_language() == "en" else "th"
    response = HttpResponse(minutes_pdf(meeting, language=language), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="advisory-{group.pk}-minutes-{meeting.held_on:%Y-%m-%d}.pdf"'
    )
    return response
