"""Serializer fields and request parts several APIs share."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers

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


class CodeListField(serializers.ListField):
    """A list of reference codes: written as strings, read from a many-to-many of rows."""

    child = serializers.CharField(max_length=64)

    def to_representation(self, data):
        if hasattr(data, "all"):
            return [row.code for row in data.all()]
        return super().to_representation(data)
