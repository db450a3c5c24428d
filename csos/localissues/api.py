"""/api/v1/networks/<id>/issues/: a network's local issues (public); a certified member, or
the manager, raises one with ``POST``."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from portal.api.access import ClientScopes, deny_wrong_person
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer

from ..networks.api import NETWORK_PK, InNetwork
from . import permissions, selectors, services
from .models import LocalIssue


class LocalIssueSerializer(StrictModelSerializer):
    raised_by = serializers.CharField(source="raised_by.name", read_only=True)
    contract = serializers.SerializerMethodField()

    class Meta:
        model = LocalIssue
        fields = [
            "id", "network", "title", "description", "evidence", "places", "status", "goals",
            "results", "approach", "close_reason", "raised_by", "created_at", "contract",
        ]  # fmt: skip
        read_only_fields = fields

    def get_contract(self, issue) -> int | None:
        """The action contract's id (``/api/v1/action-contracts/<id>/``), once drawn up."""
        contract = getattr(issue, "contract", None)
        return contract.pk if contract else None


class RaiseSerializer(StrictSerializer):
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(max_length=5000)
    places = serializers.CharField(max_length=500)
    evidence = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    raised_for = serializers.IntegerField(
        required=False, help_text="The certified member it is raised for (default: the first)."
    )


@extend_schema_view(
    list=extend_schema(summary="A network's local issues (public)", parameters=NETWORK_PK),
    retrieve=extend_schema(
        parameters=NETWORK_PK, responses={200: LocalIssueSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="Raise a local issue (a certified member of the network, or its manager)",
        parameters=NETWORK_PK,
        request=RaiseSerializer,
        responses={201: LocalIssueSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class NetworkIssueViewSet(
    InNetwork, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = LocalIssueSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LocalIssue.objects.none()
        return selectors.issues_of(self.network())

    def create(self, request, *args, **kwargs):
        network = self.network()
        deny_wrong_person(self, request, permissions.can_raise(request.user, network))
        writer = RaiseSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        data = dict(writer.validated_data)
        raised_for = None
        if "raised_for" in data:
            raised_for = network.members.filter(pk=data.pop("raised_for")).first()
            if raised_for is None:
                raise serializers.ValidationError(
                    {"raised_for": [_("Raise it for a member you speak for.")]}
                )
        issue = services.issue_raise(
            person=request.user, network=network, data=data, raised_for=raised_for
        )
        return Response(LocalIssueSerializer(issue).data, status=status.HTTP_201_CREATED)


__all__ = ["NetworkIssueViewSet"]
