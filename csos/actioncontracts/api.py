"""/api/v1/action-contracts/: every network's public action contracts with their parties,
commitments, signatures and progress; a party ``sign``s and reports ``progress``."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer
from portal.ids import id_or_none

from . import permissions, services
from .models import ActionContract, ContractParty


class PartySerializer(StrictModelSerializer):
    class Meta:
        model = ContractParty
        fields = ["id", "name", "commitments", "due_date", "signed_at", "on_paper", "done_at"]
        read_only_fields = fields


class ActionContractSerializer(StrictModelSerializer):
    network = serializers.IntegerField(source="issue.network_id", read_only=True)
    parties = PartySerializer(many=True, read_only=True)

    class Meta:
        model = ActionContract
        fields = [
            "id", "network", "issue", "title", "parties", "status", "signed_at", "done_at",
            "plan_year", "plan_project_code",
        ]  # fmt: skip
        read_only_fields = fields


class SignSerializer(StrictSerializer):
    party = serializers.IntegerField()
    signed_name = serializers.CharField(max_length=255)
    confirm = serializers.BooleanField()


class ProgressSerializer(StrictSerializer):
    party = serializers.IntegerField()
    text = serializers.CharField(max_length=5000)
    completes = serializers.BooleanField(default=False)


FILTERS = [
    OpenApiParameter("network", int, description="Only this network's contracts"),
    OpenApiParameter("status", str, enum=ActionContract.Status.values),
]


@extend_schema_view(
    list=extend_schema(summary="Public action contracts (public)", parameters=FILTERS),
    retrieve=extend_schema(responses={200: ActionContractSerializer, **error_responses(404)}),
)
class ActionContractViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionContractSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        rows = (
            ActionContract.objects.select_related("issue__network")
            .prefetch_related(Prefetch("parties", ContractParty.objects.select_related("member")))
            .order_by("-created_at", "-pk")
        )
        network = id_or_none(self.request.query_params.get("network"))
        if network is not None:
            rows = rows.filter(issue__network_id=network)
        wanted = self.request.query_params.get("status")
        if wanted in ActionContract.Status.values:
            rows = rows.filter(status=wanted)
        return rows

    def _party(self, contract, pk) -> ContractParty:
        party = next((p for p in contract.parties.all() if p.pk == pk), None)
        if party is None:
            raise NotFound
        party.contract = contract
        return party

    @extend_schema(
        summary="Sign for a party (the account that speaks for it)",
        request=SignSerializer,
        responses={200: ActionContractSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def sign(self, request, pk=None):
        contract = self.get_object()
        deny_wrong_person(
            self, request,
            permissions.for_any_party(request.user, contract.parties.all(), permissions.can_sign),
        )  # fmt: skip
        writer = SignSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        party = self._party(contract, writer.validated_data["party"])
        deny_wrong_person(self, request, permissions.can_sign(request.user, party))
        services.party_sign(
            actor=request.user, party=party, signed_name=writer.validated_data["signed_name"],
            confirm=writer.validated_data["confirm"],
        )  # fmt: skip
        return Response(ActionContractSerializer(self.get_object()).data)

    @extend_schema(
        summary="Report a party's progress (the party, or the network's manager)",
        request=ProgressSerializer,
        responses={200: ActionContractSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ClientScopes])
    def progress(self, request, pk=None):
        contract = self.get_object()
        deny_wrong_person(
            self, request,
            permissions.for_any_party(request.user, contract.parties.all(), permissions.can_report),
        )  # fmt: skip
        writer = ProgressSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        party = self._party(contract, writer.validated_data["party"])
        deny_wrong_person(self, request, permissions.can_report(request.user, party))
        services.progress_report(
            actor=request.user, party=party, text=writer.validated_data["text"],
            completes=writer.validated_data["completes"],
        )  # fmt: skip
        return Response(ActionContractSerializer(self.get_object()).data)


__all__ = ["ActionContractViewSet"]
