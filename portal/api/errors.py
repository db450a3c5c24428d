"""The API's one error shape: the exception handler that gives every error it, its schema
(``error_responses`` for a view's documented errors), and the 404 handler for addresses
under /api/ that name nothing."""

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from .. import views
from ..rates import RateLimited
from ..workflow import Conflict, InvalidTransition


class InvalidTransitionError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "invalid_transition"


class RequestTooLargeError(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class CodedValidationError(exceptions.ValidationError):
    """A 400 whose ``code`` says more than validation_error (``otp_required``), with the
    messages by field as any other, and its own ``message`` if given."""

    def __init__(self, api_code: str, detail, message=None):
        super().__init__(detail)
        self.api_code = api_code
        self.message = message


CODES = {
    400: "validation_error",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
    429: "throttled",
}


def _flatten(detail):
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, InvalidTransition):
        exc = InvalidTransitionError(exc.message)
    elif isinstance(exc, Conflict):
        exc = ConflictError(exc.message)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLargeError(_too_big_message())
    elif isinstance(exc, RateLimited):
        exc = exceptions.Throttled(wait=exc.wait)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = CODES.get(response.status_code, "error")
    if isinstance(exc, InvalidTransitionError | ConflictError | RequestTooLargeError):
        code = exc.default_code
    elif getattr(exc, "default_code", None) == "locked_out":
        code = "locked_out"
    elif isinstance(exc, exceptions.AuthenticationFailed) and exc.get_codes() == "token_expired":
        code = "token_expired"
    fields = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = (
            _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        )
        message = _("Some of the answers need correcting.")
        if list(fields) == ["non_field_errors"]:
            message = fields["non_field_errors"][0]
        if isinstance(exc, CodedValidationError):
            code = exc.api_code
            message = str(exc.message) if exc.message else message
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None and code == "throttled":
        wait = max(1, math.ceil(exc.wait))  # as in the Retry-After header
        message = ngettext(
            "Too many requests. Try again in %(wait)d second.",
            "Too many requests. Try again in %(wait)d seconds.",
            wait,
        ) % {"wait": wait}
    else:
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response


@extend_schema_field(
    {
        "type": "object",
        "description": "Messages by field name. A list or nested field has its items' "
        'messages by position or name: `{"budget_lines": [{"quantity": ["..."]}]}`, '
        '`{"eligible_provinces": {"0": ["..."]}}`.',
        "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    }
)
class ErrorFieldsField(serializers.DictField):
    """The ``fields`` of an error: lists of messages, or nested ones for lists and objects."""


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": ErrorFieldsField(),
            },
        )
    },
)


def error_responses(*codes):
    descriptions = {
        400: "validation_error",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        409: "invalid_transition or conflict",
        413: "request_too_large",
        429: "throttled",
        503: "building (Retry-After says when to ask again)",
    }
    return {c: OpenApiResponse(ErrorSerializer, description=descriptions[c]) for c in codes}


def not_found(request, exception=None):
    """Django's 404 handler: an address under /api/ that names nothing (``/csos/abc/``)
    answers in the API's error shape; elsewhere, the web page."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return views.not_found(request, exception)


def server_error(request):
    """Django's 500 handler: JSON in the one error shape under /api/, the page elsewhere."""
    if request.path.startswith("/api/"):
        message = _("Sorry, something went wrong. Please try again.")
        return JsonResponse(
            {"error": {"code": "server_error", "message": message, "fields": {}}}, status=500
        )
    return views.server_error(request)


def _too_big_message():
    return _("The request is larger than the portal accepts (%(limit)s at most).") % {
        "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def bad_request(request, exception=None):
    """Django's 400 handler (a SuspiciousOperation outside any view's own handling): a
    body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413, anything else 400; under /api/ in the
    error shape, elsewhere a page in the reader's language."""
    too_big = isinstance(exception, RequestDataTooBig)
    status_code = 413 if too_big else 400
    if too_big:
        code, message = "request_too_large", _too_big_message()
    else:
        code, message = "bad_request", _("The request could not be understood.")
    if request.path.startswith("/api/"):
        body = {"error": {"code": code, "message": message, "fields": {}}}
        return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})
    return views.bad_request(request, message, status_code)
