"""The API's JSON parser: a body nested deeper than any real answer needs is refused with
a 400 in the error shape, before Python's recursion limit turns it into a 500."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 64


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether ``text`` opens more than ``limit`` arrays or objects inside one another.
    Counts brackets outside strings, so it runs before ``json.loads`` recurses."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("The body is not valid text in %(encoding)s.") % {"encoding": encoding}
            ) from exc
        limit = getattr(settings, "API_MAX_JSON_DEPTH", MAX_JSON_DEPTH)
        if json_depth_exceeds(text, limit):
            raise ParseError(
                _("The JSON body is nested more than %(limit)d levels deep.") % {"limit": limit}
            )
        try:
            return json.loads(text, parse_constant=self._refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The body is not valid JSON.")) from exc

    @staticmethod
    def _refuse_constant(name):
        # NaN and Infinity are not JSON (DRF's own parser refuses them too when strict).
        raise ValueError(name)
