"""/api/v1/proposals/: the proposals CSOs send, their documents, receipt and the officer's
decisions. Views check who is asking before reading the body, then hand the answers to the
services, which hold every rule."""

import django_filters
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from contracts.api_checks import deny_unless, pk_in_body
from contracts.calls import permissions as call_permissions
from contracts.calls import selectors as call_selectors
from contracts.calls.models import Call
from contracts.proposals import permissions, rules, selectors, services
from contracts.proposals.models import (
    BudgetLine,
    InformationRequest,
    Proposal,
    ProposalDocument,
)
from contracts.proposals.pdf import receipt_pdf
from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import (
    ReasonSerializer,
    StrictModelSerializer,
    StrictSerializer,
    reason_from,
    refuse_unknown_fields,
)
from portal.api.negotiation import FirstRendererNegotiation
from portal.page_cache import KeptListMixin
from portal.reference import CostingMethod


class TargetSerializer(StrictSerializer):
    indicator = serializers.CharField(max_length=255, allow_blank=True, required=False)
    target = serializers.CharField(max_length=255, allow_blank=True, required=False)


class BudgetLineSerializer(StrictModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["description", "costing_method", "unit_cost", "quantity", "amount"]
        read_only_fields = fields


class BudgetLineWriteSerializer(StrictSerializer):
    description = serializers.CharField(max_length=255, allow_blank=True, required=False)
    costing_method = serializers.ChoiceField(
        choices=CostingMethod.choices,
        required=False,
        help_text="The call's costing method (the default); no other is accepted.",
    )
    unit_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    # Sent back as read, it is ignored: the amount is always unit cost × quantity.
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class ProposalDocumentSerializer(StrictModelSerializer):
    class Meta:
        model = ProposalDocument
        fields = ["id", "title", "content_type", "size", "original_name", "uploaded_at"]
        read_only_fields = fields


class ProposalDocumentUploadSerializer(StrictSerializer):
    title = serializers.CharField(
        max_length=255, help_text="Which document this is, e.g. one the call requires."
    )
    file = serializers.FileField()


class InformationRequestSerializer(StrictModelSerializer):
    """The agency's questions before deciding and the organisation's answer. ``version`` is
    the number of the version kept when the agency asked (what the answer changed is
    compared with it)."""

    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.PARTS), read_only=True
    )
    version = serializers.IntegerField(source="version.number", read_only=True, allow_null=True)

    class Meta:
        model = InformationRequest
        fields = [
            "number",
            "questions",
            "parts",
            "reply_by",
            "requested_at",
            "version",
            "answer",
            "answered_at",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields


class InformationRequestWriteSerializer(StrictSerializer):
    questions = serializers.CharField(
        max_length=5000, allow_blank=True, help_text="What the organisation should answer."
    )
    reply_by = serializers.DateTimeField(
        help_text="When the answer is due: at least a day ahead, within 90 days."
    )
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.PARTS),
        required=False,
        help_text="The parts the organisation may change; all when left out or empty.",
    )


class SubmitSerializer(StrictSerializer):
    answer = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text="The answer to the agency's questions, required when sending a proposal "
        "again after the agency asked for more information; not sent otherwise.",
    )


PART_STATES = [
    ("not_started", _("Not started")),
    ("in_progress", _("In progress")),
    ("completed", _("Completed")),
]


PartsSerializer = type(
    "ProposalPartsSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "Each part of the proposal's task list and its state: a concept note has "
        "`summary` and `estimate`; a full proposal the others.",
        **{
            part: serializers.ChoiceField(choices=PART_STATES, required=False)
            for part in rules.ALL_PARTS
        },
    },
)


