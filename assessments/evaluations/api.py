"""/api/v1/agreements/{id}/evaluations/...: an agreement's mid-term, post-completion and
periodic evaluations, at the agreement's address (routed in assessments/api_urls.py beside
the agreements' view set of contracts)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from assessments.evaluations import permissions, services
from assessments.evaluations.models import Evaluation
from contracts.agreements import permissions as agreement_permissions
from contracts.agreements.api.views import (
    AGREEMENT_ERRORS,
    ONE_ROW,
    AgreementRouteMixin,
    agreement_action_schema,
)
from contracts.api_checks import deny_unless
from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer


class CommitteeMemberSerializer(StrictSerializer):
    name = serializers.CharField(max_length=255, allow_blank=True, required=False)
    organisation = serializers.CharField(max_length=255, allow_blank=True, required=False)
    type = serializers.ChoiceField(
        choices=[
            ("agency", "agency"),
            ("cso", "cso"),
            ("professional", "professional"),
            ("other", "other"),
        ],
        required=False,
        help_text="Whom the member represents: the agency, the CSO, a professional body or "
        "others (service users, the community).",
    )


class EvaluationSerializer(StrictModelSerializer):
    evaluators = serializers.SlugRelatedField(many=True, read_only=True, slug_field="username")
    committee = CommitteeMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "kind",
            "mode",
            "timing",
            "due_on",
            "evaluators",
            "committee",
            "score",
            "findings",
            "users_views",
            "status",
            "submitted_at",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "cancelled_at": {
                "help_text": "When an end notice cancelled it (status `cancelled`): it fell "
                "due after the agreement's new end. Null otherwise."
            },
            "cancel_reason": {"help_text": "Why it was cancelled: the end notice's reason."},
        }


class EvaluationAddSerializer(StrictSerializer):
    due_on = serializers.DateField()
    mode = serializers.ChoiceField(
        choices=Evaluation.Mode.choices, required=False, default=Evaluation.Mode.INTERNAL
    )


class EvaluationPlanSerializer(StrictSerializer):
    """Any part on its own; what is not sent stays as it is."""

    mode = serializers.ChoiceField(choices=Evaluation.Mode.choices, required=False)
    evaluators = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        max_length=50,
        help_text="Usernames; each must hold the evaluator role (an outside body such as a "
        "university gets evaluator accounts). Replaces the list.",
    )
    committee = CommitteeMemberSerializer(
        many=True, required=False, help_text="The committee of stakeholders. Replaces the list."
    )
    due_on = serializers.DateField(
        required=False, help_text="Periodic evaluations only; the others follow the contract."
    )


class EvaluationSubmitSerializer(StrictSerializer):
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, help_text="0 to 100."
    )
    findings = serializers.CharField(
        max_length=20000, allow_blank=True, help_text="The organisation reads them."
    )
    users_views = serializers.CharField(
        max_length=20000,
        allow_blank=True,
        required=False,
        default="",
        help_text="What the service users said.",
    )


# The routes: the evaluations of an agreement, at the agreement's address, beside the
# agreements' view set of contracts (the schema's paths and operations stay).


class AgreementEvaluationViewSet(AgreementRouteMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ClientScopes]
    # An API client's scopes per action (reading the rest needs ``read``).
    client_scopes = {"evaluations": "reports"}

    @extend_schema(
        methods=["get"],
        summary="The agreement's evaluations: mid-term, post-completion, periodic",
        responses={
            200: EvaluationSerializer(many=True),
            **error_responses(401, 404),
        },
    )
    @extend_schema(
        methods=["post"],
        summary="Plan another periodic evaluation (officer)",
        request=EvaluationAddSerializer,
        responses={201: EvaluationSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], **ONE_ROW)
    def evaluations(self, request, pk=None):
        if request.method == "GET":
            rows = self.get_object().evaluations.all()
            return Response(EvaluationSerializer(rows, many=True).data)
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        s = EvaluationAddSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        evaluation = services.evaluation_add(
            agreement=agreement, officer=request.user, **s.validated_data
        )
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)

    def _evaluation(self, request, eid):
        return self._part(self.get_object().evaluations.all(), pk=eid)

    @agreement_action_schema(
        EvaluationPlanSerializer,
        "Set who evaluates: internal or external, the evaluator accounts, the committee and, "
        "for a periodic one, the due date (officer)",
        responses={200: EvaluationSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["patch"], url_path=r"evaluations/(?P<eid>\d+)", **ONE_ROW)
    def evaluation_plan(self, request, pk=None, eid=None):
        evaluation = self._evaluation(request, eid)
        deny_unless(
            self,
            request,
            agreement_permissions.can_manage_agreement(request.user, evaluation.agreement),
        )
        s = EvaluationPlanSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        if "committee" in data:
            data["committee"] = [dict(row) for row in data["committee"]]
        evaluation = services.evaluation_plan(evaluation=evaluation, officer=request.user, **data)
        return Response(EvaluationSerializer(evaluation).data)

    @agreement_action_schema(
        EvaluationSubmitSerializer,
        "Record the evaluation's result: a score from 0 to 100 and findings (an evaluator "
        "named on it, or the agency's officer for an internal one)",
        responses={200: EvaluationSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"evaluations/(?P<eid>\d+)/submit", **ONE_ROW)
    def evaluation_submit(self, request, pk=None, eid=None):
        evaluation = self._evaluation(request, eid)
        deny_unless(self, request, permissions.can_submit_evaluation(request.user, evaluation))
        s = EvaluationSubmitSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        evaluation = services.evaluation_submit(
            evaluation=evaluation, user=request.user, **s.validated_data
        )
        return Response(EvaluationSerializer(evaluation).data)
