"""/api/v1/agreements/ and /api/v1/proposals/{id}/award/: what an awarded proposal becomes,
its offer, money, progress reports, settlement and end. Views check who is asking before
reading the body, then hand the answers to the services, which hold every rule."""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from contracts.agreements import permissions as agreement_permissions
from contracts.agreements import rules as agreement_rules
from contracts.agreements import selectors as agreement_selectors
from contracts.agreements import services as agreement_services
from contracts.agreements import timeline
from contracts.agreements.api.serializers import (
    AcceptSerializer,
    AgreementFilter,
    AgreementSerializer,
    AwardSerializer,
    BudgetRowSerializer,
    CommentSerializer,
    DesignSerializer,
    ExpenseAnswerSerializer,
    ExpenseCheckSerializer,
    ExpenseSerializer,
    ExpenseWriteSerializer,
    NewEndDateSerializer,
    OtherFundingQuery,
    OtherFundingSerializer,
    PaymentRequestSerializer,
    PaymentRequestWriteSerializer,
    PaySerializer,
    ReportEvidenceSerializer,
    ReportEvidenceUploadSerializer,
    ReportSerializer,
    ReportSubmitSerializer,
    SettlementSerializer,
    SettlementWriteSerializer,
    TrancheSerializer,
    VariationAgreeSerializer,
    VariationProposeSerializer,
    VariationSerializer,
)
from contracts.agreements.models import PaymentRequest, Tranche
from contracts.agreements.pdf import agreement_pdf, payment_order_pdf
from contracts.api_checks import deny_unless
from contracts.proposals import selectors as proposal_selectors
from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import ReasonSerializer, reason_from, refuse_unknown_fields
from portal.api.idempotency import IDEMPOTENCY_KEY, idempotent
from portal.api.negotiation import FirstRendererNegotiation
from portal.page_cache import KeptListMixin
from portal.pages import stored_file
from portal.workflow import InvalidTransition

# ---------------------------------------------------------------------------------------
# Calls


# ---------------------------------------------------------------------------------------
# Proposals


# ---------------------------------------------------------------------------------------
# Agreements and money


AGREEMENT_ERRORS = error_responses(400, 401, 403, 404, 409)


def agreement_action_schema(request=None, summary="", *, money=False, responses=None, **kw):
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


# What every view at /agreements/{id}/... shares (the agreement's own actions here, its
# evaluations in assessments): the agreements the caller may see, one of them (404 if not),
# the caller's right to act on it (403), and one of its prefetched parts. A comment, not a
# docstring: a docstring here would become every operation's description in the schema.
class AgreementRouteMixin:
    def get_queryset(self):
        return agreement_selectors.agreements_visible_to(self.request.user)

    def get_object(self):
        return agreement_selectors.agreement_get_for_user(self.request.user, self.kwargs["pk"])

    def _checked(self, request, permission):
        agreement = self.get_object()
        deny_unless(self, request, permission(request.user, agreement))
        return agreement

    def _part(self, rows, **match):
        for row in rows:
            if all(str(getattr(row, k)) == str(v) for k, v in match.items()):
                return row
        raise Http404


