"""/api/v1/feedback/ and the report cards: a citizen's rating (anonymous, rate limited), the
public report cards of an agreement, a CSO and an agency, and the moderation of comments by
the agreement's officers and organisation members."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from assessments.feedback import permissions, selectors, services
from assessments.feedback.limits import Flooded, client_address
from assessments.feedback.models import FeedbackResponse
from csos.models import CSO
from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import ReasonSerializer, StrictSerializer, reason_from, refuse_unknown_fields
from portal.workflow import require

COMMENTS_SHOWN = 100


# --- the charter -----------------------------------------------------------------------------


class CharterSerializer(StrictSerializer):
    service = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    who_may_use = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    where_when = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    time_standard = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    quality_standard = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    cost = serializers.CharField(
        max_length=2000, allow_blank=True, required=False, help_text="Empty: free."
    )
    remedy = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    agreed_by_agency_at = serializers.DateTimeField(read_only=True, allow_null=True)
    agreed_by_cso_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _charter_of(request, pk):
    """The agreement and its charter, for whoever may read it (404 otherwise)."""
    agreement = selectors.agreement_or_404(pk)
    charter = selectors.charter_of(agreement)
    if not permissions.can_view_charter(request.user, agreement, charter)[0]:
        raise Http404
    return agreement, charter


class CharterView(APIView):
    """GET /api/v1/agreements/{id}/charter/ (public once both sides agreed; the parties
    before); PATCH by either side (any part; a change clears both agreements)."""

    permission_classes = [AllowAny, ClientScopes]

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsAuthenticated(), ClientScopes()]
        return super().get_permissions()

    @extend_schema(
        operation_id="agreement_charter",
        summary="The agreement's citizen charter (public once the agency and the CSO agreed)",
        responses={200: CharterSerializer, **error_responses(404)},
        tags=["feedback"],
    )
    def get(self, request, pk):
        _agreement, charter = _charter_of(request, pk)
        if charter is None:
            raise Http404
        return Response(CharterSerializer(charter).data)

    @extend_schema(
        operation_id="agreement_charter_update",
        summary="Write the citizen charter (the agency's officers or the CSO's members); a "
        "change clears both sides' agreement",
        request=CharterSerializer,
        responses={200: CharterSerializer, **error_responses(400, 401, 403, 404, 409)},
        tags=["feedback"],
    )
    def patch(self, request, pk):
        agreement, _charter = _charter_of(request, pk)
        require(permissions.can_edit_charter(request.user, agreement))
        s = CharterSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        charter = services.charter_save(agreement=agreement, user=request.user, **s.validated_data)
        return Response(CharterSerializer(charter).data)


class CharterAgreeView(APIView):
    permission_classes = [IsAuthenticated, ClientScopes]

    @extend_schema(
        operation_id="agreement_charter_agree",
        summary="Agree to the charter as written, for your side (an officer of the agency, or "
        "the CSO's signatory)",
        request=None,
        responses={200: CharterSerializer, **error_responses(400, 401, 403, 404, 409)},
        tags=["feedback"],
    )
    def post(self, request, pk):
        agreement, charter = _charter_of(request, pk)
        refuse_unknown_fields(request)
        charter = services.charter_agree(agreement=agreement, user=request.user)
        return Response(CharterSerializer(charter).data)


class FeedbackSerializer(StrictSerializer):
    agreement = serializers.IntegerField(help_text="The agreement whose service is rated.")
    ratings = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        help_text="A rating from 1 to 5 per dimension the agreement's survey asks, by code "
        "(`overall`, `timeliness`, `courtesy`, `accessibility`, `outcome`, ...); `overall` "
        "is required.",
    )
    comment = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        required=False,
        default="",
        help_text="Optional. Phone numbers, e-mail addresses and 13-digit ids are removed "
        "before it is stored; it may be shown publicly after moderation.",
    )


CREATED = inline_serializer(name="FeedbackCreated", fields={"id": serializers.IntegerField()})


class FeedbackCreateView(APIView):
    """POST /api/v1/feedback/ — anonymous allowed; floods refused per address and per
    agreement (429)."""

    permission_classes = [AllowAny, ClientScopes]

    @extend_schema(
        operation_id="feedback_create",
        summary="Rate an agreement's service (anyone, no account; rate limited)",
        request=FeedbackSerializer,
        responses={201: CREATED, **error_responses(400, 404, 409, 429)},
        tags=["feedback"],
    )
    def post(self, request):
        s = FeedbackSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        try:
            agreement = selectors.public_agreement(data["agreement"])
        except Http404 as exc:
            raise exceptions.ValidationError(
                {"agreement": [_("No service with this id takes ratings.")]}
            ) from exc
        try:
            response = services.feedback_submit(
                agreement=agreement,
                ratings=data["ratings"],
                comment=data["comment"],
                address=client_address(request),
                language=get_language() or "",
            )
        except Flooded as exc:
            raise exceptions.Throttled(wait=exc.wait, detail=exc.message) from exc
        return Response({"id": response.pk}, status=status.HTTP_201_CREATED)


DIMENSIONS = inline_serializer(
    name="ReportCardDimension",
    many=True,
    fields={
        "code": serializers.CharField(),
        "name_th": serializers.CharField(),
        "name_en": serializers.CharField(),
        "mean": serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True),
        "low": serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True),
        "high": serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True),
        "responses": serializers.IntegerField(),
    },
)
REPORT_CARD = inline_serializer(
    name="ReportCard",
    fields={
        "responses": serializers.IntegerField(),
        "agreements": serializers.IntegerField(),
        "dimensions": DIMENSIONS,
        "by_month": inline_serializer(
            name="ReportCardMonth",
            fields={
                "month": serializers.CharField(help_text="YYYY-MM, Bangkok time."),
                "responses": serializers.IntegerField(),
                "mean": serializers.DecimalField(max_digits=3, decimal_places=2),
            },
            many=True,
        ),
        "comments": inline_serializer(
            name="ReportCardComment",
            fields={
                "id": serializers.IntegerField(),
                "text": serializers.CharField(),
                "created_at": serializers.DateTimeField(),
                "agreement": serializers.IntegerField(),
            },
            many=True,
        ),
        "hidden_comments": serializers.IntegerField(),
    },
)


def _decimal(value):
    return None if value is None else str(value)


def card_data(card) -> dict:
    comments = list(card.comments[:COMMENTS_SHOWN])
    return {
        "responses": card.responses,
        "agreements": card.agreements,
        "interval": "Student's t, 95 %, two-sided, clipped to 1–5; none under 2 responses",
        "dimensions": [
            {
                "code": d.code,
                "name_th": d.name_th,
                "name_en": d.name_en,
                "mean": _decimal(d.mean),
                "low": _decimal(d.low),
                "high": _decimal(d.high),
                "responses": d.responses,
            }
            for d in card.dimensions
        ],
        "by_month": [
            {"month": m.month.strftime("%Y-%m"), "responses": m.responses, "mean": _decimal(m.mean)}
            for m in card.by_month
        ],
        "comments": [
            {
                "id": c.pk,
                "text": c.comment,
                "created_at": serializers.DateTimeField().to_representation(c.created_at),
                "agreement": c.agreement_id,
            }
            for c in comments
        ],
        "hidden_comments": card.hidden_comments,
    }


CARD_NOTE = (
    " Public. The mean per dimension with the number of responses and a 95 % interval "
    "(Student's t with n − 1 degrees of freedom, clipped to the 1–5 scale; null under 2 "
    "responses), the overall rating by month (the 12 latest months with answers) and the "
    f"{COMMENTS_SHOWN} latest comments shown, with the count of hidden ones."
)


class _CardView(APIView):
    permission_classes = [AllowAny, ClientScopes]

    def card(self, pk):
        raise NotImplementedError

    def get(self, request, pk):
        return Response(card_data(self.card(pk)))


def _card_schema(summary, operation_id):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=summary + "." + CARD_NOTE,
        responses={200: REPORT_CARD, **error_responses(404)},
        tags=["feedback"],
    )


class AgreementReportCardView(_CardView):
    @_card_schema("An agreement's citizen report card", "agreement_report_card")
    def get(self, request, pk):
        return super().get(request, pk)

    def card(self, pk):
        return selectors.report_card(agreement=selectors.public_agreement(pk))


class CsoReportCardView(_CardView):
    @_card_schema("A CSO's citizen report card, across its agreements", "cso_report_card")
    def get(self, request, pk):
        return super().get(request, pk)

    def card(self, pk):
        return selectors.report_card(cso=get_object_or_404(CSO, pk=pk))


class AgencyReportCardView(_CardView):
    @_card_schema("An agency's citizen report card, across its agreements", "agency_report_card")
    def get(self, request, pk):
        return super().get(request, pk)

    def card(self, pk):
        return selectors.report_card(agency=get_object_or_404(Agency, pk=pk))


MODERATED = inline_serializer(
    name="ModeratedComment",
    fields={
        "id": serializers.IntegerField(),
        "hidden": serializers.BooleanField(),
        "hidden_reason": serializers.CharField(),
    },
)


def _moderated(response: FeedbackResponse) -> dict:
    return {
        "id": response.pk,
        "hidden": response.hidden_at is not None,
        "hidden_reason": response.hidden_reason,
    }


class _ModerationView(APIView):
    permission_classes = [IsAuthenticated, ClientScopes]

    def response_for(self, request, pk) -> FeedbackResponse:
        """404 for those who may not moderate it; its existence stays private."""
        response = selectors.feedback_get(pk)
        if not permissions.is_party(request.user, response.agreement):
            raise Http404
        return response


class FeedbackHideView(_ModerationView):
    @extend_schema(
        operation_id="feedback_hide",
        summary="Hide an abusive comment, with a reason (the agreement's officers and "
        "organisation members)",
        request=ReasonSerializer,
        responses={200: MODERATED, **error_responses(400, 401, 403, 404, 409)},
        tags=["feedback"],
    )
    def post(self, request, pk):
        response = self.response_for(request, pk)
        require(permissions.can_hide(request.user, response))
        response = services.feedback_hide(
            response=response, user=request.user, reason=reason_from(request)
        )
        return Response(_moderated(response))


class FeedbackRestoreView(_ModerationView):
    @extend_schema(
        operation_id="feedback_restore",
        summary="Show a hidden comment again (the agreement's officers and organisation members)",
        request=None,
        responses={200: MODERATED, **error_responses(401, 403, 404, 409)},
        tags=["feedback"],
    )
    def post(self, request, pk):
        response = self.response_for(request, pk)
        refuse_unknown_fields(request)
        response = services.feedback_restore(response=response, user=request.user)
        return Response(_moderated(response))
