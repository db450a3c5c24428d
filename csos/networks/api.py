"""/api/v1/networks/: one network per province (public), its members, and the manager's
``certify`` and ``end`` actions on a member."""

from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer

from . import permissions, selectors, services
from .models import (
    COMMITTEES,
    SUB_NETWORKS,
    GroupKind,
    Network,
    NetworkGroup,
    NetworkMember,
    Sector,
)

MS = NetworkMember.Status


class GroupSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=GroupKind.choices)
    name = serializers.CharField()
    purpose = serializers.CharField()
    members = serializers.IntegerField()
    meetings = serializers.IntegerField()


class NetworkSerializer(StrictModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    manager = serializers.CharField(source="manager.display_name", read_only=True)
    members = serializers.IntegerField(source="member_count", read_only=True)
    sectors = serializers.SerializerMethodField()
    appointed_by_order = serializers.SerializerMethodField()
    committees = serializers.SerializerMethodField()
    sub_networks = serializers.SerializerMethodField()

    class Meta:
        model = Network
        fields = [
            "id", "province", "manager", "status", "members", "sectors", "committees",
            "sub_networks", "appointed_by_order",
        ]  # fmt: skip
        read_only_fields = fields

    def _groups(self, network, kinds) -> list[dict]:
        labels = dict(GroupKind.choices)
        return [
            {"kind": g.kind, "name": str(labels[g.kind]), "purpose": g.purpose,
             "members": g.n_seats, "meetings": g.n_meetings}
            for g in network.groups.all() if g.kind in kinds
        ]  # fmt: skip

    @extend_schema_field(GroupSerializer(many=True))
    def get_committees(self, network) -> list[dict]:
        """The committees set up so far, with their current members and meetings counted."""
        return self._groups(network, COMMITTEES)

    @extend_schema_field(GroupSerializer(many=True))
    def get_sub_networks(self, network) -> list[dict]:
        return self._groups(network, SUB_NETWORKS)

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_sectors(self, network) -> dict:
        """Certified members per sector (every sector, 0 when none)."""
        return {s: getattr(network, f"n_{s}", 0) for s in Sector.values}

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_appointed_by_order(self, network):
        if not network.order_number:
            return None
        return {"number": network.order_number, "date": network.order_date}


class NetworkMemberSerializer(StrictModelSerializer):
    class Meta:
        model = NetworkMember
        fields = ["id", "kind", "name", "sector", "role", "resources", "status", "term_ends", "cso"]
        read_only_fields = fields


class CertifySerializer(StrictSerializer):
    term_ends = serializers.DateField(required=False, allow_null=True)


class EndSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=1000)


def _networks():
    counts = {
        f"n_{s}": Count("members", filter=Q(members__status=MS.CERTIFIED, members__sector=s))
        for s in Sector.values
    }
    groups = selectors.groups_counted(NetworkGroup.objects.order_by("pk"))
    return (
        Network.objects.select_related("province", "manager")
        .annotate(**counts)
        .prefetch_related(Prefetch("groups", groups))
        .order_by("province__code")
    )


@extend_schema_view(
    list=extend_schema(summary="Provincial public-affairs networks (public)"),
    retrieve=extend_schema(responses={200: NetworkSerializer, **error_responses(404)}),
)
class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NetworkSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return _networks()


NETWORK_PK = [OpenApiParameter("network_pk", int, OpenApiParameter.PATH)]


class InNetwork:
    """A view under /networks/<network_pk>/: the network, read once (404 when there is none)."""

    def network(self) -> Network:
        if not hasattr(self, "_network"):
            found = Network.objects.filter(pk=self.kwargs["network_pk"]).first()
            if found is None:
                raise NotFound
            self._network = found
        return self._network


@extend_schema_view(
    list=extend_schema(
        summary="A network's members (certified ones; the manager also sees applications)",
        parameters=NETWORK_PK,
    ),
    retrieve=extend_schema(
        parameters=NETWORK_PK, responses={200: NetworkMemberSerializer, **error_responses(404)}
    ),
)
class NetworkMemberViewSet(
    InNetwork, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NetworkMemberSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NetworkMember.objects.none()
        network = self.network()
        members = network.members.order_by("sector", "name", "pk")
        if permissions.can_manage(self.request.user, network)[0]:
            return members
        return members.filter(status=MS.CERTIFIED)

    @extend_schema(
        summary="Certify an application, with the term's end (the network's manager)",
        parameters=NETWORK_PK,
        request=CertifySerializer,
        responses={200: NetworkMemberSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def certify(self, request, network_pk=None, pk=None):
        deny_wrong_person(self, request, permissions.can_manage(request.user, self.network()))
        member = self.get_object()
        writer = CertifySerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        member = services.member_certify(
            manager=request.user, member=member, term_ends=writer.validated_data.get("term_ends")
        )
        return Response(NetworkMemberSerializer(member).data)

    @extend_schema(
        summary="End a membership, with the reason (the network's manager)",
        parameters=NETWORK_PK,
        request=EndSerializer,
        responses={200: NetworkMemberSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, network_pk=None, pk=None):
        deny_wrong_person(self, request, permissions.can_manage(request.user, self.network()))
        member = self.get_object()
        writer = EndSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        member = services.member_end(
            manager=request.user, member=member, reason=writer.validated_data["reason"]
        )
        return Response(NetworkMemberSerializer(member).data)


__all__ = ["InNetwork", "NetworkMemberViewSet", "NetworkViewSet"]
