"""/api/v1/assemblies/: citizens' assemblies (public), volunteering (a verified account),
and the draw: ``POST .../draw/`` by the organiser, ``GET .../draw/`` for anyone, with the
seed, the snapshot and its hash and the numbers drawn, so the draw can be re-run."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer

from . import permissions, selectors, services
from .models import Assembly


class AssemblySerializer(StrictModelSerializer):
    owner_agency = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Assembly
        fields = [
            "id", "title", "purpose", "owner_agency", "budget_round", "consultation", "seats",
            "reserves", "quotas", "seed", "status", "volunteer_count", "drawn_at",
        ]  # fmt: skip
        read_only_fields = fields


class VolunteerSerializer(StrictSerializer):
    traits = serializers.DictField(
        child=serializers.CharField(max_length=100),
        help_text="A value for each characteristic in the assembly's quotas.",
    )


class VolunteeredSerializer(StrictSerializer):
    number = serializers.IntegerField()
    status = serializers.CharField()


class DrawRequestSerializer(StrictSerializer):
    seed = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DrawRecordSerializer(StrictSerializer):
    seed = serializers.CharField()
    snapshot_hash = serializers.CharField()
    snapshot = serializers.ListField(child=serializers.DictField())
    seats = serializers.IntegerField()
    reserves = serializers.IntegerField()
    quotas = serializers.DictField()
    unmet = serializers.DictField()
    members = serializers.ListField(child=serializers.IntegerField())
    reserve_order = serializers.ListField(child=serializers.IntegerField())
    withdrawn = serializers.ListField(child=serializers.IntegerField())
    drawn_at = serializers.DateTimeField(allow_null=True)


@extend_schema_view(
    list=extend_schema(summary="Citizens' assemblies (public)"),
    retrieve=extend_schema(responses={200: AssemblySerializer, **error_responses(404)}),
)
class AssemblyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AssemblySerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.public_assemblies()

    def get_object(self):
        try:
            return selectors.assembly_get(self.kwargs["pk"])
        except Http404 as exc:
            raise NotFound from exc

    @extend_schema(
        summary="Volunteer once, with a value for each characteristic (a verified account)",
        request=VolunteerSerializer,
        responses={201: VolunteeredSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def volunteer(self, request, pk=None):
        assembly = self.get_object()
        deny_wrong_person(self, request, permissions.can_volunteer(request.user, assembly))
        writer = VolunteerSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        made = services.volunteer(
            person=request.user, assembly=assembly, traits=writer.validated_data["traits"]
        )
        return Response(
            VolunteeredSerializer({"number": made.number, "status": made.status}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        summary="The draw's record: seed, snapshot and its hash, the numbers drawn (public)",
        responses={200: DrawRecordSerializer, **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Draw the members (the organiser); an empty seed is picked at random",
        request=DrawRequestSerializer,
        responses={200: DrawRecordSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"])
    def draw(self, request, pk=None):
        assembly = self.get_object()
        if request.method == "POST":
            deny_wrong_person(self, request, permissions.can_draw(request.user, assembly))
            writer = DrawRequestSerializer(data=request.data)
            writer.is_valid(raise_exception=True)
            assembly = services.draw(
                officer=request.user, assembly=assembly, seed=writer.validated_data.get("seed", "")
            )
        return Response(DrawRecordSerializer(selectors.draw_record(assembly)).data)
