import logging
import time

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.contrib import messages
from django.db import DatabaseError
from django.shortcuts import redirect
from django.utils import timezone
from rest_framework.renderers import BrowsableAPIRenderer

from .api.access import api_client_of
from .models import ApiRequestLog
from .workflow import Conflict, InvalidTransition

logger = logging.getLogger(__name__)


class WorkflowErrorMiddleware:
    """A web action refused by a workflow rule (someone else moved the object first) comes
    back to the page with the reason, never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, InvalidTransition | Conflict):
            messages.error(request, exception.message)
            return redirect(request.get_full_path())
        return None


class ApiRequestLogMiddleware:
    """One ApiRequestLog row for each request an API client (another government system)
    makes: method, endpoint, status and duration. Nobody else's requests are logged; a
    failure to write the row is reported, never turned into the caller's error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        started_at = timezone.now()
        started = time.monotonic()
        response = self.get_response(request)
        duration_ms = round((time.monotonic() - started) * 1000)
        # DRF puts the token's user on the request it wraps, so it is here once answered.
        client = api_client_of(getattr(request, "user", None))
        if client is not None:
            try:
                ApiRequestLog.objects.create(
                    client=client,
                    at=started_at,
                    method=request.method[:8],
                    path=request.path[:500],
                    status_code=response.status_code,
                    duration_ms=duration_ms,
                )
            except DatabaseError:
                logger.exception(
                    "Could not log the API request %s %s", request.method, request.path
                )
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (the policy: CONTENT_SECURITY_POLICY in portal/settings.py),
    with the one exception the portal cannot avoid, scoped to the pages it concerns: DRF's
    browsable API (a signed-in person opening /api/v1/... in a browser) is drawn by DRF's own
    templates, whose ``style=`` attributes and pygments ``<style>`` block would be refused. Its
    scripts are files, so only styles are relaxed there, and only there: script-src stays
    'self' on every page, and every other page keeps style-src 'self'."""

    BROWSABLE_API_UPDATE = {"style-src": [UNSAFE_INLINE]}

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer):
            parts.update = {**(parts.update or {}), **self.BROWSABLE_API_UPDATE}
        return parts
