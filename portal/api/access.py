"""Who may call the API how often, and within which scopes. The default permission and
throttle classes live here, apart from the error handling: DRF imports them while it is still
loading its own views module."""

from django.utils.translation import gettext as _
from rest_framework import permissions
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from ..roles import Role, has_role, has_scope


def api_client_of(user):
    """The ApiClient an authenticated caller acts for, or None for anyone else."""
    if not has_role(user, Role.API_CLIENT):
        return None
    return getattr(user, "api_client", None)


def client_scope_required(request, view) -> str | None:
    """The scope an API client needs for this request: what the view's ``client_scopes``
    names for the action (or HTTP method), else ``read`` to read what is not public.
    Writes need no scope of their own; the role rules refuse what a client may not do."""
    action = getattr(view, "action", None) or request.method.lower()
    named = getattr(view, "client_scopes", {})
    if action in named:
        return named[action]
    if request.method in permissions.SAFE_METHODS:
        public = not any(isinstance(p, permissions.IsAuthenticated) for p in view.get_permissions())
        return None if public else "read"
    return None


class ClientScopes(permissions.BasePermission):
    """Another government system acts only within its scopes; 403 names the missing one.
    Everyone else passes through to the view's own rules. On by default
    (DEFAULT_PERMISSION_CLASSES) and listed in every view that sets its own permissions."""

    def has_permission(self, request, view):
        if not has_role(request.user, Role.API_CLIENT):
            return True
        scope = client_scope_required(request, view)
        if scope is None or has_scope(request.user, scope):
            return True
        self.message = _("This system's access lacks the “%(scope)s” scope.") % {"scope": scope}
        return False


class _RatesFromSettings:
    """Read the rate when the throttle is made, so a changed setting applies (DRF binds
    its rates once at import)."""

    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        if self.scope not in rates:
            return None
        return rates[self.scope]


class ClientRateThrottle(_RatesFromSettings, SimpleRateThrottle):
    """Per API client (``client`` rate): each system has its own allowance."""

    scope = "client"

    def get_cache_key(self, request, view):
        client = api_client_of(request.user)
        if client is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}


class SignedInRateThrottle(_RatesFromSettings, SimpleRateThrottle):
    """Per signed-in person (``user`` rate); API clients and anonymous callers have their own."""

    scope = "user"

    def get_cache_key(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or has_role(user, Role.API_CLIENT):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class AnonAddressThrottle(_RatesFromSettings, AnonRateThrottle):
    """Per address for anonymous callers (``anon`` rate); NUM_PROXIES says which
    X-Forwarded-For entry is the caller's."""


class AddressRateThrottle(_RatesFromSettings, SimpleRateThrottle):
    """Per address for every caller, signed in or not (a subclass names the ``scope``,
    whose rate is in DEFAULT_THROTTLE_RATES). A web view asks ``address_allowed`` with
    the same counter, so the web form and the API share one allowance."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def address_allowed(throttle_class, request) -> tuple[bool, float | None]:
    """Count a web request from ``request``'s address against ``throttle_class``'s rate:
    (allowed, seconds to wait when refused)."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return True, None
    return False, throttle.wait()


def deny_wrong_person(view, request, allowed_reason) -> None:
    """Before the body is read: 401 for nobody signed in, 403 for someone who may never do
    this. A refusal for the moment (NotNow, AlreadyDone) is left to the service (409)."""
    from ..workflow import wrong_person

    reason = wrong_person(allowed_reason)
    if reason is not None:
        view.permission_denied(request, message=str(reason))
