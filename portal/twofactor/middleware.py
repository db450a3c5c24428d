"""The portal's rule on top of django-otp's OTPMiddleware (which marks the verified session):
a signed-in person who must use two-factor sign-in and has not set it up reaches only the
set-up page; anyone with an authenticator app who has not given its code this session
reaches only the code step. Signing out, help, the privacy notice and the language switch
stay open to both. A request under /api/ with the session's cookie is refused (403,
``otp_required``) rather than redirected; one with a token is the token's business."""

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.translation import gettext as _

from .permissions import two_factor_required
from .selectors import has_two_factor

OPEN_TO_ALL = {"logout", "help", "privacy", "set_language"}
OPEN_WHILE = {
    "enrol": OPEN_TO_ALL | {"two-factor"},
    "verify": OPEN_TO_ALL | {"two-factor-verify", "api-token"},
}
TARGET = {"enrol": "two-factor", "verify": "two-factor-verify"}


def sign_in_step(user) -> str:
    """What the signed-in ``user`` still owes: "" (nothing), "verify" (the code) or
    "enrol" (setting up the app)."""
    if not user.is_authenticated:
        return ""
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return ""
    if has_two_factor(user):
        return "verify"
    if two_factor_required(user):
        return "enrol"
    return ""


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        name = match.url_name if match else None
        api = request.path.startswith("/api/")
        if api and request.META.get("HTTP_AUTHORIZATION"):
            return None  # a token's request: the session plays no part
        step = sign_in_step(request.user)
        if not step or name in OPEN_WHILE[step]:
            return None
        if api:
            message = (
                _("Set up two-factor sign-in on the portal's pages first.")
                if step == "enrol"
                else _("Give the code from your authenticator app on the portal's pages first.")
            )
            body = {"error": {"code": "otp_required", "message": message, "fields": {}}}
            return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
        after = request.get_full_path() if request.method == "GET" else ""
        return redirect_to_login(after or "/work/", TARGET[step])
