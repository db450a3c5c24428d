import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer

from . import selectors
from .models import Agency


class AgencySerializer(StrictModelSerializer):
    province = serializers.CharField(source="province_id", allow_null=True, read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name_th", "name_en", "kind", "parent", "province"]


class AgencyFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="province_id")

    class Meta:
        model = Agency
        fields = ["kind", "parent", "province"]


@extend_schema_view(
    list=extend_schema(summary="Agencies (public)"),
    retrieve=extend_schema(
        summary="One agency", responses={200: AgencySerializer, **error_responses(404)}
    ),
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer
    queryset = selectors.agency_list()
    filterset_class = AgencyFilter
    search_fields = ["name_th", "name_en"]
    ordering_fields = ["name_th", "name_en", "id"]
