import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly

from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import CodeListField, StrictModelSerializer, StrictSerializer
from portal.reference import MissionType, ParticipationLevel, ParticipationModel, ServiceCategory

from . import permissions, selectors, services
from .models import Mission


class SuitabilitySerializer(StrictSerializer):
    max_level = serializers.ChoiceField(choices=ParticipationLevel.choices)
    recommended_models = serializers.ListField(
        child=serializers.ChoiceField(choices=ParticipationModel.choices)
    )
    capable_cso_count = serializers.IntegerField()
    rationale_th = serializers.CharField()
    rationale_en = serializers.CharField()


class MissionSerializer(StrictModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(read_only=True)
    activity_field = serializers.CharField(source="activity_field_id")
    provinces = CodeListField(required=False)
    target_groups = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False
    )
    service_category = serializers.ChoiceField(choices=ServiceCategory.choices)
    mission_type = serializers.ChoiceField(choices=MissionType.choices)
    suitability = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = [
            "id",
            "agency",
            "title_th",
            "title_en",
            "description",
            "service_category",
            "mission_type",
            "activity_field",
            "target_groups",
            "provinces",
            "suitability",
        ]

    @extend_schema_field(SuitabilitySerializer)
    def get_suitability(self, mission):
        return selectors.mission_suitability(mission)


class MissionFilter(django_filters.FilterSet):
    agency = django_filters.NumberFilter(field_name="agency_id")
    province = django_filters.CharFilter(field_name="provinces__code", distinct=True)
    activity_field = django_filters.CharFilter(field_name="activity_field_id")

    class Meta:
        model = Mission
        fields = ["agency", "service_category", "mission_type", "activity_field", "province"]


@extend_schema_view(
    list=extend_schema(summary="Missions with their suitability advice (public)"),
    retrieve=extend_schema(responses={200: MissionSerializer, **error_responses(404)}),
    create=extend_schema(
        summary="Add a mission (agency officer, own agency)",
        responses={201: MissionSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        responses={200: MissionSerializer, **error_responses(400, 401, 403, 404)}
    ),
    update=extend_schema(responses={200: MissionSerializer, **error_responses(400, 401, 403, 404)}),
)
class MissionViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = MissionSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    filterset_class = MissionFilter
    search_fields = ["title_th", "title_en", "description"]
    ordering_fields = ["created_at", "title_th", "id"]

    def get_queryset(self):
        return selectors.mission_list()

    def _deny_unless(self, request, allowed_reason):
        """The wrong person is refused (403) before their answers are read."""
        allowed, why = allowed_reason
        if not allowed:
            self.permission_denied(request, message=why)

    def create(self, request, *args, **kwargs):
        agency = request.user.agency if request.user.is_authenticated else None
        self._deny_unless(request, permissions.can_manage_missions(request.user, agency))
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        mission = self.get_object()
        self._deny_unless(request, permissions.can_manage_missions(request.user, mission.agency))
        return super().update(request, *args, **kwargs)

    def _payload(self, serializer):
        data = dict(serializer.validated_data)
        if "activity_field_id" in data:
            data["activity_field"] = data.pop("activity_field_id")
        return data

    def perform_create(self, serializer):
        mission = services.mission_create(officer=self.request.user, **self._payload(serializer))
        serializer.instance = selectors.mission_get(mission.pk)

    def perform_update(self, serializer):
        mission = services.mission_update(
            mission=serializer.instance, officer=self.request.user, **self._payload(serializer)
        )
        serializer.instance = selectors.mission_get(mission.pk)
