"""/api/v1/calls/: calls for proposals and their evaluation panel. Views check who is asking
before reading the body, then hand the answers to the services, which hold every rule."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from agencies.models import Mission
from contracts.api_checks import deny_unless, pk_in_body
from contracts.calls import permissions, selectors, services
from contracts.calls.models import CALL_STAGES, CRITERIA, Call, Instrument
from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import (
    ReasonSerializer,
    StrictModelSerializer,
    StrictSerializer,
    reason_from,
    refuse_unknown_fields,
)
from portal.api.filters import BooleanFilter
from portal.reference import CostingMethod
from portal.roles import Role, has_role
from portal.workflow import NotNow, require


def per_criterion(name: str, make_field, doc: str):
    """A serializer with one field per selection criterion, in the report's order, so the
    schema names all five."""
    return type(
        name, (serializers.Serializer,), {"__doc__": doc, **{c: make_field() for c in CRITERIA}}
    )


CriteriaWeightsSerializer = per_criterion(
    "CriteriaWeightsSerializer",
    lambda: serializers.IntegerField(min_value=0, max_value=100),
    "A whole-number weight per criterion; the five sum to 100.",
)


@extend_schema_field(CriteriaWeightsSerializer)
class WeightsField(serializers.JSONField):
    """Taken as sent; ``clean_weights`` checks the five and their sum."""


def code_list(**kwargs):
    """A new field each time: one instance shared by two names binds to only one of them."""
    return serializers.ListField(child=serializers.CharField(max_length=64), **kwargs)


class CallSerializer(StrictModelSerializer):
    criteria_weights = CriteriaWeightsSerializer(read_only=True)
    eligible_provinces = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    eligible_activity_fields = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    required_documents = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.ChoiceField(
        source="effective_status",
        choices=Call.Status.choices,
        read_only=True,
        help_text="The effective status: an open call reads `closed` from `closes_at` on, "
        "whether or not anyone has closed it.",
    )
    accepting_proposals = serializers.BooleanField(source="is_accepting", read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "agency",
            "mission",
            "instrument",
            "title",
            "stages",
            "description",
            "budget_ceiling",
            "budget_total",
            "opens_at",
            "closes_at",
            "costing_method",
            "criteria_weights",
            "eligible_provinces",
            "eligible_activity_fields",
            "required_documents",
            "status",
            "accepting_proposals",
            "published_at",
            "closed_at",
            "cancel_reason",
        ]
        read_only_fields = fields


class CallWriteSerializer(StrictSerializer):
    """A call's terms; any part may be sent on its own (PATCH, drafts only)."""

    instrument = serializers.ChoiceField(choices=Instrument.choices, required=False)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    stages = serializers.ChoiceField(
        choices=CALL_STAGES,
        required=False,
        help_text="1 (the default): full proposals. 2: concept notes first; the officer "
        "invites the best to a full proposal (`invite-full`) and declines the rest.",
    )
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    budget_ceiling = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="The most one proposal may ask for.",
    )
    budget_total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="What all the agreements under the call may add up to; at least the "
        "ceiling. Left out or null on a new call: the ceiling.",
    )
    opens_at = serializers.DateTimeField(required=False)
    closes_at = serializers.DateTimeField(required=False)
    costing_method = serializers.ChoiceField(choices=CostingMethod.choices, required=False)
    criteria_weights = WeightsField(required=False)
    eligible_provinces = code_list(
        required=False, help_text="Province codes; empty accepts every province."
    )
    eligible_activity_fields = code_list(
        required=False, help_text="Activity field codes; empty accepts every field."
    )
    required_documents = serializers.ListField(
        child=serializers.CharField(max_length=255, allow_blank=True), required=False
    )


class CallCreateSerializer(CallWriteSerializer):
    mission = serializers.PrimaryKeyRelatedField(
        queryset=Mission.objects.all(), help_text="One of your agency's missions."
    )


class UsernamesSerializer(StrictSerializer):
    usernames = serializers.ListField(child=serializers.CharField(max_length=150))


class PanelMemberSerializer(StrictSerializer):
    username = serializers.CharField(source="evaluator.username")
    name = serializers.CharField(source="evaluator.display_name")
    assigned_at = serializers.DateTimeField()


class CallFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Call.Status.choices, method="filter_status", label="Effective status"
    )
    agency = django_filters.NumberFilter(field_name="agency_id")
    mission = django_filters.NumberFilter(field_name="mission_id")
    instrument = django_filters.ChoiceFilter(choices=Instrument.choices)
    province = django_filters.CharFilter(method="filter_province")
    activity_field = django_filters.CharFilter(method="filter_activity_field")
    closing_soon = BooleanFilter(
        method="filter_closing_soon",
        label=f"Open and closing within {selectors.CLOSING_SOON_DAYS} days",
    )

    class Meta:
        model = Call
        fields = [
            "status",
            "agency",
            "mission",
            "instrument",
            "province",
            "activity_field",
            "closing_soon",
        ]

    def filter_status(self, qs, name, value):
        """By the status callers read: an open call past its closing time counts as closed."""
        now = timezone.now()
        past = Q(status=Call.Status.OPEN, closes_at__lte=now)
        if value == Call.Status.OPEN:
            return qs.filter(status=value).exclude(past)
        if value == Call.Status.CLOSED:
            return qs.filter(Q(status=value) | past)
        return qs.filter(status=value)

    def filter_province(self, qs, name, value):
        return selectors.filter_calls(qs, province=value)

    def filter_activity_field(self, qs, name, value):
        return selectors.filter_calls(qs, activity_field=value)

    def filter_closing_soon(self, qs, name, value):
        return selectors.filter_calls(qs, closing_soon=True) if value else qs