class ProposalSerializer(StrictModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    documents = ProposalDocumentSerializer(many=True, read_only=True)
    information_requests = InformationRequestSerializer(many=True, read_only=True)
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
            "stage",
            "status",
            "invited_at",
            "full_due_at",
            "invitation_note",
            "information_requests",
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
        return rules.part_states(proposal)

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_weighted_score(self, proposal):
        """The mean weighted score (0–100) for the call's officers and staff, and for the
        CSO once the agency has decided; null otherwise or before any review."""
        if not permissions.can_view_feedback(self.context["request"].user, proposal)[0]:
            return None
        # The arithmetic is the reviews' (assessments), reached through the relation.
        scored = proposal.reviews.model.proposal_score
        score = scored(proposal.call.criteria_weights, proposal.submitted_reviews)
        return None if score is None else f"{score:.2f}"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not (
            permissions.is_proposal_member(user, instance)
            or call_permissions.can_view_ranking(user, instance.call)[0]
        ):
            data["decision_reason"] = ""
        return data


class ProposalWriteSerializer(StrictSerializer):
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
    requested_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="A concept note's budget estimate (baht). A full proposal's amount is the "
        "sum of its budget lines and is not sent.",
    )


class ProposalCreateSerializer(ProposalWriteSerializer):
    """A new draft for ``call``, with any of its parts at once (all kept, or none)."""

    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.none())
    title = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Defaults to the call's title.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = call_selectors.calls_visible_to(user)


class PresentationSerializer(StrictSerializer):
    at = serializers.DateTimeField()
    location = serializers.CharField(
        max_length=500,
        allow_blank=True,  # the service says what is missing, with the time's problem too
        help_text="The place, or the link of the online meeting.",
    )


class InvitationSerializer(StrictSerializer):
    due_at = serializers.DateTimeField(
        help_text="When the full proposal is due: at least a day ahead, within a year."
    )
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text="What the organisation should develop or add; it reads this.",
    )


class ProposalFilter(django_filters.FilterSet):
    call = django_filters.NumberFilter(field_name="call_id")
    cso = django_filters.NumberFilter(field_name="cso_id")
    agency = django_filters.NumberFilter(field_name="call__agency_id")
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices)
    stage = django_filters.ChoiceFilter(choices=Proposal.Stage.choices)

    class Meta:
        model = Proposal
        fields = ["call", "cso", "agency", "status", "stage"]


