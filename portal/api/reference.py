"""Reference lists: codes with their Thai and English names, public and read only."""

from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers

from portal.api.fields import StrictSerializer

from .. import reference
from ..models import ActivityField, Bank, Province
from .errors import error_responses


class ReferenceItemSerializer(StrictSerializer):
    code = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()


def _choices(choices_cls):
    items = []
    for value in choices_cls.values:
        member = choices_cls(value)
        with translation.override("th"):
            name_th = str(member.label)
        with translation.override("en"):
            name_en = str(member.label)
        items.append({"code": value, "name_th": name_th, "name_en": name_en})
    return items


def _rows(model):
    return list(model.objects.order_by("code").values("code", "name_th", "name_en"))


REFERENCE_SETS = {
    "service-categories": lambda: _choices(reference.ServiceCategory),
    "mission-types": lambda: _choices(reference.MissionType),
    "participation-models": lambda: _choices(reference.ParticipationModel),
    "participation-levels": lambda: _choices(reference.ParticipationLevel),
    "activity-fields": lambda: _rows(ActivityField),
    "org-forms": lambda: _choices(reference.OrgForm),
    "selection-criteria": lambda: _choices(reference.SelectionCriterion),
    "costing-methods": lambda: _choices(reference.CostingMethod),
    "provinces": lambda: _rows(Province),
    "banks": lambda: _rows(Bank),
}


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("set", str, OpenApiParameter.PATH, enum=list(REFERENCE_SETS))],
        responses={200: ReferenceItemSerializer(many=True), **error_responses(404)},
    )
)
class ReferenceListView(generics.ListAPIView):
    """Reference data: codes with their Thai and English names (public, read only).
    Sets: service-categories, mission-types, participation-models, participation-levels,
    activity-fields, org-forms, selection-criteria, costing-methods, provinces (DOPA codes),
    banks (three-digit bank codes)."""

    serializer_class = ReferenceItemSerializer
    authentication_classes = []
    filter_backends = []

    def get_queryset(self):
        loader = REFERENCE_SETS.get(self.kwargs["set"])
        if loader is None:
            raise Http404
        return loader()

    @property
    def paginator(self):
        paginator = super().paginator
        if paginator is not None:
            paginator.page_size = 100
        return paginator