@extend_schema_view(
    list=extend_schema(
        summary="Agreements",
        description="Officers see their agency's agreements, members their CSO's, evaluators "
        "those they evaluate, staff and API clients all.",
        responses={200: AgreementSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(responses={200: AgreementSerializer, **error_responses(401, 404)}),
)
class AgreementViewSet(KeptListMixin, AgreementRouteMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    permission_classes = [IsAuthenticated, ClientScopes]
    # An API client's scopes per action (reading the rest needs ``read``).
    client_scopes = {
        "tranche_pay": "payments",
        "reports": "reports",
        "report_evidence_item": "reports",  # a report's photos and documents, as the report
    }
    filterset_class = AgreementFilter
    search_fields = ["number", "title", "cso__name_th", "cso__name_en"]
    ordering_fields = ["created_at", "start_date", "end_date", "amount", "number", "id"]
    ordering = ["-created_at", "-id"]

    def _respond(self, agreement, status_code=status.HTTP_200_OK):
        fresh = agreement_selectors.agreement_get_for_user(self.request.user, agreement.pk)
        return Response(
            AgreementSerializer(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    # --- the offer ---------------------------------------------------------------------

    @agreement_action_schema(
        AcceptSerializer,
        "Sign the offer: type your full name and confirm (the CSO's members)",
        money=True,
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def accept(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_act_for_cso)
        s = AcceptSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            agreement_services.agreement_accept(
                agreement=agreement, user=request.user, **s.validated_data
            )
        )

    @agreement_action_schema(ReasonSerializer, "Decline the offer, with a reason (members)")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_act_for_cso)
        reason = reason_from(request)
        return self._respond(
            agreement_services.agreement_decline(
                agreement=agreement, user=request.user, reason=reason
            )
        )

    # --- commissioning: co-design and delivery -----------------------------------------

    @agreement_action_schema(
        DesignSerializer,
        "Co-design the service model and who does what, until delivery starts "
        "(commissioning; the agency's officers and the CSO's members)",
    )
    @action(detail=True, methods=["post"])
    def design(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_edit_service_design)
        s = DesignSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        responsibilities = data.get("responsibilities")
        return self._respond(
            agreement_services.agreement_update_design(
                agreement=agreement,
                user=request.user,
                service_design=data.get("service_design"),
                responsibilities=None
                if responsibilities is None
                else [dict(row) for row in responsibilities],
            )
        )

    @agreement_action_schema(
        summary="Start delivery once the service model is agreed (commissioning; officer)"
    )
    @action(detail=True, methods=["post"], url_path="start-delivery")
    def start_delivery(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        refuse_unknown_fields(request)  # the action takes no body
        return self._respond(
            agreement_services.agreement_start_delivery(agreement=agreement, officer=request.user)
        )

    # --- delivery, ending, settlement ----------------------------------------------------

    @agreement_action_schema(
        summary="Accept delivery as complete (officer)",
        description="Not before `start_date`, nor while a progress report due before today "
        "is missing: 409 `invalid_transition`, naming each missing report with its number "
        "and due date.",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        refuse_unknown_fields(request)  # the action takes no body
        return self._respond(
            agreement_services.agreement_complete(agreement=agreement, officer=request.user)
        )

    @agreement_action_schema(ReasonSerializer, "Terminate, with a reason (officer)")
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        reason = reason_from(request)
        return self._respond(
            agreement_services.agreement_terminate(
                agreement=agreement, officer=request.user, reason=reason
            )
        )

    @agreement_action_schema(
        summary="Close the agreement: delivery complete, settlement stated, every released "
        "tranche paid and, for a performance contract, the post-completion evaluation done "
        "(officer)",
        description="Also every progress report due before today accepted and each "
        "evaluation the instrument needs recorded (a performance contract: the mid-term and "
        "the post-completion). Otherwise 409 `invalid_transition` whose message names "
        "everything missing.",
    )
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        refuse_unknown_fields(request)  # the action takes no body
        return self._respond(
            agreement_services.agreement_settle(agreement=agreement, officer=request.user)
        )

    @agreement_action_schema(
        NewEndDateSerializer,
        "Renew a running partnership to a later end date (commissioning; officer)",
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        s = NewEndDateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            agreement_services.agreement_renew(
                agreement=agreement, officer=request.user, **s.validated_data
            )
        )

    @agreement_action_schema(
        NewEndDateSerializer,
        "Give notice that the agreement ends early or is not renewed (officer)",
        description="`end_date` may be no earlier than today plus 3 calendar months "
        "(400 `validation_error` on `end_date`) and no later than the current end date; "
        "`reason` is required. The organisation is told at once.",
    )
    @action(detail=True, methods=["post"], url_path="end-notice")
    def end_notice(self, request, pk=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        s = NewEndDateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._respond(
            agreement_services.agreement_end_notice(
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
        agreement = self._checked(request, agreement_permissions.can_act_for_cso)
        s = SettlementWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        settlement = agreement_services.settlement_submit(
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
        return Response(
            TrancheSerializer(
                self.get_object().tranches.all(), many=True, context={"request": request}
            ).data
        )

    @agreement_action_schema(
        summary="Release a tranche for payment (officer)",
        description="Tranche 1 once the agreement is signed; a performance contract's last "
        "tranche once delivery is complete and the mid-term evaluation done; a grant's "
        "later tranches from their planned date, in order, or, paid on request, once the "
        "organisation asked (releasing approves its request). Never twice: 409 otherwise.",
        money=True,
        responses={200: TrancheSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"tranches/(?P<seq>\d+)/release", **ONE_ROW)
    @idempotent
    def tranche_release(self, request, pk=None, seq=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        refuse_unknown_fields(request)  # the action takes no body
        tranche = self._part(agreement.tranches.all(), seq=seq)
        tranche = agreement_services.tranche_release(tranche=tranche, officer=request.user)
        return self._tranche_answer(request, tranche)

    @agreement_action_schema(
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
        agreement = self._checked(request, agreement_permissions.can_record_payment)
        tranche = self._part(agreement.tranches.all(), seq=seq)
        s = PaySerializer(data=request.data)
        s.is_valid(raise_exception=True)
        tranche = agreement_services.tranche_pay(
            tranche=tranche, user=request.user, **s.validated_data
        )
        return self._tranche_answer(request, tranche)

    def _tranche_answer(self, request, tranche):
        """A tranche as a service returned it, its requests (and the reports they cite)
        read in one query, however many there are."""
        prefetch_related_objects(
            [tranche],
            Prefetch("payment_requests", queryset=PaymentRequest.objects.select_related("report")),
        )
        return Response(TrancheSerializer(tranche, context={"request": request}).data)

    @agreement_action_schema(
        PaymentRequestWriteSerializer,
        "Ask for a tranche paid on request, citing an accepted progress report (the "
        "organisation's members)",
        description="For agreements whose later tranches are paid on request "
        "(`paid_on_request` at the award). The earlier tranches are released first, one "
        "request waits at a time, and each accepted report evidences one tranche (409 "
        "otherwise). The officer approves it by releasing the tranche "
        "(`.../release/`) or returns it (`.../request/return/`).",
        responses={201: PaymentRequestSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"tranches/(?P<seq>\d+)/request", **ONE_ROW)
    def tranche_request(self, request, pk=None, seq=None):
        agreement = self._checked(request, agreement_permissions.can_act_for_cso)
        tranche = self._part(agreement.tranches.all(), seq=seq)
        s = PaymentRequestWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        made = agreement_services.payment_request_submit(
            tranche=tranche, user=request.user, **s.validated_data
        )
        return Response(PaymentRequestSerializer(made).data, status=status.HTTP_201_CREATED)

    @agreement_action_schema(
        ReasonSerializer,
        "Return the waiting payment request with a reason (officer)",
        responses={200: PaymentRequestSerializer, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"tranches/(?P<seq>\d+)/request/return",
        **ONE_ROW,
    )
    def tranche_request_return(self, request, pk=None, seq=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        tranche = self._part(agreement.tranches.all(), seq=seq)
        waiting = agreement_rules.pending_request(tranche)
        if waiting is None:
            raise InvalidTransition(_("No request for this tranche is waiting for an answer."))
        returned = agreement_services.payment_request_return(
            payment_request=waiting, officer=request.user, reason=reason_from(request)
        )
        return Response(PaymentRequestSerializer(returned).data)

    # --- progress reports ----------------------------------------------------------------

    @extend_schema(
        summary="Progress reports on the agreed schedule",
        responses={200: ReportSerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], **ONE_ROW)
    def reports(self, request, pk=None):
        reports = list(self.get_object().reports.all())
        prefetch_related_objects(reports, "evidence")  # one query for every report's files
        return Response(ReportSerializer(reports, many=True).data)

    # --- expenses and the budget ----------------------------------------------------

    @extend_schema(
        methods=["get"],
        summary="The expenses recorded against the agreement's budget, with their check",
        responses={200: ExpenseSerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["post"],
        summary="Record an expense against a budget line, with its receipt (the "
        "organisation's members)",
        description="The receipt is checked by content (PDF, JPEG or PNG) and size. The date "
        "lies in the agreement's period and not ahead; a line may run over its budget by "
        "the set share (10 % by default), beyond which a variation is needed (400 on "
        "`amount`).",
        request={"multipart/form-data": ExpenseWriteSerializer},
        responses={201: ExpenseSerializer, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        **ONE_ROW,
    )
    def expenses(self, request, pk=None):
        if request.method == "GET":
            agreement = self.get_object()
            return Response(ExpenseSerializer(agreement.expenses.all(), many=True).data)
        agreement = self._checked(request, agreement_permissions.can_act_for_cso)
        s = ExpenseWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        expense = agreement_services.expense_record(agreement=agreement, user=request.user, **data)
        return Response(ExpenseSerializer(expense).data, status=status.HTTP_201_CREATED)

    @agreement_action_schema(
        ExpenseCheckSerializer,
        "Check an expense: accepted, queried (`note`: the question) or rejected (`note`: the "
        "reason) (officer)",
        description="A rejected expense no longer counts as spent: a settlement already "
        "stated follows it. The agreement is settled only once every expense is accepted or "
        "rejected.",
        responses={200: ExpenseSerializer, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"expenses/(?P<expense_id>\d+)/check",
        **ONE_ROW,
    )
    def expense_check(self, request, pk=None, expense_id=None):
        agreement = self._checked(request, agreement_permissions.can_manage_agreement)
        expense = self._part(agreement.expenses.all(), pk=expense_id)
        s = ExpenseCheckSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        expense = agreement_services.expense_check(
            expense=expense, officer=request.user, **s.validated_data
        )
        return Response(ExpenseSerializer(expense).data)

    @agreement_action_schema(
        ExpenseAnswerSerializer,
        "Answer the officer's question about a queried expense (the organisation's members)",
        description="The expense goes back to be checked (`pending`) with the answer; the "
        "agency's officers are told. Only a `queried` expense is answered (409 otherwise).",
        responses={200: ExpenseSerializer, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"expenses/(?P<expense_id>\d+)/answer",
        **ONE_ROW,
    )
    def expense_answer(self, request, pk=None, expense_id=None):
        agreement = self._checked(request, agreement_permissions.can_act_for_cso)
        expense = self._part(agreement.expenses.all(), pk=expense_id)
        s = ExpenseAnswerSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        expense = agreement_services.expense_answer(
            expense=expense, user=request.user, answer=s.validated_data["answer"]
        )
        return Response(ExpenseSerializer(expense).data)

    @extend_schema(
        summary="The budget by line: budget, spent (expenses not rejected) and remaining",
        responses={200: BudgetRowSerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], **ONE_ROW)
    def budget(self, request, pk=None):
        rows = agreement_selectors.budget_of(self.get_object())
        return Response(BudgetRowSerializer(rows, many=True).data)

    # --- variations ---------------------------------------------------------------

    @extend_schema(
        methods=["get"],
        summary="The agreement's variations, proposed, agreed, declined or withdrawn",
        responses={200: VariationSerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["post"],
        summary="Propose a variation of a running agreement: what changes and why (the "
        "agency's officer, or the organisation's signatory)",
        description="One may wait for an answer at a time (409). An amount above the current "
        "one must fit in what is left of the call's budget; below, not under what was "
        "released. Only the fields that differ are kept in `changes`.",
        request=VariationProposeSerializer,
        responses={201: VariationSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], **ONE_ROW)
    def variations(self, request, pk=None):
        if request.method == "GET":
            agreement = self.get_object()
            return Response(VariationSerializer(agreement.variations.all(), many=True).data)
        agreement = self._checked(request, agreement_permissions.can_vary)
        s = VariationProposeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        changes = dict(s.validated_data["changes"])
        if "targets" in changes:
            changes["targets"] = [dict(row) for row in changes["targets"]]
        if "tranches" in changes:
            changes["tranches"] = [dict(row) for row in changes["tranches"]]
        variation = agreement_services.variation_propose(
            agreement=agreement, user=request.user, reason=s.validated_data["reason"], **changes
        )
        return Response(VariationSerializer(variation).data, status=status.HTTP_201_CREATED)

    def _variation(self, request, number):
        agreement = self._checked(request, agreement_permissions.can_vary)
        return self._part(agreement.variations.all(), number=number)

    @agreement_action_schema(
        VariationAgreeSerializer,
        "Agree to a proposed variation (the other side: the organisation's signatory signs "
        "with `signed_name` and `confirm`; the agency's officer confirms)",
        description="The agreement changes at once: its tranches still to be released are "
        "re-planned and what is scheduled after a new end date moves.",
        responses={200: VariationSerializer, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"variations/(?P<number>\d+)/agree",
        **ONE_ROW,
    )
    def variation_agree(self, request, pk=None, number=None):
        variation = self._variation(request, number)
        s = VariationAgreeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        variation = agreement_services.variation_agree(
            variation=variation, user=request.user, **s.validated_data
        )
        return Response(VariationSerializer(variation).data)

    @agreement_action_schema(
        ReasonSerializer,
        "Decline a proposed variation, with the reason the proposer reads (the other side)",
        responses={200: VariationSerializer, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"variations/(?P<number>\d+)/decline",
        **ONE_ROW,
    )
    def variation_decline(self, request, pk=None, number=None):
        variation = self._variation(request, number)
        reason = reason_from(request)
        variation = agreement_services.variation_decline(
            variation=variation, user=request.user, reason=reason
        )
        return Response(VariationSerializer(variation).data)

    @agreement_action_schema(
        ReasonSerializer,
        "Withdraw a proposed variation before it is answered (the side that proposed it)",
        responses={200: VariationSerializer, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"variations/(?P<number>\d+)/withdraw",
        **ONE_ROW,
    )
    def variation_withdraw(self, request, pk=None, number=None):
        variation = self._variation(request, number)
        reason = reason_from(request)
        variation = agreement_services.variation_withdraw(
            variation=variation, user=request.user, reason=reason
        )
        return Response(VariationSerializer(variation).data)

    def _report(self, request, seq, permission):
        agreement = self._checked(request, permission)
        return self._part(agreement.reports.all(), seq=seq)

    @agreement_action_schema(
        ReportSubmitSerializer,
        "Send a report (or send a returned one again): what was done, each indicator's "
        "result and the money spent so far (the CSO's members)",
        description="`spent_to_date` may not exceed the agreement's amount (400 on "
        "`spent_to_date`); more than was paid so far is accepted and shown as `overspent_by`. "
        "Lower than the previous report's needs `spending_explanation` (400 on it otherwise).",
        responses={200: ReportSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<seq>\d+)/submit", **ONE_ROW)
    def report_submit(self, request, pk=None, seq=None):
        report = self._report(request, seq, agreement_permissions.can_act_for_cso)
        s = ReportSubmitSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        report = agreement_services.report_submit(
            report=report,
            user=request.user,
            narrative=data["narrative"],
            indicators=[dict(row) for row in data["indicators"]],
            beneficiaries=[dict(row) for row in data["beneficiaries"]],
            spent_to_date=data["spent_to_date"],
            spending_explanation=data["spending_explanation"],
        )
        return Response(ReportSerializer(report).data)

    @extend_schema(
        summary="Attach a photo or a document to a report not sent yet, or returned (the "
        "organisation's members)",
        description="PDF, JPEG or PNG by content, within the upload and organisation limits.",
        request={"multipart/form-data": ReportEvidenceUploadSerializer},
        responses={201: ReportEvidenceSerializer, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"reports/(?P<seq>\d+)/evidence",
        parser_classes=[MultiPartParser, FormParser],
        **ONE_ROW,
    )
    def report_evidence(self, request, pk=None, seq=None):
        report = self._report(request, seq, agreement_permissions.can_act_for_cso)
        s = ReportEvidenceUploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        evidence = agreement_services.report_evidence_add(
            report=report,
            user=request.user,
            upload=s.validated_data["file"],
            caption=s.validated_data["caption"],
        )
        return Response(ReportEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    def _evidence(self, report, evidence_id):
        evidence = report.evidence.filter(pk=evidence_id).first()
        if evidence is None:
            raise Http404
        evidence.report = report
        return evidence

    @extend_schema(
        methods=["get"],
        summary="Download a report's photo or document (whoever may see the agreement)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            **error_responses(401, 404),
        },
    )
    @extend_schema(
        methods=["delete"],
        summary="Remove a photo or document from a report not sent yet, or returned (the "
        "organisation's members)",
        responses={204: None, **AGREEMENT_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"reports/(?P<seq>\d+)/evidence/(?P<evidence_id>\d+)",
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FirstRendererNegotiation,
        **ONE_ROW,
    )
    def report_evidence_item(self, request, pk=None, seq=None, evidence_id=None):
        if request.method == "GET":
            report = self._part(self.get_object().reports.all(), seq=seq)
            if not agreement_permissions.can_view_report_evidence(request.user, report)[0]:
                raise Http404
            evidence = self._evidence(report, evidence_id)
            return stored_file(
                evidence.file, filename=evidence.original_name, content_type=evidence.content_type
            )
        report = self._report(request, seq, agreement_permissions.can_act_for_cso)
        agreement_services.report_evidence_remove(
            evidence=self._evidence(report, evidence_id), user=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @agreement_action_schema(
        CommentSerializer,
        "Accept a submitted report, with an optional comment (officer)",
        responses={200: ReportSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<seq>\d+)/accept", **ONE_ROW)
    def report_accept(self, request, pk=None, seq=None):
        report = self._report(request, seq, agreement_permissions.can_manage_agreement)
        s = CommentSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = agreement_services.report_accept(
            report=report, officer=request.user, comment=s.validated_data["comment"]
        )
        return Response(ReportSerializer(report).data)

    @agreement_action_schema(
        CommentSerializer,
        "Return a submitted report with what to change; `comment` is required (officer)",
        responses={200: ReportSerializer, **AGREEMENT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<seq>\d+)/return", **ONE_ROW)
    def report_return(self, request, pk=None, seq=None):
        report = self._report(request, seq, agreement_permissions.can_manage_agreement)
        s = CommentSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = agreement_services.report_return(
            report=report, officer=request.user, comment=s.validated_data["comment"]
        )
        return Response(ReportSerializer(report).data)

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

    @extend_schema(
        summary="A released or paid tranche's payment order (PDF, in Thai): for the finance "
        "system and whoever may see the agreement; 404 while the tranche is scheduled",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(401, 404)},
    )
    def payment_order(self, request, pk=None, seq=None):
        # Routed in contracts/api_urls.py as agreements/<pk>/tranches/<seq>/payment-order.pdf:
        # API client accounts have no web session, so the finance system reads it here.
        agreement = self.get_object()
        tranche = next((t for t in agreement.tranches.all() if t.seq == int(seq)), None)
        if tranche is None or tranche.status == Tranche.Status.SCHEDULED:
            raise Http404
        full_account = agreement_permissions.can_view_payee_account(request.user, agreement)[0]
        response = HttpResponse(
            payment_order_pdf(tranche, full_account=full_account), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'inline; filename="payment-order-{agreement.number}-{tranche.seq}.pdf"'
        )
        return response


# The award: a proposal's action that answers with the agreement it creates, so it lives with
# the agreements and is routed at the proposal's address (/proposals/{id}/award/).
class ProposalAwardViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ClientScopes]

    def get_queryset(self):
        return proposal_selectors.proposals_visible_to(self.request.user)

    def _checked(self, request, permission):
        proposal = self.get_object()
        deny_unless(self, request, permission(request.user, proposal))
        return proposal

    @extend_schema(
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
    @action(detail=True, methods=["post"])
    @idempotent
    def award(self, request, pk=None):
        proposal = self._checked(request, agreement_permissions.can_award)
        s = AwardSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        agreement = agreement_services.agreement_award(
            proposal=proposal, officer=request.user, **s.validated_data
        )
        fresh = agreement_selectors.agreement_get_for_user(request.user, agreement.pk)
        return Response(
            AgreementSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Before an award: the organisation's other active and recent agreements, "
        "from every agency, and what each shares with it (officer of the call's agency)",
        description="Measured against the proposal's dates, or `start_date` and `end_date` "
        "given as query parameters (the dates the award will have). Those that overlap come "
        "first. When the list is not empty, the award needs `considered_funding: true`.",
        parameters=[
            OpenApiParameter("start_date", OpenApiTypes.DATE, required=False),
            OpenApiParameter("end_date", OpenApiTypes.DATE, required=False),
        ],
        responses={200: OtherFundingSerializer(many=True), **error_responses(400, 401, 403, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="other-funding",
        pagination_class=None,
        filter_backends=[],
    )
    def other_funding(self, request, pk=None):
        proposal = self._checked(request, agreement_permissions.can_award)
        wanted = {"start_date", "end_date"}  # other parameters (format, lang) are not ours
        dates = OtherFundingQuery(
            data={k: v for k, v in request.query_params.items() if k in wanted}
        )
        dates.is_valid(raise_exception=True)
        rows = agreement_selectors.other_funding(
            proposal,
            dates.validated_data.get("start_date") or proposal.start_date,
            dates.validated_data.get("end_date") or proposal.end_date,
            timezone.localdate(),
        )
        return Response(OtherFundingSerializer(rows, many=True).data)