def _proposal_action_schema(request=None, summary="", description=None):
    return extend_schema(
        summary=summary,
        description=description,
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
    KeptListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
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
        deny_unless(self, request, permission(request.user, proposal))
        return proposal

    def create(self, request, *args, **kwargs):
        call = call_selectors.calls_visible_to(request.user).filter(pk=pk_in_body(request, "call"))
        deny_unless(self, request, permissions.can_start_proposal(request.user, call.first()))
        s = ProposalCreateSerializer(data=request.data, user=request.user)
        s.is_valid(raise_exception=True)
        fields = dict(s.validated_data)
        proposal = services.proposal_create(user=request.user, call=fields.pop("call"), **fields)
        return self._respond(proposal, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        proposal = self._checked(request, permissions.can_edit_proposal)
        s = ProposalWriteSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        proposal = services.proposal_update(
            proposal=proposal, user=request.user, **s.validated_data
        )
        return self._respond(proposal)

    @_proposal_action_schema(
        SubmitSerializer,
        "Submit to the agency: approved, eligible CSO, call open, every part "
        "complete, within the ceiling; then frozen (the CSO's members)",
        "A proposal the agency asked more about (`more information requested`) is sent again "
        "the same way, before the request's `reply_by`, with the `answer` to its questions.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        proposal = self._checked(request, permissions.can_edit_proposal)
        s = SubmitSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            services.proposal_submit(
                proposal=proposal, user=request.user, answer=s.validated_data.get("answer", "")
            )
        )

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
        refuse_unknown_fields(request)  # the action takes no body
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
        refuse_unknown_fields(request)  # the action takes no body
        return self._respond(
            services.proposal_mark_presented(proposal=proposal, officer=request.user)
        )

    @_proposal_action_schema(
        ReasonSerializer,
        "Select the proposal once the call has closed; performance contracts select only "
        "a CSO that has presented (officer)",
        "Selecting out of rank order (a proposal ranked above it is not decided yet) or with "
        "reviews missing needs a `reason`: without one, 400 naming `reason` and saying why "
        "(the ranking's `select_needs_reason`). The CSO reads the reason; the audit row keeps "
        "it.",
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

    @_proposal_action_schema(
        InvitationSerializer,
        "Invite a concept note's organisation to a full proposal due by `due_at` (two-stage "
        "calls, once closed; officer)",
        "The concept note is kept as version 1 and the proposal becomes a draft again, now a "
        "full proposal, starting from what the concept note said.",
    )
    @action(detail=True, methods=["post"], url_path="invite-full")
    def invite_full(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        s = InvitationSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            services.concept_invite(
                proposal=proposal,
                officer=request.user,
                due_at=s.validated_data["due_at"],
                note=s.validated_data.get("note", ""),
            )
        )

    @_proposal_action_schema(
        ReasonSerializer,
        "Take a concept note no further, with the reason the organisation reads (officer)",
    )
    @action(detail=True, methods=["post"], url_path="decline-concept")
    def decline_concept(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        reason = reason_from(request)
        return self._respond(
            services.concept_decline(proposal=proposal, officer=request.user, reason=reason)
        )

    @_proposal_action_schema(
        InformationRequestWriteSerializer,
        "Before deciding, return a submitted proposal to its organisation with questions and "
        "a reply-by time (officer)",
        "The organisation may change the `parts` named (all when none are) and sends the "
        "proposal again with its answer (`submit` with `answer`). What the proposal said is "
        "kept as a version. While it answers, the proposal is not selected or scored as final.",
    )
    @action(detail=True, methods=["post"], url_path="request-more-information")
    def request_more_information(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        s = InformationRequestWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.proposal_request_information(
            proposal=proposal, officer=request.user, **s.validated_data
        )
        return self._respond(proposal)

    @_proposal_action_schema(
        ReasonSerializer,
        "Withdraw the questions: the proposal goes back to review as it was sent (officer)",
        "The parts changed since the agency asked are put back and documents attached since "
        "are removed; the organisation reads the reason.",
    )
    @action(detail=True, methods=["post"], url_path="cancel-information-request")
    def cancel_information_request(self, request, pk=None):
        proposal = self._checked(request, permissions.can_decide_proposal)
        reason = reason_from(request)
        return self._respond(
            services.information_request_cancel(
                proposal=proposal, officer=request.user, reason=reason
            )
        )

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
        deny_unless(self, request, permissions.can_edit_proposal(request.user, proposal))
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
        deny_unless(self, request, permissions.can_edit_proposal(request.user, proposal))
        services.proposal_document_delete(document=document, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download one attachment (whoever may see the proposal)",
        responses={
            # The file as uploaded: one of the types portal.uploads accepts.
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
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


class DecisionItemSerializer(StrictSerializer):
    proposal = serializers.IntegerField()
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class BatchDecisionSerializer(StrictSerializer):
    selected = DecisionItemSerializer(many=True, required=False)
    rejected = DecisionItemSerializer(
        many=True, required=False, help_text="Each with the reason the organisation reads."
    )


class BatchDecisionResultSerializer(StrictSerializer):
    selected = serializers.IntegerField()
    rejected = serializers.IntegerField()


class CallDecisionView(viewsets.ViewSet):
    """``POST /api/v1/calls/<id>/decide/``: several proposals of a closed call decided at
    once (the call's officer), all or none."""

    permission_classes = [IsAuthenticated, ClientScopes]

    @extend_schema(
        summary="Decide several proposals of a closed call at once, each with its reason "
        "(the call's officer): all are decided or none",
        request=BatchDecisionSerializer,
        responses={200: BatchDecisionResultSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def create(self, request, pk=None):
        try:
            call = call_selectors.call_get_for_user(request.user, pk)
        except Http404 as exc:
            raise NotFound from exc
        deny_unless(self, request, call_permissions.can_manage_call(request.user, call))
        writer = BatchDecisionSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        data = writer.validated_data
        done = services.proposals_decide(
            call=call, officer=request.user,
            selected=[(d["proposal"], d.get("reason", "")) for d in data.get("selected", [])],
            rejected=[(d["proposal"], d.get("reason", "")) for d in data.get("rejected", [])],
        )  # fmt: skip
        return Response(done)
