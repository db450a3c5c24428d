"""What every API view shares: the one error shape, pagination, and service-call plumbing."""

import math

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from rest_framework import exceptions, filters, pagination, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .lists import KeysFirstPaginator
from .workflow import Conflict, InvalidTransition


class InvalidTransitionError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "invalid_transition"


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


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
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = CODES.get(response.status_code, "error")
    if isinstance(exc, InvalidTransitionError | ConflictError):
        code = exc.default_code
    fields = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = (
            _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        )
        message = _("Some of the answers need correcting.")
        if list(fields) == ["non_field_errors"]:
            message = fields["non_field_errors"][0]
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
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


class Pagination(pagination.PageNumberPagination):
    django_paginator_class = KeysFirstPaginator  # a deep page stays an index scan
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class FirstRendererNegotiation(BaseContentNegotiation):
    """For file downloads: the view returns the file itself, and errors go out as JSON
    whatever the client asked for."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


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
        429: "throttled",
    }
    return {c: OpenApiResponse(ErrorSerializer, description=descriptions[c]) for c in codes}


ReasonSerializer = inline_serializer(
    name="Reason", fields={"reason": serializers.CharField(required=False, allow_blank=True)}
)


def reason_from(request) -> str:
    data = request.data if isinstance(request.data, dict) else {}
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise exceptions.ValidationError({"reason": [_("Give the reason as text.")]})
    if len(reason) > 5000:
        raise exceptions.ValidationError(
            {"reason": [_("Keep the reason within 5,000 characters.")]}
        )
    return reason


def ok(data, status_code=200):
    return Response(data, status=status_code)


class CodeListField(serializers.ListField):
    """A list of reference codes: written as strings, read from a many-to-many of rows."""

    child = serializers.CharField(max_length=64)

    def to_representation(self, data):
        if hasattr(data, "all"):
            return [row.code for row in data.all()]
        return super().to_representation(data)


# --- lists: strict filter values and ordering ---------------------------------------------


class StrictBooleanField(forms.NullBooleanField):
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("Give true or false."), code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    """``true``/``false`` (or 1/0); anything else is a validation error, not ignored."""

    field_class = StrictBooleanField


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet with strict booleans."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
    }


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering, but an unknown field answers 400 instead of being ignored."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        asked = [term for term in fields if term]
        if len(valid) != len(asked):
            context = {"request": request}
            names = [name for name, _label in self.get_valid_fields(queryset, view, context)]
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one of: %(fields)s (a leading - reverses).")
                        % {"fields": ", ".join(names)}
                    ]
                }
            )
        return valid


# --- the schema: errors any request can meet ------------------------------------------------


# Query parameters that never answer 400: a bad page is 404, a bad page size the default.
UNCHECKED_QUERY = {"page", "page_size", "search"}


def document_common_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook. Every operation documents, in the one error
    shape, the errors any request to it can meet whatever its view says: 401 where a token
    is accepted (a wrong or revoked token is refused even on public reads), 404 where the
    path names an object or the list is paged (a page past the end), 400 where it takes
    filters, ordering or a body, and 415 where a body comes in a type it does not read.
    Views document their other errors themselves."""
    if "Error" not in result.get("components", {}).get("schemas", {}):
        return result
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            common = {}
            if any("tokenAuth" in scheme for scheme in operation.get("security", [])):
                common["401"] = "not_authenticated"
            if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
                common["404"] = "not_found"
            if "requestBody" in operation or any(
                p["in"] == "query" and p["name"] not in UNCHECKED_QUERY for p in parameters
            ):
                common["400"] = "validation_error"
            if "requestBody" in operation:
                common["415"] = "unsupported_media_type"
            for code, description in common.items():
                operation["responses"].setdefault(code, {**error, "description": description})
            operation["responses"] = dict(sorted(operation["responses"].items()))
    return result
