"""Idempotency keys for the API's writes that move money (award, sign, release, pay, settle).

A client that is not sure its request arrived sends it again with the same
``Idempotency-Key`` header: the replay gets the first answer back, marked
``Idempotent-Replayed: true``, and changes nothing. The same key with another body is a
409 ``conflict``. Keys belong to the caller: two callers may use the same key.

The record is inserted first, as pending, in the same transaction as the work. A second
request with the key waits on the unique index until the first commits, then reads the
stored answer; if the first fails, its transaction rolls back with the record and the key
can be used again."""

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from ..models import IdempotencyRecord
from ..workflow import Conflict

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
PENDING = 0

IDEMPOTENCY_KEY = OpenApiParameter(
    name=HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, up to 255 characters, unique per request you mean to make once (a UUID "
        "will do). Sending the same request again with the same key returns the first "
        "answer, with the header `Idempotent-Replayed: true`, and has no second effect. The "
        "same key with a different body answers 409 `conflict`. Keys are per caller. Answers "
        "that are errors are not kept: after one, the key may be used again."
    ),
)


def _canonical_body(data) -> str:
    if isinstance(data, QueryDict):
        data = {k: v[0] if len(v) == 1 else v for k, v in data.lists()}
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=JSONEncoder
    )


def request_hash(request) -> str:
    """The method, the path and the body with its keys sorted, hashed."""
    text = "\n".join([request.method, request.path, _canonical_body(request.data)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key_from(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {HEADER: [_("Give an idempotency key of 1 to 255 characters.")]}
        )
    return key


def _replay(record: IdempotencyRecord, digest: str) -> Response:
    if record.request_hash != digest:
        raise Conflict(
            _(
                "This idempotency key was already used for a different request. "
                "Use a new key for a new request."
            )
        )
    if record.status_code == PENDING:  # not reachable while the record is written in one go
        raise Conflict(_("A request with this idempotency key is still being processed."))
    return Response(record.body, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def _storable(data):
    """The answer as the client read it: plain JSON (decimals and dates as strings)."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


def idempotent(view_method):
    """For a DRF view method or ``@action`` that moves money. Without the header the view
    runs as usual; with it, see the module's docstring. Safe methods (GET) pass through."""

    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        user = request.user
        if request.method in SAFE_METHODS or not (user and user.is_authenticated):
            return view_method(view, request, *args, **kwargs)
        key = _key_from(request)
        if key is None:
            return view_method(view, request, *args, **kwargs)
        digest = request_hash(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        method=request.method,
                        path=request.path[:500],
                        request_hash=digest,
                        status_code=PENDING,
                    )
            except IntegrityError:
                # Another request with this key committed first (we waited for it here).
                return _replay(IdempotencyRecord.objects.get(user=user, key=key), digest)
            response = view_method(view, request, *args, **kwargs)
            if response.status_code >= 500 or not isinstance(response, Response):
                record.delete()  # not kept: the key may be tried again
                return response
            record.status_code = response.status_code
            record.body = _storable(response.data)
            record.save(update_fields=["status_code", "body"])
        return response

    return wrapper
