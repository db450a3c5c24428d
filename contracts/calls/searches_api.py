"""/api/v1/saved-searches/: a CSO member's saved searches for calls (their own only); a
new call that matches one is notified once."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from contracts.calls import permissions, services
from contracts.calls.models import SavedSearch
from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer


class SavedSearchSerializer(StrictModelSerializer):
    class Meta:
        model = SavedSearch
        fields = ["id", "fields", "provinces", "instruments", "words", "created_at"]
        read_only_fields = fields


class SavedSearchWriteSerializer(StrictSerializer):
    fields = serializers.ListField(child=serializers.CharField(), required=False)
    provinces = serializers.ListField(child=serializers.CharField(), required=False)
    instruments = serializers.ListField(child=serializers.CharField(), required=False)
    words = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Your saved searches for calls"),
    create=extend_schema(
        summary="Save a search (a CSO member): activity field codes, province codes, "
        "instruments and words, each empty = any",
        request=SavedSearchWriteSerializer,
        responses={201: SavedSearchSerializer, **error_responses(400, 401, 403)},
    ),
    destroy=extend_schema(responses={204: None, **error_responses(401, 404)}),
)
class SavedSearchViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = SavedSearchSerializer
    permission_classes = [IsAuthenticated, ClientScopes]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SavedSearch.objects.none()
        return SavedSearch.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        deny_wrong_person(self, request, permissions.can_save_search(request.user))
        writer = SavedSearchWriteSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        made = services.saved_search_create(user=request.user, data=dict(writer.validated_data))
        return Response(SavedSearchSerializer(made).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.saved_search_delete(user=self.request.user, search=instance)


__all__ = ["SavedSearchViewSet"]