def _call_action_schema(request=None, summary=""):
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: CallSerializer, **error_responses(400, 401, 403, 404, 409)},
    )


PANEL_RESPONSES = {200: PanelMemberSerializer(many=True), **error_responses(401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        summary="Calls for proposals",
        description="Published calls for everyone; drafts and cancelled calls for the "
        "agency's officers and staff. `status` is the effective status.",
    ),
    retrieve=extend_schema(responses={200: CallSerializer, **error_responses(404)}),
    create=extend_schema(
        summary="Draft a call for one of your agency's missions (agency officer)",
        description="A mission whose service category allows only `information` (an "
        "administrative public service) cannot open a call: 409 `invalid_transition` with "
        "the reason, as the mission's suitability advice says.",
        request=CallCreateSerializer,
        responses={201: CallSerializer, **error_responses(400, 401, 403, 409)},
    ),
    partial_update=extend_schema(
        summary="Change a draft call (agency officer)",
        request=CallWriteSerializer,
        responses={200: CallSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)
class CallViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = CallFilter
    search_fields = [
        "title",
        "description",
        "mission__title_th",
        "agency__name_th",
        "agency__name_en",
    ]
    ordering_fields = ["closes_at", "opens_at", "published_at", "budget_ceiling", "title", "id"]
    ordering = ["closes_at", "id"]

    def get_queryset(self):
        return selectors.calls_visible_to(self.request.user)

    def _respond(self, call, status_code=status.HTTP_200_OK):
        fresh = selectors.call_get_for_user(self.request.user, call.pk)
        return Response(
            CallSerializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    def _manage(self, request):
        call = self.get_object()
        deny_unless(self, request, permissions.can_manage_call(request.user, call))
        return call

    def create(self, request, *args, **kwargs):
        mission = Mission.objects.filter(pk=pk_in_body(request, "mission")).first()
        allowed, why = permissions.can_create_call(request.user, mission)
        # The wrong person is refused before their answers are read; an officer who has not
        # named a mission yet is told about the field instead.
        if not allowed and (mission is not None or not has_role(request.user, Role.AGENCY_OFFICER)):
            if isinstance(why, NotNow):
                require((allowed, why))  # 409: the mission's advice rules a call out
            self.permission_denied(request, message=why)
        s = CallCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        call = services.call_create(user=request.user, mission=data.pop("mission"), **data)
        return self._respond(call, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        call = self._manage(request)
        s = CallWriteSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        call = services.call_update(call=call, user=request.user, **s.validated_data)
        return self._respond(call)

    @_call_action_schema(summary="Publish a draft call: it opens at `opens_at` (officer)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        call = self._manage(request)
        refuse_unknown_fields(request)  # the action takes no body
        return self._respond(services.call_publish(call=call, user=request.user))

    @_call_action_schema(
        summary="Publish a draft as a forecast: public, taking no proposals yet (officer)"
    )
    @action(detail=True, methods=["post"])
    def forecast(self, request, pk=None):
        call = self._manage(request)
        refuse_unknown_fields(request)
        return self._respond(services.call_forecast(call=call, user=request.user))

    @_call_action_schema(ReasonSerializer, "Close an open call, early or on time (officer)")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        call = self._manage(request)
        reason = reason_from(request)
        return self._respond(services.call_close(call=call, user=request.user, reason=reason))

    @_call_action_schema(
        ReasonSerializer,
        "Cancel a call with a reason; proposals waiting for a decision are not selected (officer)",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        call = self._manage(request)
        reason = reason_from(request)
        return self._respond(services.call_cancel(call=call, user=request.user, reason=reason))

    @extend_schema(
        summary="Set the evaluation panel; each account must hold the evaluator role (officer)",
        request=UsernamesSerializer,
        responses={
            200: PanelMemberSerializer(many=True),
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="assign-evaluators",
        pagination_class=None,
        filter_backends=[],
    )
    def assign_evaluators(self, request, pk=None):
        call = self._manage(request)
        s = UsernamesSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.call_assign_evaluators(
            call=call, user=request.user, usernames=s.validated_data["usernames"]
        )
        return self._panel(call)

    @extend_schema(summary="The evaluation panel (officer)", responses=PANEL_RESPONSES)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def evaluators(self, request, pk=None):
        return self._panel(self._manage(request))

    def _panel(self, call):
        rows = call.assignments.select_related("evaluator").order_by("evaluator__username", "id")
        return Response(PanelMemberSerializer(rows, many=True).data)
