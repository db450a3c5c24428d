from django.contrib.auth import authenticate
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import reference
from .api_support import error_responses
from .models import ActivityField, Province
from .services import user_sign_up


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

    permission_classes = [IsAuthenticated]

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
