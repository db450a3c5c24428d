from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from csos.bank import selectors as bank_selectors
from csos.bank.api import BankAccountSerializer, readable_bank_account
from portal.api.access import ClientScopes
from portal.api.errors import error_responses
from portal.api.fields import StrictModelSerializer, StrictSerializer, refuse_unknown_fields
from portal.api.filters import FilterSet
from portal.api.negotiation import FirstRendererNegotiation
from portal.audit import audit_history
from portal.lists import ToManyFilter
from portal.reference import OrgForm
from portal.roles import Role, has_role
from portal.workflow import InvalidTransition

from . import permissions, selectors, services
from .models import CSO, CSODocument


def code_list():
    """A new field each time: one instance shared by two names binds to only one of them."""
    return serializers.ListField(child=serializers.CharField(max_length=64), required=False)


class CSOSerializer(StrictModelSerializer):
    activity_fields = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    service_provinces = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    certified_fields = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    contact_email = serializers.EmailField(allow_null=True, read_only=True)
    contact_phone = serializers.CharField(allow_null=True, read_only=True)
    years_active = serializers.IntegerField(allow_null=True, read_only=True)
    bank_account = serializers.SerializerMethodField()

    class Meta:
        model = CSO
        fields = [
            "id",
            "name_th",
            "name_en",
            "org_form",
            "activity_fields",
            "registered",
            "juristic_id",
            "founded_year",
            "years_active",
            "service_provinces",
            "contact_email",
            "contact_phone",
            "staff_count",
            "certified_staff_count",
            "networks",
            "track_record",
            "status",
            "certified_fields",
            "scope_note",
            "decision_reason",
            "certificate_number",
            "submitted_at",
            "approved_at",
            "bank_account",
        ]
        read_only_fields = fields

    @extend_schema_field(BankAccountSerializer(allow_null=True))
    def get_bank_account(self, cso):
        """The account payments go to, for the CSO's members, the committee, staff and the
        officers of agencies with an agreement with it; null for others or while none is
        recorded."""
        return readable_bank_account(self.context["request"].user, cso)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not permissions.can_view_contacts(user, instance)[0]:
            data["contact_email"] = None
            data["contact_phone"] = None
        if not permissions.can_view_history(user, instance)[0]:
            data["decision_reason"] = ""
        return data


class CSOWriteSerializer(StrictSerializer):
    """The registration answers; any part may be sent on its own (PATCH)."""

    name_th = serializers.CharField(max_length=255)
    name_en = serializers.CharField(max_length=255, required=False, allow_blank=True)
    org_form = serializers.ChoiceField(choices=OrgForm.choices)
    registered = serializers.BooleanField(required=False)
    juristic_id = serializers.CharField(max_length=32, required=False, allow_blank=True)
    founded_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=9999
    )
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    activity_fields = code_list()
    service_provinces = code_list()
    staff_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10**6
    )
    certified_staff_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10**6
    )
    networks = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    track_record = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class DocumentSerializer(StrictModelSerializer):
    class Meta:
        model = CSODocument
        fields = ["id", "kind", "title", "content_type", "size", "original_name", "uploaded_at"]
        read_only_fields = fields


class DocumentUploadSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=CSODocument.Kind.choices)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    file = serializers.FileField()


class HistorySerializer(StrictSerializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()


class CSOFilter(FilterSet):
    activity_field = ToManyFilter(field_name="activity_fields__code")
    province = ToManyFilter(field_name="service_provinces__code")
    certified_field = ToManyFilter(field_name="certified_fields__code")

    class Meta:
        model = CSO
        fields = [
            "status",
            "org_form",
            "registered",
            "activity_field",
            "province",
            "certified_field",
        ]


def action_schema(request=None, summary=""):
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: CSOSerializer, **error_responses(400, 401, 403, 404, 409)},
    )


