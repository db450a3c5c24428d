"""/api/v1/meetings/: the public meetings (read), and registering for one, cancelling and
asking one's own registration (signed-in people)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer

from . import selectors, services
from .models import Material, Meeting, Registration


class MeetingMaterialSerializer(StrictModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = ["id", "title", "size", "added_at", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, material) -> str:
        path = reverse("meeting-material", args=[material.meeting_id, material.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MeetingSerializer(StrictModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(read_only=True)
    registered = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)
    materials = MeetingMaterialSerializer(many=True, read_only=True)
    minutes = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_minutes(self, meeting) -> str:
        """Published once the meeting is recorded as held."""
        return meeting.minutes if meeting.status == Meeting.Status.HELD else ""

    class Meta:
        model = Meeting
        fields = [
            "id", "agency", "mission", "kind", "title", "description", "starts_at", "ends_at",
            "place", "online_url", "capacity", "registered", "waiting", "status", "minutes",
            "materials",
        ]  # fmt: skip
        read_only_fields = fields


class MeetingRegistrationSerializer(StrictSerializer):
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=Registration.Need.choices), required=False
    )
    needs_other = serializers.CharField(max_length=500, required=False, allow_blank=True)


class MeetingRegistrationStatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(
        choices=[*Registration.Status.choices, ("none", _("Not registered"))]
    )
    position = serializers.IntegerField(
        allow_null=True, help_text="On the waiting list: 1 is next."
    )


def _answer(registration):
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return {"status": "none", "position": None}
    return {"status": registration.status, "position": selectors.waiting_position(registration)}


@extend_schema_view(
    list=extend_schema(summary="Coming public meetings (public); ?when=past for past ones"),
    retrieve=extend_schema(responses={200: MeetingSerializer, **error_responses(404)}),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MeetingSerializer
    permission_classes = [ClientScopes]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action == "list":
            return selectors.public_meetings(
                upcoming=self.request.query_params.get("when") != "past"
            )
        return Meeting.objects.none()

    def get_object(self):
        return selectors.meeting_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=MeetingRegistrationSerializer,
        responses={
            200: MeetingRegistrationStatusSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def register(self, request, pk=None):
        meeting = self.get_object()
        s = MeetingRegistrationSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        registration = services.register(meeting=meeting, person=request.user, **s.validated_data)
        return Response(_answer(registration))

    @extend_schema(
        request=None,
        responses={200: MeetingRegistrationStatusSerializer, **error_responses(401, 404, 409)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="cancel-registration",
        permission_classes=[IsAuthenticated, ClientScopes],
    )
    def cancel_registration(self, request, pk=None):
        meeting = self.get_object()
        services.cancel_registration(meeting=meeting, person=request.user)
        return Response(_answer(None))

    @extend_schema(
        responses={200: MeetingRegistrationStatusSerializer, **error_responses(401, 404)}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="my-registration",
        permission_classes=[IsAuthenticated, ClientScopes],
    )
    def my_registration(self, request, pk=None):
        meeting = self.get_object()
        return Response(_answer(selectors.registration_of(meeting, request.user)))
