"""Hostile bodies: JSON nested thousands of levels deep, and a body over the size limit,
answer in the API's error shape (400 and 413) and in the caller's language, never a 500
or Django's HTML page."""

import io
import json

import pytest
from django.test import Client

from portal.api.parsers import DepthLimitedJSONParser
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def nested(depth):
    return "[" * depth + "]" * depth


def test_json_nested_thousands_deep_is_a_400_in_the_error_shape():
    client = Client(raise_request_exception=False)
    response = client.post(TOKEN, nested(100_000), content_type="application/json")
    error = assert_error(response, 400, "validation_error")
    assert "64" in error["message"]


def test_the_nesting_message_is_in_thai_for_a_thai_reader():
    client = Client(raise_request_exception=False, headers={"accept-language": "th"})
    response = client.post(TOKEN, nested(5_000), content_type="application/json")
    error = assert_error(response, 400, "validation_error")
    assert "ซ้อน" in error["message"]


def test_ordinary_nesting_and_brackets_inside_strings_still_parse():
    body = {"title": "[[{{" * 100 + '\\"', "deep": json.loads(nested(63))}
    parsed = DepthLimitedJSONParser().parse(io.BytesIO(json.dumps(body).encode()))
    assert parsed == body


def test_a_body_over_the_limit_is_a_413_in_the_error_shape(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client(raise_request_exception=False)
    body = json.dumps({"username": "x" * 5000, "password": "y"})
    response = client.post(TOKEN, body, content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    error = assert_error(response, 413, "request_too_large")
    assert "1.0" in error["message"]  # the limit, in words a person reads


def test_a_form_over_the_limit_on_a_web_page_is_a_friendly_413_page(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client(raise_request_exception=False, headers={"accept-language": "th"})
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.content.decode().lower()