@extend_schema_view(
    list=extend_schema(
        summary="The CSO registry",
        description="Anonymous callers see approved CSOs without contact details; members "
        "see their own CSO too; committee reviewers and staff see all.",
    ),
    retrieve=extend_schema(responses={200: CSOSerializer, **error_responses(404)}),
    create=extend_schema(
        summary="Start a registration (CSO member without an organisation)",
        request=CSOWriteSerializer,
        responses={201: CSOSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        summary="Save answers (draft or changes requested)",
        request=CSOWriteSerializer,
        responses={200: CSOSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
    update=extend_schema(
        request=CSOWriteSerializer,
        responses={200: CSOSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)
class CSORegistrationViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = CSOSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, ClientScopes]
    filterset_class = CSOFilter
    search_fields = ["name_th", "name_en", "=juristic_id"]
    ordering_fields = ["name_th", "name_en", "founded_year", "submitted_at", "created_at", "id"]
    ordering = ["name_th", "id"]

    def get_queryset(self):
        user = self.request.user
        return bank_selectors.with_partner_flag(selectors.cso_visible_to(user), user)

    def _respond(self, cso, status_code=status.HTTP_200_OK):
        fresh = selectors.cso_get_for_user(self.request.user, cso.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        allowed, why = permissions.can_create(request.user)
        if not allowed:  # the wrong person is refused before their answers are read
            self.permission_denied(request, message=why)
        s = CSOWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        cso = services.cso_create(user=request.user, **s.validated_data)
        return self._respond(cso, status.HTTP_201_CREATED)

    def _editable(self, request, cso):
        """A stranger is refused (403) before their answers are read; the organisation's
        own member is told the registration cannot change in its status (409)."""
        allowed, why = permissions.can_edit(request.user, cso)
        if allowed:
            return
        if permissions.is_member(request.user, cso) and has_role(request.user, Role.CSO_MEMBER):
            raise InvalidTransition(why)
        self.permission_denied(request, message=why)

    def update(self, request, *args, **kwargs):
        cso = self.get_object()
        self._editable(request, cso)
        s = CSOWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        s.is_valid(raise_exception=True)
        cso = services.cso_update(cso=cso, user=request.user, **s.validated_data)
        return self._respond(cso)

    @action_schema(summary="Submit the registration for review (member)")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        cso = self.get_object()
        refuse_unknown_fields(request)  # the action takes no body
        return self._respond(services.cso_submit(cso=cso, user=request.user))

    @extend_schema(
        methods=["get"],
        summary="The CSO's documents (members, reviewers, staff)",
        responses={200: DocumentSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @extend_schema(
        methods=["post"],
        summary="Upload a document: PDF, JPEG or PNG by content, 10 MB at most (member)",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        cso = self.get_object()
        if request.method == "GET":
            allowed, why = permissions.can_view_documents(request.user, cso)
            if not allowed:
                self.permission_denied(request, message=why)  # 401 for nobody
            return Response(DocumentSerializer(cso.documents.all(), many=True).data)
        self._editable(request, cso)
        s = DocumentUploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        doc = services.cso_document_add(
            cso=cso,
            user=request.user,
            kind=s.validated_data["kind"],
            title=s.validated_data.get("title", ""),
            upload=s.validated_data["file"],
        )
        return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download one document (members, reviewers, staff)",
        responses={
            # The file as uploaded: one of the types portal.uploads accepts.
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            **error_responses(401, 403, 404),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>\d+)/file",
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FirstRendererNegotiation,
    )
    def document_file(self, request, pk=None, document_id=None):
        cso = self.get_object()
        allowed, why = permissions.can_view_documents(request.user, cso)
        if not allowed:
            self.permission_denied(request, message=why)  # 401 for nobody
        doc = cso.documents.filter(pk=document_id).first()
        if doc is None:
            raise Http404
        return FileResponse(
            doc.file.open("rb"),
            content_type=doc.content_type,
            as_attachment=True,
            filename=doc.original_name,
        )

    @extend_schema(
        summary="Status history (committee, staff, the CSO's members)",
        responses={200: HistorySerializer(many=True), **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        cso = self.get_object()
        allowed, why = permissions.can_view_history(request.user, cso)
        if not allowed:
            self.permission_denied(request, message=why)  # 401 for nobody
        rows = [
            {
                "at": row.at,
                "actor": row.actor.username if row.actor else None,
                "action": row.action,
                "from_status": row.from_status,
                "to_status": row.to_status,
                "reason": row.reason,
            }
            for row in audit_history(cso)
        ]
        return Response(HistorySerializer(rows, many=True).data)
