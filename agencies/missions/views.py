from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.audit import audit_history
from portal.reference import ParticipationLevel, ParticipationModel
from portal.roles import Role, has_role

from . import permissions, selectors, services
from .forms import MissionForm
from .suitability import call_refusal


def _capable_csos_url(mission) -> str:
    """The directory filtered to the CSOs the mission's ``capable_cso_count`` counts."""
    return f"{reverse('directory')}?{urlencode(selectors.capable_csos_query(mission))}"


def _officer_agency(request):
    allowed, why = permissions.can_manage_missions(request.user, request.user.agency)
    if not allowed:
        raise PermissionDenied(why)
    return request.user.agency


@login_required
def mission_list(request):
    agency = _officer_agency(request)
    page = Paginator(selectors.mission_list(agency=agency), 20).get_page(request.GET.get("page"))
    for mission in page.object_list:
        mission.capable_csos_url = _capable_csos_url(mission)
    return render(request, "agencies/missions/mission_list.html", {"agency": agency, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def mission_create(request):
    agency = _officer_agency(request)
    form = MissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mission = services.mission_create(officer=request.user, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The mission was added. Here is the advice for it."))
            return redirect("mission-detail", pk=mission.pk)
    return render(request, "agencies/missions/mission_form.html", {"form": form, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def mission_edit(request, pk):
    mission = selectors.mission_get(pk)
    allowed, why = permissions.can_manage_missions(request.user, mission.agency)
    if not allowed:
        raise PermissionDenied(why)
    form = MissionForm(request.POST or None, initial=MissionForm.initial_from(mission))
    if request.method == "POST" and form.is_valid():
        try:
            services.mission_update(mission=mission, officer=request.user, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The mission was saved."))
            return redirect("mission-detail", pk=mission.pk)
    return render(
        request,
        "agencies/missions/mission_form.html",
        {"form": form, "agency": mission.agency, "mission": mission},
    )


def mission_detail(request, pk):
    mission = selectors.mission_get(pk)
    can_edit = permissions.can_manage_missions(request.user, mission.agency)[0]
    suitability = selectors.mission_suitability(mission)
    suitability["capable_csos_url"] = _capable_csos_url(mission)
    suitability["max_level_label"] = ParticipationLevel(suitability["max_level"]).label
    suitability["model_labels"] = [
        ParticipationModel(m).label for m in suitability["recommended_models"]
    ]
    return render(
        request,
        "agencies/missions/mission_detail.html",
        {
            "mission": mission,
            "suitability": suitability,
            "can_edit": can_edit,
            "call_refusal": call_refusal(mission.service_category),
            # Its participation history: the public meetings held or planned on it (read
            # through the reverse relation: missions import nothing of the meetings).
            "meetings": list(
                mission.meetings.filter(status__in=["published", "held"]).order_by("-starts_at")[
                    :20
                ]
            ),
            # Consultations on it, with what the agency decided once it answered.
            "consultations": list(
                mission.consultations.exclude(status="draft")
                .annotate(
                    changes=Count(
                        "report__decisions",
                        filter=Q(report__decisions__outcome__in=["will_do", "partly"]),
                    )
                )
                .order_by("-opens_at")[:20]
            ),
            "advisory_groups": list(mission.advisory_groups.filter(status="active")[:10]),
            "faqs": list(mission.faqs.filter(status="published").order_by("-views", "-pk")[:5]),
            "polls": list(mission.polls.exclude(status="draft").order_by("-opens_at")[:20]),
            "history": audit_history(mission)
            if can_edit or has_role(request.user, Role.STAFF_ADMIN)
            else None,
        },
    )
