"""/api/v1/grievances/: anyone files one (rate limited per address) and reads its public
status by tracking id; verifiers route, reject and merge; the agency's officers answer; the
citizen replies or says whether it was resolved, with the reply code given at filing (or
their account). The staff list shows each grievance to those who may see it, and the
citizen's name and contact only where the reader may see them."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from assessments.grievances import permissions, selectors, services
from assessments.grievances.models import Grievance
from portal import page_cache
from portal.api.access import AddressRateThrottle, ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer
from portal.workflow import require


class GrievanceFilingThrottle(AddressRateThrottle):
    """Grievances filed from one address, web form and API together (``grievance`` rate)."""

    scope = "grievance"


class GrievanceFileSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Grievance.Kind.choices)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=5000)
    occurred_on = serializers.DateField()
    province = serializers.CharField(max_length=8, help_text="The province's DOPA code.")
    agency = serializers.IntegerField(required=False, allow_null=True)
    agreement = serializers.IntegerField(
        required=False, allow_null=True, help_text="A funded project (agreement) id."
    )
    anonymous = serializers.BooleanField(required=False, default=False)
    confidential = serializers.BooleanField(required=False, default=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact = serializers.CharField(
        max_length=254, required=False, allow_blank=True, default="", help_text="Email or phone."
    )
    website = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Leave empty (a honeypot)."
    )
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=5
    )


class GrievanceFiledSerializer(StrictSerializer):
    tracking_id = serializers.CharField()
    citizen_token = serializers.CharField(
        help_text="Lets the citizen reply and say whether it was resolved; shown once."
    )


PUBLIC_FIELDS = [
    "tracking_id",
    "kind",
    "title",
    "status",
    "received_at",
    "route_by",
    "routed_at",
    "respond_by",
    "responded_at",
    "response",
    "close_by",
    "closed_at",
    "resolved",
]


class GrievancePublicSerializer(StrictModelSerializer):
    reject_reason = serializers.CharField(read_only=True)
    merged_into = serializers.SerializerMethodField(
        help_text="When the tracking id asked for was merged into another grievance: that "
        "one's tracking id (the other fields are that grievance's)."
    )

    class Meta:
        model = Grievance
        fields = [*PUBLIC_FIELDS, "reject_reason", "merged_into"]
        read_only_fields = fields

    def get_merged_into(self, obj) -> str | None:
        named = self.context.get("named")
        return obj.tracking_id if named is not None and named.pk != obj.pk else None


class GrievanceStaffSerializer(GrievancePublicSerializer):
    id = serializers.IntegerField(read_only=True)
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    agreement = serializers.IntegerField(source="agreement_id", read_only=True, allow_null=True)
    province = serializers.CharField(source="province_id", read_only=True)
    body = serializers.CharField(read_only=True)
    occurred_on = serializers.DateField(read_only=True)
    anonymous = serializers.BooleanField(read_only=True)
    confidential = serializers.BooleanField(read_only=True)
    upheld = serializers.BooleanField(read_only=True, allow_null=True)
    late = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField(
        help_text="Only for those who may see the citizen's personal data; null otherwise."
    )
    contact = serializers.SerializerMethodField(
        help_text="Only for those who may see the citizen's personal data; null otherwise."
    )

    class Meta(GrievancePublicSerializer.Meta):
        fields = [
            "id",
            *GrievancePublicSerializer.Meta.fields,
            "agency",
            "agreement",
            "province",
            "occurred_on",
            "body",
            "anonymous",
            "confidential",
            "upheld",
            "late",
            "name",
            "contact",
        ]
        read_only_fields = fields

    def _personal(self, obj) -> bool:
        return permissions.can_see_personal_data(self.context["request"].user, obj)[0]

    def get_name(self, obj) -> str | None:
        return obj.name if self._personal(obj) else None

    def get_contact(self, obj) -> str | None:
        return obj.contact if self._personal(obj) else None

    def get_late(self, obj) -> bool:
        return obj.late_on(self.context["today"])

    def get_merged_into(self, obj) -> str | None:
        return obj.merged_into.tracking_id if obj.merged_into_id else None


class RouteSerializer(StrictSerializer):
    agency = serializers.IntegerField(required=False, allow_null=True)
    agreement = serializers.IntegerField(required=False, allow_null=True)


class RejectSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True)


class RespondSerializer(StrictSerializer):
    response = serializers.CharField(max_length=5000, allow_blank=True)
    upheld = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For a complaint: was it founded? Counted in the CSO's track record.",
    )


class ReplySerializer(StrictSerializer):
    citizen_token = serializers.CharField(max_length=40, required=False, allow_blank=True)
    text = serializers.CharField(max_length=5000, allow_blank=True)


class ResolvedSerializer(StrictSerializer):
    citizen_token = serializers.CharField(max_length=40, required=False, allow_blank=True)
    resolved = serializers.ChoiceField(choices=Grievance.Resolved.choices)


class MergeSerializer(StrictSerializer):
    into = serializers.CharField(max_length=40, help_text="The other grievance's tracking id.")


ACTION_ERRORS = error_responses(400, 401, 403, 404, 409)


class GrievanceViewSet(viewsets.GenericViewSet):
    lookup_field = "tracking_id"
    lookup_value_regex = r"[A-Za-z0-9-]{1,40}"
    permission_classes = [AllowAny, ClientScopes]
    queryset = Grievance.objects.none()

    def get_permissions(self):
        if self.action in {"list", "route", "reject", "respond", "merge"}:
            return [IsAuthenticated(), ClientScopes()]
        return super().get_permissions()

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(GrievanceFilingThrottle())
        return throttles

    def _named(self):
        return selectors.grievance_by_tracking_id(self.kwargs["tracking_id"])

    @extend_schema(
        summary="Grievances a person may see (verifiers: all; officers: their agency's; "
        "CSO members: their agreements')",
        parameters=[
            OpenApiParameter("status", str, enum=Grievance.Status.values),
            OpenApiParameter("agency", int),
            OpenApiParameter("late", bool),
        ],
        responses={200: GrievanceStaffSerializer(many=True), **error_responses(400, 401)},
    )
    def list(self, request):
        from django.utils import timezone

        wanted = request.query_params.get("status") or None
        if wanted and wanted not in Grievance.Status.values:
            raise exceptions.ValidationError({"status": [_("Unknown status.")]})
        agency = request.query_params.get("agency") or None
        if agency is not None and not str(agency).isdigit():
            raise exceptions.ValidationError({"agency": [_("Give an agency id.")]})
        late = str(request.query_params.get("late", "")).lower() in {"1", "true", "yes"}
        today = timezone.localdate()

        def build():
            qs = selectors.grievance_list(
                request.user, status=wanted, agency=agency, late=late, today=today
            ).select_related("merged_into")
            page = self.paginate_queryset(qs)
            data = GrievanceStaffSerializer(
                page, many=True, context={"request": request, "today": today}
            ).data
            return self.get_paginated_response(data).data

        # Kept for this caller alone until a grievance table is written (an erasure too),
        # at most PAGE_CACHE_SECONDS: who may see a citizen's name is decided per caller.
        return Response(page_cache.kept_for_caller(request, build))

    @extend_schema(
        summary="File a grievance (anyone; rate limited per address)",
        request=GrievanceFileSerializer,
        responses={201: GrievanceFiledSerializer, **error_responses(400, 429)},
    )
    def create(self, request):
        s = GrievanceFileSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        if data.pop("website", ""):
            raise exceptions.ValidationError({"website": [_("Leave this empty.")]})
        grievance, token = services.grievance_file(**data, citizen=request.user)
        return Response(
            {"tracking_id": grievance.tracking_id, "citizen_token": token},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="A grievance's public status by its tracking id (no personal data)",
        responses={200: GrievancePublicSerializer, **error_responses(404)},
    )
    def retrieve(self, request, tracking_id=None):
        named, shown = self._named()
        return Response(GrievancePublicSerializer(shown, context={"named": named}).data)

    def _staff_action(self, request, permission, serializer_class):
        _named, grievance = self._named()
        require(permission(request.user, grievance))  # 403 wrong role, 409 wrong status
        s = serializer_class(data=request.data)
        s.is_valid(raise_exception=True)
        return grievance, s.validated_data

    def _answer(self, grievance):
        return Response(GrievancePublicSerializer(grievance).data)

    @extend_schema(
        summary="Route it to the agency responsible (verifier)",
        request=RouteSerializer,
        responses={200: GrievancePublicSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def route(self, request, tracking_id=None):
        grievance, data = self._staff_action(request, permissions.can_route, RouteSerializer)
        return self._answer(
            services.grievance_route(grievance=grievance, verifier=request.user, **data)
        )

    @extend_schema(
        summary="Reject it as out of scope, with the reason (verifier)",
        request=RejectSerializer,
        responses={200: GrievancePublicSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, tracking_id=None):
        grievance, data = self._staff_action(request, permissions.can_reject, RejectSerializer)
        return self._answer(
            services.grievance_reject(grievance=grievance, verifier=request.user, **data)
        )

    @extend_schema(
        summary="Answer it (the officers of the agency it was routed to)",
        request=RespondSerializer,
        responses={200: GrievancePublicSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, tracking_id=None):
        grievance, data = self._staff_action(request, permissions.can_respond, RespondSerializer)
        return self._answer(
            services.grievance_respond(grievance=grievance, officer=request.user, **data)
        )

    @extend_schema(
        summary="Merge a duplicate into another grievance (verifier)",
        request=MergeSerializer,
        responses={200: GrievancePublicSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, tracking_id=None):
        grievance, data = self._staff_action(request, permissions.can_merge, MergeSerializer)
        return self._answer(
            services.grievance_merge(grievance=grievance, verifier=request.user, into=data["into"])
        )

    def _citizen(self, request, serializer_class):
        _named, grievance = self._named()
        s = serializer_class(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        token = data.pop("citizen_token", "") or None
        user = request.user if request.user.is_authenticated else None
        return grievance, data, token, user

    @extend_schema(
        summary="The citizen replies to the answer, reopening it (responded → routed)",
        request=ReplySerializer,
        responses={200: GrievancePublicSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, tracking_id=None):
        grievance, data, token, user = self._citizen(request, ReplySerializer)
        require(permissions.can_reply(grievance, user=user, token=token))
        return self._answer(
            services.grievance_reply(grievance=grievance, text=data["text"], token=token, user=user)
        )

    @extend_schema(
        summary="The citizen says whether it was resolved (yes closes it)",
        request=ResolvedSerializer,
        responses={200: GrievancePublicSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resolved(self, request, tracking_id=None):
        grievance, data, token, user = self._citizen(request, ResolvedSerializer)
        return self._answer(
            services.grievance_resolved(
                grievance=grievance, resolved=data["resolved"], token=token, user=user
            )
        )
