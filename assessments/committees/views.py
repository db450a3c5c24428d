"""A funded project's user management committee: public (members by side and term,
meetings, decisions, recommendations and the agency's answers), with the agency's forms."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.advisory.selectors import one_of
from agencies.advisory.views import answer_page
from contracts.agreements.models import Agreement
from portal.ids import id_or_404
from portal.pages import submit_on_page
from portal.workflow import refuse_wrong_person

from ..oversight import selectors as oversight
from . import permissions, services
from .forms import MeetingForm, MemberForm, RecommendationForm, SetUpForm
from .models import UserCommittee

FORMS = {
    "setup": (SetUpForm, "setup"),
    "member": (MemberForm, "member"),
    "meeting": (MeetingForm, "meeting"),
    "recommendation": (RecommendationForm, "rec"),
}


def _project(pk):
    try:
        return oversight.project_get(id_or_404(pk))
    except Agreement.DoesNotExist as exc:
        raise Http404 from exc


def committee_page(request, pk, status=200, bound=None):
    project = _project(pk)
    committee = UserCommittee.objects.filter(agreement=project).first()
    manages = permissions.can_manage(request.user, project)[0]
    context = {
        "project": project,
        "committee": committee,
        "members": list(committee.members.all()) if committee else [],
        "meetings": list(committee.meetings.all()) if committee else [],
        "recommendations": list(committee.recommendations.all()) if committee else [],
        "manages": manages,
    }
    if manages:
        for name, (form_class, prefix) in FORMS.items():
            initial = {"purpose": committee.purpose} if name == "setup" and committee else None
            context[f"{name}_form"] = (bound or {}).get(name) or form_class(
                prefix=prefix, initial=initial
            )
    return render(request, "assessments/committees/committee.html", context, status=status)


PERFORM = {
    "setup": lambda officer, project, data: services.committee_set_up(
        officer=officer, agreement=project, purpose=data["purpose"]
    ),
    "member": lambda officer, project, data: services.member_add(
        officer=officer, agreement=project, data=data
    ),
    "meeting": lambda officer, project, data: services.meeting_add(
        officer=officer, agreement=project, data=data
    ),
    "recommendation": lambda officer, project, data: services.recommendation_add(
        officer=officer, agreement=project, data=data
    ),
}


@login_required
@require_POST
def committee_record(request, pk, what):
    """One of the agency's forms on the committee's page: set up, a member, a meeting, a
    recommendation. Refused input comes back on the page with what was typed."""
    if what not in FORMS:
        raise Http404
    project = _project(pk)
    form_class, prefix = FORMS[what]
    return submit_on_page(
        request, allowed=permissions.can_manage(request.user, project),
        form=form_class(request.POST, prefix=prefix),
        perform=lambda data: PERFORM[what](request.user, project, data), done=_("Saved."),
        back=reverse("committee", args=[pk]),
        rerender=lambda bound: committee_page(request, pk, status=400, bound={what: bound}),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def committee_answer(request, pk, recommendation_pk):
    project = _project(pk)
    refuse_wrong_person(permissions.can_manage(request.user, project))
    committee = UserCommittee.objects.filter(agreement=project).first()
    if committee is None:
        raise Http404
    recommendation = one_of(committee.recommendations, recommendation_pk)
    return answer_page(
        request,
        recommendation=recommendation,
        perform=lambda **data: services.recommendation_answer(
            officer=request.user, recommendation=recommendation, **data
        ),
        back_url=reverse("committee", args=[pk]),
        back_label=f"{_('User management committee')} · {project.title}",
        done=_("The answer is published."),
    )
