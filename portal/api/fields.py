"""Serializer fields and request parts several APIs share."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers

ReasonSerializer = inline_serializer(
    name="Reason", fields={"reason": serializers.CharField(required=False, allow_blank=True)}
)


# Keys a browser form adds to any body; they are not the caller's answers.
NOT_ANSWERS = frozenset({"csrfmiddlewaretoken"})


def _unknown_fields_error(names) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {
            name: [_("This request has no such field; check its name in the API documentation.")]
            for name in sorted(names)
        }
    )


def refuse_unknown_fields(request, allowed=()) -> None:
    """400 naming each field of the body that the endpoint does not take (``allowed``;
    none for an action without a body), so a client's typo is never silently ignored."""
    data = request.data if isinstance(request.data, Mapping) else {}
    unknown = set(data) - set(allowed) - NOT_ANSWERS
    if unknown:
        raise _unknown_fields_error(unknown)


# A request serializer that refuses the fields it does not declare instead of dropping them.
# Read-only fields are declared: a client may send back what it read. (A comment, not a
# docstring: a serializer's docstring becomes its description in the OpenAPI schema.)
class StrictFieldsMixin:
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = set(data) - set(self.fields) - NOT_ANSWERS
            if unknown:
                raise _unknown_fields_error(unknown)
        return super().to_internal_value(data)


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    pass


def reason_from(request) -> str:
    refuse_unknown_fields(request, allowed={"reason"})
    data = request.data if isinstance(request.data, dict) else {}
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise exceptions.ValidationError({"reason": [_("Give the reason as text.")]})
    if len(reason) > 5000:
        raise exceptions.ValidationError(
            {"reason": [_("Keep the reason within 5,000 characters.")]}
        )
    return reason


class CodeListField(serializers.ListField):
    """A list of reference codes: written as strings, read from a many-to-many of rows."""

    child = serializers.CharField(max_length=64)

    def to_representation(self, data):
        if hasattr(data, "all"):
            return [row.code for row in data.all()]
        return super().to_representation(data)
