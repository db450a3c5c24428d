"""/api/v1/faqs/: published FAQs (public, most read first; ?agency=, ?mission=, ?search=) and
POST /api/v1/faqs/suggest/ {agency, mission?, question} for a signed-in person."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer

from ..missions.models import Mission
from ..models import Agency
from . import permissions, services
from .models import Faq


class FaqSerializer(StrictModelSerializer):
    class Meta:
        model = Faq
        fields = ["id", "agency", "mission", "question", "answer", "views", "published_at"]
        read_only_fields = fields


class FaqSuggestionSerializer(StrictSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    mission = serializers.PrimaryKeyRelatedField(
        queryset=Mission.objects.all(), required=False, allow_null=True
    )
    question = serializers.CharField(max_length=500)


class FaqSuggestedSerializer(StrictModelSerializer):
    class Meta:
        model = Faq
        fields = ["id", "agency", "mission", "question", "status"]
        read_only_fields = fields


class FaqFilter(django_filters.FilterSet):
    agency = django_filters.NumberFilter(field_name="agency_id")
    mission = django_filters.NumberFilter(field_name="mission_id")

    class Meta:
        model = Faq
        fields = ["agency", "mission"]


@extend_schema_view(
    list=extend_schema(summary="Published questions and answers, the most read first"),
    retrieve=extend_schema(responses={200: FaqSerializer, **error_responses(404)}),
)
class FaqViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FaqSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    filterset_class = FaqFilter
    search_fields = ["question", "answer"]
    ordering_fields = ["views", "published_at", "id"]

    def get_queryset(self):
        return Faq.objects.filter(status=Faq.Status.PUBLISHED).order_by(
            "-views", "-published_at", "-pk"
        )

    @extend_schema(
        summary="Suggest a question to an agency (its suggester is never public)",
        request=FaqSuggestionSerializer,
        responses={201: FaqSuggestedSerializer, **error_responses(400, 401, 403, 429)},
    )
    @action(detail=False, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def suggest(self, request):
        allowed, reason = permissions.can_suggest(request.user)
        if not allowed:
            self.permission_denied(request, message=reason)
        s = FaqSuggestionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        faq = services.faq_suggest(person=request.user, **s.validated_data)
        return Response(FaqSuggestedSerializer(faq).data, status=status.HTTP_201_CREATED)
