"""Signing in and up through the API, and who the caller is."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import StrictSerializer

from ..lockouts.handler import lockout_message, lockout_seconds
from ..lockouts.signups import SignUpLimit
from ..roles import Role
from ..services import user_sign_up
from ..tokens.services import token_for_sign_in, token_revoke
from ..twofactor import services as twofactor
from ..twofactor.permissions import two_factor_required
from ..twofactor.selectors import has_two_factor
from ..verification.services import email_verify, verification_send
from .access import ClientScopes
from .errors import CodedValidationError, ErrorSerializer, error_responses


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text=(
            "For an account with two-factor sign-in: the 6-digit code its authenticator app "
            "shows now, or one of its recovery codes (each works once)."
        ),
    )


class TokenSerializer(StrictSerializer):
    token = serializers.CharField()


class LockedOut(Throttled):
    """429 ``locked_out`` with the lock's own message and a Retry-After header."""

    default_code = "locked_out"

    def __init__(self, *, wait: int, detail: str):
        super().__init__(detail=detail)
        self.wait = wait


class TokenView(APIView):
    """POST: exchange a username and password for an API token (the current one while it
    lasts, API_TOKEN_DAYS; a new one after). Failed tries count towards the same sign-in lock
    as the web form (django-axes): 429 ``locked_out`` while locked; successful ones never
    count. An account with two-factor sign-in also sends ``otp``: the code from its
    authenticator app, or a recovery code. DELETE: revoke the token the call is made with."""

    throttle_classes = []  # the sign-in lock counts failures; successes are never limited

    def get_authenticators(self):
        # Signing in needs no credentials (an expired token in the header must not stop a
        # caller getting a new one); revoking needs the token itself.
        if self.request is not None and self.request.method == "DELETE":
            return super().get_authenticators()
        return []

    def get_permissions(self):
        if self.request is not None and self.request.method == "DELETE":
            return [IsAuthenticated(), ClientScopes()]
        return super().get_permissions()

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "validation_error (a wrong password, or a wrong or expired `otp`); "
                    "otp_required (the account has two-factor sign-in: send `otp` too); "
                    "otp_enrolment_required (the account's role requires two-factor sign-in, "
                    "which is not set up yet: set it up on the portal's pages first)"
                ),
                examples=[
                    OpenApiExample(
                        "otp_required",
                        value={
                            "error": {
                                "code": "otp_required",
                                "message": "This account uses two-factor sign-in: send the "
                                "code from its authenticator app as otp.",
                                "fields": {"otp": ["A code is needed."]},
                            }
                        },
                    )
                ],
            ),
            **error_responses(429),
        },
        auth=[],
        description=(
            "Exchange a username and password for an API token. An account with two-factor "
            "sign-in must also send `otp` (the 6-digit code its authenticator app shows now, "
            "or one of its recovery codes); without it the answer is 400 with the code "
            "`otp_required`. Too many wrong codes in a row answer 429 until the wait is over."
        ),
    )
    def post(self, request):
        s = TokenRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        # axes reads and flags the Django request, not DRF's wrapper.
        django_request = request._request
        user = authenticate(
            django_request,
            username=s.validated_data["username"],
            password=s.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # AxesMiddleware would answer too; the view says it in the API's own shape.
            django_request.axes_locked_out = False
            raise LockedOut(
                wait=lockout_seconds(django_request), detail=lockout_message(django_request)
            )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("The username or password is wrong.")]}
            )
        self._second_factor(user, s.validated_data.get("otp", ""))
        return Response({"token": token_for_sign_in(user=user)})

    @extend_schema(responses={204: None, **error_responses(401)})
    def delete(self, request):
        token_revoke(user=request.user, actor=request.user, why="request")
        return Response(status=status.HTTP_204_NO_CONTENT)

    @staticmethod
    def _second_factor(user, otp: str) -> None:
        """The password is right; an account with two-factor sign-in gives its code too (and
        one whose role requires it, but has none, sets it up on the pages first)."""
        if not has_two_factor(user):
            if two_factor_required(user):
                raise CodedValidationError(
                    "otp_enrolment_required",
                    {
                        "non_field_errors": [
                            _(
                                "Your role requires two-factor sign-in. Set it up on the "
                                "portal's pages first, then ask for a token with its code."
                            )
                        ]
                    },
                )
            return
        if not (otp or "").strip():
            raise CodedValidationError(
                "otp_required",
                {"otp": [_("A code is needed.")]},
                message=_(
                    "This account uses two-factor sign-in: send the code from its "
                    "authenticator app as otp."
                ),
            )
        try:
            twofactor.two_factor_verify(user=user, code=otp, field="otp")
        except twofactor.CodeLocked as exc:
            raise exceptions.Throttled(wait=exc.wait) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


class RegisterSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    email = serializers.EmailField()
    role = serializers.ChoiceField(
        choices=[(Role.CSO_MEMBER, "cso_member"), (Role.CITIZEN, "citizen")],
        default=Role.CSO_MEMBER,
        help_text="cso_member (the default) to register an organisation; citizen to take part "
        "in consultations and polls once the emailed link verifies the address.",
    )


class RegisteredSerializer(StrictSerializer):
    username = serializers.CharField()
    email = serializers.EmailField()
    email_verified = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    token = serializers.CharField()


class RegisterView(APIView):
    """Self sign-up: creates a CSO-member account (rate limited)."""

    authentication_classes = []
    throttle_classes = []  # SignUpLimit: accounts made per address, web and API together

    @extend_schema(
        request=RegisterSerializer,
        responses={201: RegisteredSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request):
        limit = SignUpLimit(request._request)
        if wait := limit.wait():
            raise Throttled(wait)
        s = RegisterSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = user_sign_up(**s.validated_data)
        limit.record()
        token = Token.objects.create(user=user)
        return Response(
            {
                "username": user.username,
                "email": user.email,
                "email_verified": user.email_verified_at is not None,
                "roles": sorted(user.roles),
                "token": token.key,
            },
            status=status.HTTP_201_CREATED,
        )


class VerifyEmailSerializer(StrictSerializer):
    token = serializers.CharField(max_length=500, help_text="The token of the emailed link.")


class EmailVerifiedSerializer(StrictSerializer):
    username = serializers.CharField()
    email_verified = serializers.BooleanField()


class VerifyEmailView(APIView):
    """Verify an email address with the token of the emailed link (single use, timed)."""

    authentication_classes = []
    permission_classes = []

    @extend_schema(
        request=VerifyEmailSerializer,
        responses={200: EmailVerifiedSerializer, **error_responses(400)},
        auth=[],
    )
    def post(self, request):
        s = VerifyEmailSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            user = email_verify(token=s.validated_data["token"])
        except DjangoValidationError as exc:
            raise DjangoValidationError({"token": exc.messages}) from exc
        return Response({"username": user.username, "email_verified": True})


class VerifyEmailResendView(APIView):
    """Send the signed-in person a new verification link (one a minute, a few a day)."""

    permission_classes = [IsAuthenticated, ClientScopes]

    @extend_schema(
        request=None,
        responses={202: EmailVerifiedSerializer, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request):
        verification_send(user=request.user)
        return Response(
            {"username": request.user.username, "email_verified": False},
            status=status.HTTP_202_ACCEPTED,
        )


class MeSerializer(StrictSerializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    cso = serializers.IntegerField(source="cso_id", allow_null=True)
    language = serializers.CharField()
    email_verified = serializers.SerializerMethodField()
    scopes = serializers.SerializerMethodField()

    def get_email_verified(self, user) -> bool:
        return user.email_verified_at is not None

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
