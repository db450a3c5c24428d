"""/api/v1/calls/ and /api/v1/proposals/: calls for proposals, the proposals CSOs send,
their reviews, the ranking and the decisions. Views check who is asking before reading the
body, then hand the answers to the services, which hold every rule."""

import django_filters
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from agencies.models import Mission
from assessments import api as review_api
from assessments import scoring
from assessments import selectors as review_selectors
from assessments import services as review_services
from contracts import agreements, permissions, selectors, services, timeline
from contracts.models import (
    Agreement,
    BudgetLine,
    Call,
    Instrument,
    ProgressReport,
    Proposal,
    ProposalDocument,
    Settlement,
    Tranche,
)
from contracts.pdf import agreement_pdf, receipt_pdf
from portal.api_access import ClientScopes
from portal.api_support import (
    BooleanFilter,
    FirstRendererNegotiation,
    ReasonSerializer,
    error_responses,
    reason_from,
)
from portal.idempotency import IDEMPOTENCY_KEY, idempotent
from portal.reference import CostingMethod
from portal.roles import Role, has_role


def _deny_unless(view, request, allowed_reason):
    """403 with the permission's reason (401 for an anonymous caller)."""
    allowed, why = allowed_reason
    if not allowed:
        view.permission_denied(request, message=why)


def _pk_in_body(request, name):
    """The id the body names under ``name``, if it is one; the serializer judges the rest."""
    data = request.data if isinstance(request.data, dict) else {}
    value = data.get(name)
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------
# Calls

CriteriaWeightsSerializer = review_api.per_criterion(
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


class CallSerializer(serializers.ModelSerializer):
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
            "description",
            "budget_ceiling",
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


class CallWriteSerializer(serializers.Serializer):
    """A call's terms; any part may be sent on its own (PATCH, drafts only)."""

    instrument = serializers.ChoiceField(choices=Instrument.choices, required=False)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    budget_ceiling = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
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


class UsernamesSerializer(serializers.Serializer):
    usernames = serializers.ListField(child=serializers.CharField(max_length=150))


class PanelMemberSerializer(serializers.Serializer):
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
        request=CallCreateSerializer,
        responses={201: CallSerializer, **error_responses(400, 401, 403)},
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
        _deny_unless(self, request, permissions.can_manage_call(request.user, call))
        return call

    def create(self, request, *args, **kwargs):
        mission = Mission.objects.filter(pk=_pk_in_body(request, "mission")).first()
        allowed, why = permissions.can_create_call(request.user, mission)
        # The wrong person is refused before their answers are read; an officer who has not
        # named a mission yet is told about the field instead.
        if not allowed and (mission is not None or not has_role(request.user, Role.AGENCY_OFFICER)):
            self.permission_denied(request, message=why)
        s = CallCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        call = services.call_create(user=request.user, mission=data.pop("mission"), data=data)
        return self._respond(call, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        call = self._manage(request)
        s = CallWriteSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        call = services.call_update(call=call, user=request.user, data=s.validated_data)
        return self._respond(call)

    @_call_action_schema(summary="Publish a draft call: it opens at `opens_at` (officer)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        call = self._manage(request)
        return self._respond(services.call_publish(call=call, user=request.user))

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

    @extend_schema(
        summary="Proposals ranked by weighted score (officer of the agency, staff)",
        description="Weighted score = Σ weight × score / 5 (0–100), the mean over the "
        "submitted reviews. Each evaluator's scores side by side, the spread per criterion, "
        "the criteria in dispute and the evaluators who still owe a review. Unscored "
        "proposals come last with rank null.",
        responses={
            200: review_api.RankingRowSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def ranking(self, request, pk=None):
        call = self.get_object()
        _deny_unless(self, request, permissions.can_view_ranking(request.user, call))
        rows = review_selectors.call_ranking(call)
        return Response(review_api.RankingRowSerializer(rows, many=True).data)


# ---------------------------------------------------------------------------------------
# Proposals


class TargetSerializer(serializers.Serializer):
    indicator = serializers.CharField(max_length=255, allow_blank=True, required=False)
    target = serializers.CharField(max_length=255, allow_blank=True, required=False)


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["description", "costing_method", "unit_cost", "quantity", "amount"]
        read_only_fields = fields


class BudgetLineWriteSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=255, allow_blank=True, required=False)
    costing_method = serializers.ChoiceField(
        choices=CostingMethod.choices,
        required=False,
        help_text="The call's costing method (the default); no other is accepted.",
    )
    unit_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)


class ProposalDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalDocument
        fields = ["id", "title", "content_type", "size", "original_name", "uploaded_at"]
        read_only_fields = fields


class ProposalDocumentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=255, help_text="Which document this is, e.g. one the call requires."
    )
    file = serializers.FileField()


PART_STATES = [
    ("not_started", _("Not started")),
    ("in_progress", _("In progress")),
    ("completed", _("Completed")),
]

PartsSerializer = type(
    "ProposalPartsSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "Each part of the proposal's task list and its state.",
        **{part: serializers.ChoiceField(choices=PART_STATES) for part in services.PARTS},
    },
)


class ProposalSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    documents = ProposalDocumentSerializer(many=True, read_only=True)
    parts = serializers.SerializerMethodField()
    weighted_score = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "call",
            "cso",
            "reference",
            "title",
            "summary",
            "outcomes",
            "targets",
            "budget_lines",
            "requested_amount",
            "start_date",
            "end_date",
            "project_document",
            "documents",
            "parts",
            "status",
            "submitted_at",
            "presentation_at",
            "presentation_location",
            "presented_at",
            "decided_at",
            "decision_reason",
            "weighted_score",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PartsSerializer)
    def get_parts(self, proposal):
        return services.part_states(proposal)

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_weighted_score(self, proposal):
        """The mean weighted score (0–100) for the call's officers and staff, and for the
        CSO once the agency has decided; null otherwise or before any review."""
        if not permissions.can_view_feedback(self.context["request"].user, proposal)[0]:
            return None
        score = scoring.proposal_score(proposal.call.criteria_weights, proposal.submitted_reviews)
        return None if score is None else f"{score:.2f}"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not (
            permissions.is_proposal_member(user, instance)
            or permissions.can_view_ranking(user, instance.call)[0]
        ):
            data["decision_reason"] = ""
        return data


class ProposalCreateSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.none())
    title = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Defaults to the call's title.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = selectors.calls_visible_to(user)


class ProposalWriteSerializer(serializers.Serializer):
    """Answers to any part of a draft. ``budget_lines`` replaces every line; each line's
    amount is unit cost × quantity and the requested amount their sum."""

    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    outcomes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    targets = TargetSerializer(many=True, required=False)
    budget_lines = BudgetLineWriteSerializer(many=True, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    project_document = serializers.CharField(max_length=50000, required=False, allow_blank=True)


class PresentationSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    location = serializers.CharField(
        max_length=500,
        allow_blank=True,  # the service says what is missing, with the time's problem too
        help_text="The place, or the link of the online meeting.",
    )


class ProposalFilter(django_filters.FilterSet):
    call = django_filters.NumberFilter(field_name="call_id")
    cso = django_filters.NumberFilter(field_name="cso_id")
    agency = django_filters.NumberFilter(field_name="call__agency_id")
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices)

    class Meta:
        model = Proposal
        fields = ["call", "cso", "agency", "status"]


def _proposal_action_schema(request=None, summary=""):
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: ProposalSerializer, **error_responses(400, 401, 403, 404, 409)},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Proposals",
        description="Members see their CSO's proposals; officers the proposals sent to "
        "their agency's calls; evaluators those of the calls they score; staff all sent.",
        responses={200: ProposalSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(responses={200: ProposalSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        summary="Start a proposal for an open call (member of an approved, eligible CSO)",
        request=ProposalCreateSerializer,
        responses={201: ProposalSerializer, **error_responses(400, 401, 403, 409)},
    ),
    partial_update=extend_schema(
        summary="Save answers to a draft (the CSO's members)",
        request=ProposalWriteSerializer,
        responses={200: ProposalSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)
class ProposalViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = ProposalSerializer
    permission_classes = [IsAuthenticated, ClientScopes]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = ProposalFilter
    search_fields = ["title", "reference", "cso__name_th", "cso__name_en"]
    ordering_fields = ["created_at", "submitted_at", "requested_amount", "title", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.proposals_visible_to(self.request.user)

    def _respond(self, proposal, status_code=status.HTTP_200_OK):
        fresh = selectors.proposal_get_for_user(self.request.user, proposal.pk)
        return Response(
            ProposalSerializer(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def _checked(self, request, permission):
        proposal = self.get_object()
        _deny_unless(self, request, permission(request.user, proposal))
        return proposal

    def create(self, request, *args, **kwargs):
        call = selectors.calls_visible_to(request.user).filter(pk=_pk_in_body(request, "call"))
        _deny_unless(self, request, permissions.can_start_proposal(request.user, call.first()))
        s = ProposalCreateSerializer(data=request.data, user=request.user)
        s.is_valid(raise_exception=True)
        proposal = services.proposal_create(
            user=request.user,
            call=s.validated_data["call"],
            title=s.validated_data.get("title", ""),
        )
        return self._respond(proposal, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        proposal = self._checked(request, permissions.can_edit_proposal)
        s = ProposalWriteSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        proposal = services.proposal_update(
            proposal=proposal, user=request.user, data=s.validated_data
        )
        return self._respond(proposal)

    @_proposal_action_schema(
        summary="Submit to the agency: approved, eligible CSO, call open, every part "
        "complete, within the ceiling; then frozen (the CSO's members)"
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        proposal = self._checked(request, permissions.can_edit_proposal)
        return self._respond(services.proposal_submit(proposal=proposal, user=request.user))

    @_proposal_action_schema(ReasonSerializer, "Withdraw before a decision (the CSO's members)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        proposal = self._checked(request, permissions.can_edit_proposal)
        reason = reason_from(request)
        return self._respond(
            services.proposal_withdraw(proposal=proposal, user=request.user, reason=reason)
        )

    @_proposal_action_schema(
        summary="Shortlist for a vision presentation (performance contracts; officer)"
    )
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        return self._respond(services.proposal_shortlist(proposal=proposal, officer=request.user))

    @_proposal_action_schema(
        PresentationSerializer, "Set or move a shortlisted CSO's presentation (officer)"
    )
    @action(detail=True, methods=["post"], url_path="schedule-presentation")
    def schedule_presentation(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        s = PresentationSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            services.proposal_schedule_presentation(
                proposal=proposal, officer=request.user, **s.validated_data
            )
        )

    @_proposal_action_schema(summary="Record that the CSO has presented (officer)")
    @action(detail=True, methods=["post"], url_path="mark-presented")
    def mark_presented(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        return self._respond(
            services.proposal_mark_presented(proposal=proposal, officer=request.user)
        )

    @_proposal_action_schema(
        ReasonSerializer,
        "Select the proposal once the call has closed; performance contracts select only "
        "a CSO that has presented (officer)",
    )
    @action(detail=True, methods=["post"])
    def select(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        reason = reason_from(request)
        return self._respond(
            services.proposal_select(proposal=proposal, officer=request.user, reason=reason)
        )

    @_proposal_action_schema(
        ReasonSerializer, "Not selected, with the reason the CSO will read (officer)"
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        reason = reason_from(request)
        return self._respond(
            services.proposal_reject(proposal=proposal, officer=request.user, reason=reason)
        )

    # Its schema is set at the end of the module, after the agreement's serializers.
    @action(detail=True, methods=["post"])
    @idempotent
    def award(self, request, pk=None):
        proposal = self._checked(request, permissions.can_award)
        s = AwardSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        agreement = agreements.agreement_award(
            proposal=proposal, officer=request.user, data=s.validated_data
        )
        fresh = selectors.agreement_get_for_user(request.user, agreement.pk)
        return Response(AgreementSerializer(fresh).data, status=status.HTTP_201_CREATED)

    # --- reviews and feedback ---------------------------------------------------------

    @extend_schema(
        methods=["get"],
        summary="Reviews: every evaluator's for the call's officers and staff (drafts "
        "included, with their status); an evaluator's own for an evaluator",
        responses={200: review_api.ReviewSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @extend_schema(
        methods=["post"],
        summary="Score the proposal (an assigned evaluator without a conflict of interest)",
        description="Saves the evaluator's draft (`draft: true`) or submits it. One review "
        "per evaluator: a submitted review is final, and submitting again answers 409 "
        "`conflict`. A member of the CSO, or of a CSO in its declared networks, may not "
        "review it (403).",
        request=review_api.ReviewWriteSerializer,
        responses={
            200: review_api.ReviewSerializer,
            201: review_api.ReviewSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def reviews(self, request, pk=None):
        proposal = self.get_object()
        context = {"weights": proposal.call.criteria_weights}
        if request.method == "GET":
            _deny_unless(self, request, permissions.can_view_reviews(request.user, proposal))
            rows = proposal.reviews.select_related("evaluator").order_by("evaluator__username")
            if not permissions.can_view_ranking(request.user, proposal.call)[0]:
                rows = rows.filter(evaluator=request.user)  # an evaluator: their own
            return Response(review_api.ReviewSerializer(rows, many=True, context=context).data)
        _deny_unless(self, request, review_services.can_review(request.user, proposal))
        s = review_api.ReviewWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        existed = review_selectors.review_for(proposal, request.user) is not None
        review = review_services.review_save(
            proposal=proposal,
            evaluator=request.user,
            scores=data["scores"],
            comments=data["comments"],
            comment=data["comment"],
            no_conflict_of_interest=data["no_conflict_of_interest"],
            submit=not data["draft"],
        )
        return Response(
            review_api.ReviewSerializer(review, context=context).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Scores and comments, without names (the CSO after the decision; officers)",
        responses={200: review_api.FeedbackSerializer, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def feedback(self, request, pk=None):
        proposal = self._checked(request, permissions.can_view_feedback)
        data = review_selectors.proposal_feedback(proposal)
        return Response(review_api.FeedbackSerializer(data).data)

    # --- documents --------------------------------------------------------------------

    @extend_schema(
        methods=["get"],
        summary="The proposal's attachments (whoever may see the proposal)",
        responses={200: ProposalDocumentSerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["post"],
        summary="Attach a document to a draft: PDF, JPEG or PNG by content, 10 MB at most "
        "(the CSO's members)",
        request={"multipart/form-data": ProposalDocumentUploadSerializer},
        responses={201: ProposalDocumentSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "GET":
            return Response(ProposalDocumentSerializer(proposal.documents.all(), many=True).data)
        _deny_unless(self, request, permissions.can_edit_proposal(request.user, proposal))
        s = ProposalDocumentUploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        document = services.proposal_document_add(
            proposal=proposal,
            user=request.user,
            title=s.validated_data["title"],
            upload=s.validated_data["file"],
        )
        return Response(ProposalDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def _document(self, request, document_id):
        proposal = self.get_object()
        document = proposal.documents.filter(pk=document_id).first()
        if document is None:
            raise Http404
        return proposal, document

    @extend_schema(
        summary="Remove an attachment from a draft (the CSO's members)",
        responses={204: None, **error_responses(401, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"documents/(?P<document_id>\d+)",
        filter_backends=[],
    )
    def document_delete(self, request, pk=None, document_id=None):
        proposal, document = self._document(request, document_id)
        _deny_unless(self, request, permissions.can_edit_proposal(request.user, proposal))
        services.proposal_document_delete(document=document, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download one attachment (whoever may see the proposal)",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            **error_responses(401, 404),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>\d+)/file",
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FirstRendererNegotiation,
        filter_backends=[],
    )
    def document_file(self, request, pk=None, document_id=None):
        _, document = self._document(request, document_id)
        return FileResponse(
            document.file.open("rb"),
            content_type=document.content_type,
            as_attachment=True,
            filename=document.original_name,
        )

    @extend_schema(
        summary="The receipt of a submitted proposal (PDF, in Thai, dates in B.E.)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(401, 404)},
    )
    def receipt(self, request, pk=None):
        # Routed in portal/urls.py as proposals/<pk>/receipt.pdf, like the CSO certificate.
        proposal = self.get_object()
        if proposal.submitted_at is None:
            raise Http404
        response = HttpResponse(receipt_pdf(proposal), content_type="application/pdf")
        name = proposal.reference or proposal.pk
        response["Content-Disposition"] = f'inline; filename="receipt-{name}.pdf"'
        return response


RECEIPT_VIEW_OPTIONS = {
    "renderer_classes": [JSONRenderer],
    "content_negotiation_class": FirstRendererNegotiation,
    "filter_backends": [],
}


# ---------------------------------------------------------------------------------------
# Agreements and money

DEADLINE_KINDS = [
    ("report", _("Progress report")),
    ("evaluation_midterm", _("Mid-term evaluation")),
    ("evaluation_final", _("Post-completion evaluation")),
    ("evaluation_periodic", _("Periodic evaluation")),
    ("tranche", _("Tranche planned")),
    ("end", _("End of the agreement")),
    ("settlement", _("Settlement")),
]


def _money():
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


FIRST_YEAR, LAST_YEAR = 1857, 2300  # B.E. 2400–2843, as the web forms accept


def _plausible_year(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise serializers.ValidationError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def date_field(**kwargs):
    """A date the deadlines can be worked out from (no year 9999)."""
    return serializers.DateField(validators=[_plausible_year], **kwargs)


class TrancheSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tranche
        fields = [
            "seq",
            "share_percent",
            "amount",
            "condition",
            "planned_on",
            "status",
            "released_at",
            "paid_at",
            "paid_on",
            "payment_reference",
        ]
        read_only_fields = fields


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DEADLINE_KINDS)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    ref = serializers.IntegerField(
        allow_null=True,
        help_text="The report's or tranche's seq, or the evaluation's id; null for the end "
        "and the settlement.",
    )


class MoneySerializer(serializers.Serializer):
    amount = _money()
    released = _money()
    paid = _money()
    remaining = _money()


class SettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Settlement
        fields = ["disbursed_total", "spent_total", "refund_due", "note", "submitted_at"]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    tranches = TrancheSerializer(many=True, read_only=True)
    next_deadlines = serializers.SerializerMethodField()
    money = serializers.SerializerMethodField()
    settlement = serializers.SerializerMethodField()
    signed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "number",
            "kind",
            "proposal",
            "agency",
            "cso",
            "title",
            "amount",
            "start_date",
            "end_date",
            "status",
            "tranches",
            "next_deadlines",
            "money",
            "settlement",
            "scope",
            "terms",
            "targets",
            "report_schedule",
            "report_every_months",
            "outcomes",
            "needs_assessment",
            "resources",
            "service_design",
            "responsibilities",
            "delivery_started_at",
            "signed_name",
            "signed_by",
            "signed_at",
            "decline_reason",
            "completed_at",
            "settled_at",
            "terminated_at",
            "termination_reason",
            "end_notice_on",
            "end_notice_reason",
            "renewals",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_next_deadlines(self, agreement):
        """What falls due next while the agreement runs, soonest first."""
        return DeadlineSerializer(timeline.next_deadlines(agreement), many=True).data

    @extend_schema_field(MoneySerializer)
    def get_money(self, agreement):
        """Released and paid so far; remaining is what is still to be paid."""
        return MoneySerializer(timeline.money_summary(agreement)).data

    @extend_schema_field(SettlementSerializer(allow_null=True))
    def get_settlement(self, agreement):
        """The CSO's closing account once stated; null before."""
        if not timeline.has_settlement(agreement):
            return None
        return SettlementSerializer(agreement.settlement).data


class AwardSerializer(serializers.Serializer):
    """All optional: dates, amount and targets come from the proposal unless set here."""

    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="No more than the proposal requested.",
    )
    start_date = date_field(required=False)
    end_date = date_field(required=False)
    scope = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    terms = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    shares = serializers.ListField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        required=False,
        max_length=agreements.MAX_TRANCHES,
        help_text="Grants and commissioning: the tranches' percentages, summing to 100 "
        "(default one tranche of 100). A performance contract is always 80 and 20.",
    )
    report_schedule = serializers.ChoiceField(
        choices=Agreement.ReportSchedule.choices, required=False
    )
    report_every_months = serializers.IntegerField(min_value=1, max_value=12, required=False)
    outcomes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    needs_assessment = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    resources = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class AcceptSerializer(serializers.Serializer):
    signed_name = serializers.CharField(
        max_length=255, allow_blank=True, help_text="Your full name, typed as your signature."
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Must be true: you accept the terms on behalf of the organisation.",
    )


class NewEndDateSerializer(serializers.Serializer):
    end_date = date_field()
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DesignSerializer(serializers.Serializer):
    class ResponsibilitySerializer(serializers.Serializer):
        task = serializers.CharField(max_length=500, allow_blank=True, required=False)
        party = serializers.ChoiceField(
            choices=[("agency", "agency"), ("cso", "cso"), ("joint", "joint")], required=False
        )

    service_design = serializers.CharField(max_length=50000, required=False, allow_blank=True)
    responsibilities = ResponsibilitySerializer(many=True, required=False)


class SettlementWriteSerializer(serializers.Serializer):
    spent_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="What the organisation spent, in baht."
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class PaySerializer(serializers.Serializer):
    payment_reference = serializers.CharField(
        max_length=64, allow_blank=True, help_text="The finance system's reference (GFMIS)."
    )
    paid_on = date_field(help_text="The value date; not in the future.")


class IndicatorSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    target = serializers.CharField()
    actual = serializers.CharField()


class IndicatorActualSerializer(serializers.Serializer):
    indicator = serializers.CharField(
        max_length=255,
        allow_blank=True,
        required=False,
        default="",
        help_text="One of the agreement's targets.",
    )
    actual = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")


class ReportSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "seq",
            "due_on",
            "status",
            "overdue",
            "narrative",
            "indicators",
            "spent_to_date",
            "officer_comment",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields

    def get_overdue(self, report) -> bool:
        """Still to be sent (or sent back) and past its due date."""
        waiting = report.status in {ProgressReport.Status.DUE, ProgressReport.Status.RETURNED}
        return waiting and report.due_on < timezone.localdate()


class ReportSubmitSerializer(serializers.Serializer):
    narrative = serializers.CharField(
        max_length=10000, allow_blank=True, help_text="What was done in the period."
    )
    indicators = IndicatorActualSerializer(many=True, required=False, default=list)
    spent_to_date = serializers.DecimalField(max_digits=14, decimal_places=2)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AgreementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Instrument.choices)
    cso = django_filters.NumberFilter(field_name="cso_id")
    agency = django_filters.NumberFilter(field_name="agency_id")
    proposal = django_filters.NumberFilter(field_name="proposal_id")

    class Meta:
        model = Agreement
        fields = ["status", "kind", "cso", "agency", "proposal"]


AGREEMENT_ERRORS = error_responses(400, 401, 403, 404, 409)


def _agreement_action_schema(request=None, summary="", *, money=False, responses=None, **kw):
    """An action's schema; ``money`` documents the Idempotency-Key header."""
    return extend_schema(
        summary=summary,
        request=request,
        parameters=[IDEMPOTENCY_KEY] if money else None,
        responses=responses or {200: AgreementSerializer, **AGREEMENT_ERRORS},
        **kw,
    )


ONE_ROW = {"pagination_class": None, "filter_backends": []}

DOCUMENT_VIEW_OPTIONS = {
    "renderer_classes": [JSONRenderer],
    "content_negotiation_class": FirstRendererNegotiation,
    "filter_backends": [],
}


@extend_schema_view(
    list=extend_schema(
        summary="Agreements",
        description="Officers see their agency's agreements, members their CSO's, evaluators "
        "those they evaluate, staff and API clients all.",
        responses={200: AgreementSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(responses={200: AgreementSerializer, **error_responses(401, 404)}),
)
class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    permission_classes = [IsAuthenticated, ClientScopes]
    # An API client's scopes per action (reading the rest needs ``read``).
    client_scopes = {
        "tranche_pay": "payments",
        "reports": "reports",
        "evaluations": "reports",
    }
    filterset_class = AgreementFilter
    search_fields = ["number", "title", "cso__name_th", "cso__name_en"]
    ordering_fields = ["created_at", "start_date", "end_date", "amount", "number", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.agreements_visible_to(self.request.user)

    def get_object(self):
        return selectors.agreement_get_for_user(self.request.user, self.kwargs["pk"])

    def _respond(self, agreement, status_code=status.HTTP_200_OK):
        fresh = selectors.agreement_get_for_user(self.request.user, agreement.pk)
        return Response(AgreementSerializer(fresh).data, status=status_code)

    def _checked(self, request, permission):
        """The agreement (404 if the caller may not see it), once the caller may act (403)."""
        agreement = self.get_object()
        _deny_unless(self, request, permission(request.user, agreement))
        return agreement

    def _part(self, rows, **match):
        """One of the agreement's prefetched tranches, reports or evaluations, or 404."""
        for row in rows:
            if all(str(getattr(row, k)) == str(v) for k, v in match.items()):
                return row
        raise Http404

    # --- the offer ---------------------------------------------------------------------

    @_agreement_action_schema(
        AcceptSerializer,
        "Sign the offer: type your full name and confirm (the CSO's members)",
        money=True,
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def accept(self, request, pk=None):
        agreement = self._checked(request, permissions.can_act_for_cso)
        s = AcceptSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            agreements.agreement_accept(agreement=agreement, user=request.user, **s.validated_data)
        )

    @_agreement_action_schema(ReasonSerializer, "Decline the offer, with a reason (members)")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        agreement = self._checked(request, permissions.can_act_for_cso)
        reason = reason_from(request)
        return self._respond(
            agreements.agreement_decline(agreement=agreement, user=request.user, reason=reason)
        )

    # --- commissioning: co-design and delivery -----------------------------------------

    @_agreement_action_schema(
        DesignSerializer,
        "Co-design the service model and who does what, until delivery starts "
        "(commissioning; the agency's officers and the CSO's members)",
    )
    @action(detail=True, methods=["post"])
    def design(self, request, pk=None):
        agreement = self._checked(request, permissions.can_edit_service_design)
        s = DesignSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        responsibilities = data.get("responsibilities")
        return self._respond(
            agreements.agreement_update_design(
                agreement=agreement,
                user=request.user,
                service_design=data.get("service_design"),
                responsibilities=None
                if responsibilities is None
                else [dict(row) for row in responsibilities],
            )
        )

    @_agreement_action_schema(
        summary="Start delivery once the service model is agreed (commissioning; officer)"
    )
    @action(detail=True, methods=["post"], url_path="start-delivery")
    def start_delivery(self, request, pk=None):
        agreement = self._checked(request, permissions.can_manage_agreement)
        return self._respond(
            agreements.agreement_start_delivery(agreement=agreement, officer=request.user)
        )

    # --- delivery, ending, settlement ----------------------------------------------------

    @_agreement_action_schema(summary="Accept delivery as complete (officer)")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        agreement = self._checked(request, permissions.can_manage_agreement)
        return self._respond(
            agreements.agreement_complete(agreement=agreement, officer=request.user)
        )

    @_agreement_action_schema(ReasonSerializer, "Terminate, with a reason (officer)")
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        agreement = self._checked(request, permissions.can_manage_agreement)
        reason = reason_from(request)
        return self._respond(
            agreements.agreement_terminate(agreement=agreement, officer=request.user, reason=reason)
        )

    @_agreement_action_schema(
        summary="Close the agreement: delivery complete, settlement stated, every released "
        "tranche paid and, for a performance contract, the post-completion evaluation done "
        "(officer)"
    )
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        agreement = self._checked(request, permissions.can_manage_agreement)
        return self._respond(agreements.agreement_settle(agreement=agreement, officer=request.user))

    @_agreement_action_schema(
        NewEndDateSerializer,
        "Renew a running partnership to a later end date (commissioning; officer)",
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        agreement = self._checked(request, permissions.can_manage_agreement)
        s = NewEndDateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            agreements.agreement_renew(
                agreement=agreement, officer=request.user, **s.validated_data
            )
        )

    @_agreement_action_schema(
        NewEndDateSerializer,
        "Give notice that the agreement ends early or is not renewed (officer)",
        description="`end_date` may be no earlier than today plus 3 calendar months "
        "(400 `validation_error` on `end_date`) and no later than the current end date; "
        "`reason` is required. The organisation is told at once.",
    )
    @action(detail=True, methods=["post"], url_path="end-notice")
    def end_notice(self, request, pk=None):
        agreement = self._checked(request, permissions.can_manage_agreement)
        s = NewEndDateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            agreements.agreement_end_notice(
                agreement=agreement, officer=request.user, **s.validated_data
            )
        )

    @extend_schema(
        methods=["get"],
        summary="The settlement the organisation stated (404 before it is stated)",
        responses={200: SettlementSerializer, **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["post"],
        summary="State the settlement after the end date: what was spent (the CSO's members)",
        description="The portal works out `disbursed_total` (the tranches paid) and "
        "`refund_due` (disbursed and not spent). Due within 2 months after `end_date`; "
        "before or on `end_date` it answers 409 `invalid_transition`, and a second "
        "settlement 409 `conflict`.",
        request=SettlementWriteSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: SettlementSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], **ONE_ROW)
    @idempotent
    def settlement(self, request, pk=None):
        if request.method == "GET":
            agreement = self.get_object()
            if not timeline.has_settlement(agreement):
                raise Http404
            return Response(SettlementSerializer(agreement.settlement).data)
        agreement = self._checked(request, permissions.can_act_for_cso)
        s = SettlementWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        settlement = agreements.settlement_submit(
            agreement=agreement, user=request.user, **s.validated_data
        )
        return Response(SettlementSerializer(settlement).data, status=status.HTTP_201_CREATED)

    # --- money ---------------------------------------------------------------------------

    @extend_schema(
        summary="The tranches, in order",
        responses={200: TrancheSerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], **ONE_ROW)
    def tranches(self, request, pk=None):
        return Response(TrancheSerializer(self.get_object().tranches.all(), many=True).data)

    @_agreement_action_schema(
        summary="Release a tranche for payment (officer)",
        description="Tranche 1 once the agreement is signed; a performance contract's last "
        "tranche once delivery is complete and the mid-term evaluation done; a grant's "
        "later tranches from their planned date, in order. Never twice: 409 otherwise.",
        money=True,
        responses={200: TrancheSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"tranches/(?P<seq>\d+)/release", **ONE_ROW)
    @idempotent
    def tranche_release(self, request, pk=None, seq=None):
        agreement = self._checked(request, permissions.can_manage_agreement)
        tranche = self._part(agreement.tranches.all(), seq=seq)
        tranche = agreements.tranche_release(tranche=tranche, officer=request.user)
        return Response(TrancheSerializer(tranche).data)

    @_agreement_action_schema(
        PaySerializer,
        "Record that a released tranche was paid (the finance system: an API client with "
        "the `payments` scope)",
        description="Never twice: paying a paid tranche answers 409 `invalid_transition`.",
        money=True,
        responses={200: TrancheSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"tranches/(?P<seq>\d+)/pay", **ONE_ROW)
    @idempotent
    def tranche_pay(self, request, pk=None, seq=None):
        agreement = self._checked(request, permissions.can_record_payment)
        tranche = self._part(agreement.tranches.all(), seq=seq)
        s = PaySerializer(data=request.data)
        s.is_valid(raise_exception=True)
        tranche = agreements.tranche_pay(tranche=tranche, user=request.user, **s.validated_data)
        return Response(TrancheSerializer(tranche).data)

    # --- progress reports ----------------------------------------------------------------

    @extend_schema(
        summary="Progress reports on the agreed schedule",
        responses={200: ReportSerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], **ONE_ROW)
    def reports(self, request, pk=None):
        return Response(ReportSerializer(self.get_object().reports.all(), many=True).data)

    def _report(self, request, seq, permission):
        agreement = self._checked(request, permission)
        return self._part(agreement.reports.all(), seq=seq)

    @_agreement_action_schema(
        ReportSubmitSerializer,
        "Send a report (or send a returned one again): what was done, each indicator's "
        "result and the money spent so far (the CSO's members)",
        responses={200: ReportSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<seq>\d+)/submit", **ONE_ROW)
    def report_submit(self, request, pk=None, seq=None):
        report = self._report(request, seq, permissions.can_act_for_cso)
        s = ReportSubmitSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        report = agreements.report_submit(
            report=report,
            user=request.user,
            narrative=data["narrative"],
            indicators=[dict(row) for row in data["indicators"]],
            spent_to_date=data["spent_to_date"],
        )
        return Response(ReportSerializer(report).data)

    @_agreement_action_schema(
        CommentSerializer,
        "Accept a submitted report, with an optional comment (officer)",
        responses={200: ReportSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<seq>\d+)/accept", **ONE_ROW)
    def report_accept(self, request, pk=None, seq=None):
        report = self._report(request, seq, permissions.can_manage_agreement)
        s = CommentSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = agreements.report_accept(
            report=report, officer=request.user, comment=s.validated_data["comment"]
        )
        return Response(ReportSerializer(report).data)

    @_agreement_action_schema(
        CommentSerializer,
        "Return a submitted report with what to change; `comment` is required (officer)",
        responses={200: ReportSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<seq>\d+)/return", **ONE_ROW)
    def report_return(self, request, pk=None, seq=None):
        report = self._report(request, seq, permissions.can_manage_agreement)
        s = CommentSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = agreements.report_return(
            report=report, officer=request.user, comment=s.validated_data["comment"]
        )
        return Response(ReportSerializer(report).data)

    # --- evaluations ---------------------------------------------------------------------

    @extend_schema(
        methods=["get"],
        summary="The agreement's evaluations: mid-term, post-completion, periodic",
        responses={200: review_api.EvaluationSerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["post"],
        summary="Plan another periodic evaluation (officer)",
        request=review_api.EvaluationAddSerializer,
        responses={201: review_api.EvaluationSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], **ONE_ROW)
    def evaluations(self, request, pk=None):
        if request.method == "GET":
            rows = self.get_object().evaluations.all()
            return Response(review_api.EvaluationSerializer(rows, many=True).data)
        agreement = self._checked(request, permissions.can_manage_agreement)
        s = review_api.EvaluationAddSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        evaluation = review_services.evaluation_add(
            agreement=agreement, officer=request.user, **s.validated_data
        )
        return Response(
            review_api.EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED
        )

    def _evaluation(self, request, eid):
        return self._part(self.get_object().evaluations.all(), pk=eid)

    @_agreement_action_schema(
        review_api.EvaluationPlanSerializer,
        "Set who evaluates: internal or external, the evaluator accounts, the committee and, "
        "for a periodic one, the due date (officer)",
        responses={200: review_api.EvaluationSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["patch"], url_path=r"evaluations/(?P<eid>\d+)", **ONE_ROW)
    def evaluation_plan(self, request, pk=None, eid=None):
        evaluation = self._evaluation(request, eid)
        _deny_unless(
            self, request, permissions.can_manage_agreement(request.user, evaluation.agreement)
        )
        s = review_api.EvaluationPlanSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        if "committee" in data:
            data["committee"] = [dict(row) for row in data["committee"]]
        evaluation = review_services.evaluation_plan(
            evaluation=evaluation, officer=request.user, **data
        )
        return Response(review_api.EvaluationSerializer(evaluation).data)

    @_agreement_action_schema(
        review_api.EvaluationSubmitSerializer,
        "Record the evaluation's result: a score from 0 to 100 and findings (an evaluator "
        "named on it, or the agency's officer for an internal one)",
        responses={200: review_api.EvaluationSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"evaluations/(?P<eid>\d+)/submit", **ONE_ROW)
    def evaluation_submit(self, request, pk=None, eid=None):
        evaluation = self._evaluation(request, eid)
        _deny_unless(self, request, review_services.can_submit_evaluation(request.user, evaluation))
        s = review_api.EvaluationSubmitSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        evaluation = review_services.evaluation_submit(
            evaluation=evaluation, user=request.user, **s.validated_data
        )
        return Response(review_api.EvaluationSerializer(evaluation).data)

    # --- the document ----------------------------------------------------------------------

    @extend_schema(
        summary="The offer letter, contract or partnership agreement (PDF, in Thai, dates in "
        "B.E., the amount in Thai words)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(401, 404)},
    )
    def document(self, request, pk=None):
        # Routed in portal/urls.py as agreements/<pk>/document.pdf, like the CSO certificate.
        agreement = self.get_object()
        response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="agreement-{agreement.number}.pdf"'
        return response


# The award answers with the agreement, whose serializer is defined above.
extend_schema_view(
    award=extend_schema(
        summary="Award a selected proposal: the call's instrument becomes an offer "
        "(officer of the call's agency)",
        description="A grant offer, a performance contract (tranches 80 % and 20 %, a "
        "mid-term and a post-completion evaluation) or a commissioning partnership. Every "
        "field is optional: dates, amount and targets come from the proposal. Answers 409 "
        "when the proposal is not selected or already has its agreement.",
        request=AwardSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: AgreementSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
)(ProposalViewSet)
