from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, When
from django.http import Http404

from csos.models import CSO

from .models import Mission
from .suitability import Advice, advise


class SubqueryCount(Subquery):
    """COUNT(*) of a subquery, so a list annotates counts in one query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _certified():
    """The approved CSOs certified in the mission's activity field, as rows of the link
    table (one per CSO and field, so counted without DISTINCT or sorting the CSOs)."""
    return CSO.certified_fields.through.objects.filter(
        activityfield_id=OuterRef("activity_field"), cso__status=CSO.Status.APPROVED
    ).order_by()


def with_capable_cso_count(qs):
    """Annotate ``capable_cso_count``: approved CSOs the National Committee certified in
    the mission's activity field (as a call's eligibility counts them) that serve at least
    one of its provinces (any province for a nationwide mission). ``capable_csos_query``
    lists them in the directory."""
    mission_provinces = Mission.provinces.through.objects.filter(
        mission_id=OuterRef(OuterRef(OuterRef("pk")))
    ).values("province_id")
    serving = CSO.service_provinces.through.objects.filter(
        cso_id=OuterRef("cso_id"), province_id__in=Subquery(mission_provinces)
    )
    regional = _certified().filter(Exists(serving))
    has_provinces = Exists(Mission.provinces.through.objects.filter(mission_id=OuterRef("pk")))
    return qs.annotate(
        capable_cso_count=Case(
            When(has_provinces, then=SubqueryCount(regional.values("pk"))),
            default=SubqueryCount(_certified().values("pk")),
            output_field=IntegerField(),
        )
    )


def mission_queryset():
    return with_capable_cso_count(
        Mission.objects.select_related("agency", "activity_field").prefetch_related("provinces")
    )


def mission_list(*, agency=None):
    qs = mission_queryset()
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-created_at", "-id")


def mission_get(pk) -> Mission:
    try:
        return mission_queryset().get(pk=pk)
    except (Mission.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def mission_suitability(mission) -> dict:
    advice: Advice = advise(mission.service_category, mission.mission_type)
    count = getattr(mission, "capable_cso_count", None)
    if count is None:
        count = (
            with_capable_cso_count(Mission.objects.filter(pk=mission.pk)).get().capable_cso_count
        )
    return {
        "max_level": advice.max_level,
        "recommended_models": advice.recommended_models,
        "capable_cso_count": count,
        "rationale_th": advice.rationale_th,
        "rationale_en": advice.rationale_en,
    }


def capable_csos_query(mission) -> list[tuple[str, str]]:
    """The directory's filters that list the CSOs ``capable_cso_count`` counts (the
    mission's provinces must be prefetched or are read once)."""
    return [("certified_field", mission.activity_field_id)] + [
        ("province", p.code) for p in mission.provinces.all()
    ]
