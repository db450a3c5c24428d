import django_filters
from django.contrib.auth import authenticate
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import reference, views
from .api_access import ClientScopes
from .api_support import BooleanFilter, error_responses
from .models import ActivityField, Notice, Province
from .notices import KINDS
from .selectors import notice_inbox
from .services import notice_mark_read, user_sign_up


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request):
        s = TokenRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = authenticate(
            request, username=s.validated_data["username"], password=s.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("The username or password is wrong.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    email = serializers.EmailField()


class RegisteredSerializer(serializers.Serializer):
    username = serializers.CharField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.CharField())
    token = serializers.CharField()


class RegisterView(APIView):
    """Self sign-up: creates a CSO-member account (rate limited)."""

    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=RegisterSerializer,
        responses={201: RegisteredSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request):
        s = RegisterSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = user_sign_up(**s.validated_data)
        token = Token.objects.create(user=user)
        return Response(
            {
                "username": user.username,
                "email": user.email,
                "roles": sorted(user.roles),
                "token": token.key,
            },
            status=status.HTTP_201_CREATED,
        )


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    cso = serializers.IntegerField(source="cso_id", allow_null=True)
    language = serializers.CharField()
    scopes = serializers.SerializerMethodField()

    def get_scopes(self, user) -> list[str]:
        client = getattr(user, "api_client", None)
        return list(client.scopes) if client else []


class MeView(APIView):
    """The signed-in caller: roles and the agency or CSO they act for."""

    permission_classes = [IsAuthenticated, ClientScopes]
    client_scopes = {"get": None}  # a system may always ask who it is and what it may do

    @extend_schema(responses={200: MeSerializer, **error_responses(401)})
    def get(self, request):
        data = MeSerializer(request.user).data
        data["roles"] = sorted(request.user.roles)
        return Response(data)


class ReferenceItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()


def _choices(choices_cls):
    items = []
    for value in choices_cls.values:
        member = choices_cls(value)
        with translation.override("th"):
            name_th = str(member.label)
        with translation.override("en"):
            name_en = str(member.label)
        items.append({"code": value, "name_th": name_th, "name_en": name_en})
    return items


def _rows(model):
    return list(model.objects.order_by("code").values("code", "name_th", "name_en"))


REFERENCE_SETS = {
    "service-categories": lambda: _choices(reference.ServiceCategory),
    "mission-types": lambda: _choices(reference.MissionType),
    "participation-models": lambda: _choices(reference.ParticipationModel),
    "participation-levels": lambda: _choices(reference.ParticipationLevel),
    "activity-fields": lambda: _rows(ActivityField),
    "org-forms": lambda: _choices(reference.OrgForm),
    "selection-criteria": lambda: _choices(reference.SelectionCriterion),
    "costing-methods": lambda: _choices(reference.CostingMethod),
    "provinces": lambda: _rows(Province),
}


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("set", str, OpenApiParameter.PATH, enum=list(REFERENCE_SETS))],
        responses={200: ReferenceItemSerializer(many=True), **error_responses(404)},
    )
)
class ReferenceListView(generics.ListAPIView):
    """Reference data: codes with their Thai and English names (public, read only).
    Sets: service-categories, mission-types, participation-models, participation-levels,
    activity-fields, org-forms, selection-criteria, costing-methods, provinces (DOPA codes)."""

    serializer_class = ReferenceItemSerializer
    authentication_classes = []
    filter_backends = []

    def get_queryset(self):
        loader = REFERENCE_SETS.get(self.kwargs["set"])
        if loader is None:
            raise Http404
        return loader()

    @property
    def paginator(self):
        paginator = super().paginator
        if paginator is not None:
            paginator.page_size = 100
        return paginator


# --- notices -----------------------------------------------------------------------------


class NoticeRelatedSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The related object's model, e.g. `agreement`.")
    id = serializers.IntegerField(allow_null=True)
    url = serializers.URLField(
        allow_null=True, help_text="The page in the web portal the notice leads to."
    )


class NoticeSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(f"`{code}`" for code in KINDS)
    )
    related = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "kind", "subject", "body", "created_at", "read_at", "due_on", "related"]
        read_only_fields = fields

    @extend_schema_field(NoticeRelatedSerializer(allow_null=True))
    def get_related(self, notice) -> dict | None:
        if notice.content_type_id is None:
            return None
        request = self.context.get("request")
        url = notice.url or None
        if url and request is not None:
            url = request.build_absolute_uri(url)
        return {
            "type": notice.content_type.model,
            "id": int(notice.object_id) if notice.object_id.isdigit() else None,
            "url": url,
        }


class NoticeFilter(django_filters.FilterSet):
    unread = BooleanFilter(
        method="filter_unread", label="`true`: only unread notices; `false`: only read ones."
    )
    kind = django_filters.ChoiceFilter(
        choices=[(code, code) for code in KINDS], label="The kind of notice (its code)."
    )

    class Meta:
        model = Notice
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


@extend_schema_view(
    list=extend_schema(
        summary="Your notices",
        description="The caller's in-app notices, newest first: deadlines, offers, payments.",
        responses={200: NoticeSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="One of your notices",
        responses={200: NoticeSerializer, **error_responses(401, 404)},
    ),
)
class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NoticeSerializer
    permission_classes = [IsAuthenticated, ClientScopes]
    filterset_class = NoticeFilter
    search_fields = ["subject", "body"]
    ordering_fields = ["created_at", "due_on", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no caller
            return Notice.objects.none()
        return notice_inbox(self.request.user)

    @extend_schema(
        summary="Mark one of your notices read",
        description="Marking a notice already read keeps the moment it was first read. "
        "Another person's notice answers 404.",
        request=None,
        responses={200: NoticeSerializer, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = self.get_object()
        notice_mark_read(user=request.user, notice_ids=[notice.pk])
        notice.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notice).data)


def not_found(request, exception=None):
    """Django's 404 handler: an address under /api/ that names nothing (``/csos/abc/``)
    answers in the API's error shape; elsewhere, the web page."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return views.not_found(request, exception)
