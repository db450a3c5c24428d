"""/api/v1/advisory-groups/: active and dissolved groups (public) with their current
members, published meetings and recommendations with the agency's answers."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly

from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer

from .models import AdvisoryGroup, GroupMeeting, Member, Recommendation


class AdvisoryMemberSerializer(StrictModelSerializer):
    class Meta:
        model = Member
        fields = ["name", "member_type", "organisation", "role", "term_start", "term_end"]
        read_only_fields = fields


class AdvisoryMeetingSerializer(StrictModelSerializer):
    class Meta:
        model = GroupMeeting
        fields = ["id", "held_on", "agenda", "minutes"]
        read_only_fields = fields


class AdvisoryRecommendationSerializer(StrictModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "meeting", "text", "made_on", "answer", "explanation", "answered_on"]
        read_only_fields = fields


class AdvisoryGroupSerializer(StrictModelSerializer):
    members = AdvisoryMemberSerializer(many=True, read_only=True)
    meetings = serializers.SerializerMethodField()
    recommendations = AdvisoryRecommendationSerializer(many=True, read_only=True)

    class Meta:
        model = AdvisoryGroup
        fields = [
            "id", "agency", "kind", "name", "purpose", "missions", "status", "members",
            "meetings", "recommendations",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(AdvisoryMeetingSerializer(many=True))
    def get_meetings(self, group):
        return AdvisoryMeetingSerializer(
            [m for m in group.meetings.all() if m.published], many=True
        ).data


@extend_schema_view(
    list=extend_schema(summary="Advisory groups and task forces (public)"),
    retrieve=extend_schema(responses={200: AdvisoryGroupSerializer, **error_responses(404)}),
)
class AdvisoryGroupViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = AdvisoryGroupSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    filterset_fields = ["agency", "status", "kind"]

    def get_queryset(self):
        return (
            AdvisoryGroup.objects.exclude(status=AdvisoryGroup.Status.DRAFT)
            .prefetch_related("members", "meetings", "recommendations", "missions")
            .order_by("name", "pk")
        )
