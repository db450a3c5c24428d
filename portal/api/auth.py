"""Signing in and up through the API, and who the caller is."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.api.fields import StrictSerializer

from ..services import user_sign_up
from .access import ClientScopes
from .errors import error_responses


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenSerializer(StrictSerializer):
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


class RegisterSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    email = serializers.EmailField()


class RegisteredSerializer(StrictSerializer):
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


class MeSerializer(StrictSerializer):
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
