"""The site's URLconf: the one place (with the seeding commands) that mounts every app. Each
app owns its web routes (``urls.py``) and its API routes (``api_urls.py``)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from agencies import api_urls as agencies_api
from agencies.missions.selectors import mission_list
from assessments import api_urls as assessments_api
from contracts import api_urls as contracts_api
from csos import api_urls as csos_api
from csos.registration.selectors import cso_directory

from . import views
from .api import auth, reference
from .forms import (
    LoginForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
)
from .health import HealthView
from .home import views as home_views
from .invitations import views as invitations_views
from .lockouts import views as lockouts_views
from .notices import api as notices_api
from .notices import views as notices_views
from .tokens import views as tokens_views
from .twofactor import views as twofactor_views
from .verification import views as verification_views

# What the home page shows of the apps (portal itself reads no app's data).
HOME_SECTIONS = {
    "approved_cso_count": lambda: cso_directory().count(),
    "recent_missions": lambda: mission_list()[:5],
}

router = SimpleRouter()
router.register("notices", notices_api.NoticeViewSet, basename="api-notice")

# /api/v1/ lists every collection of every app, as one DefaultRouter's root did.
API_ROOT = {
    prefix: f"{basename}-list"
    for app_router in (
        agencies_api.router,
        csos_api.router,
        contracts_api.router,
        assessments_api.router,
        router,
    )
    for prefix, _viewset, basename in app_router.registry
}

api_v1 = [
    path("", APIRootView.as_view(api_root_dict=API_ROOT), name="api-root"),
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("auth/register/", auth.RegisterView.as_view(), name="api-register"),
    path("auth/verify-email/", auth.VerifyEmailView.as_view(), name="api-verify-email"),
    path(
        "auth/verify-email/resend/",
        auth.VerifyEmailResendView.as_view(),
        name="api-verify-email-resend",
    ),
    path("me/", auth.MeView.as_view(), name="api-me"),
    path("reference/<slug:set>/", reference.ReferenceListView.as_view(), name="api-reference"),
    path("", include("agencies.api_urls")),
    path("", include("csos.api_urls")),
    path("", include("contracts.api_urls")),
    path("", include("assessments.api_urls")),
    *format_suffix_patterns(router.urls),
]

urlpatterns = [
    path("", views.home, {"sections": HOME_SECTIONS}, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path(
        "accounts/verify-email/resend/",
        verification_views.verification_resend,
        name="verify-email-resend",
    ),
    path(
        "accounts/verify-email/<str:token>/",
        verification_views.verify_email,
        name="verify-email",
    ),
    path("work/", home_views.my_work, name="my-work"),
    # Password reset and change are Django's own views in the portal's templates (a reset
    # lifts the username's sign-in lock: portal.views.PasswordResetConfirmView).
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PortalPasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(form_class=PortalSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/change/",
        views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/tokens/", tokens_views.token_page, name="token-page"),
    path("accounts/tokens/revoke/", tokens_views.token_revoke, name="token-revoke"),
    path("accounts/locks/", lockouts_views.lock_list, name="lock-list"),
    path("accounts/locks/<str:kind>/<str:value>/lift/", lockouts_views.lock_lift, name="lock-lift"),
    # Two-factor sign-in: set-up, the code step after the password (its own view and form,
    # apart from the sign-in form's), new recovery codes, turning it off.
    path("accounts/two-factor/", twofactor_views.two_factor, name="two-factor"),
    path("accounts/two-factor/code/", twofactor_views.two_factor_verify, name="two-factor-verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        twofactor_views.recovery_codes,
        name="two-factor-codes",
    ),
    path("accounts/two-factor/disable/", twofactor_views.disable, name="two-factor-disable"),
    path("colleagues/", invitations_views.colleagues, name="colleagues"),
    path(
        "colleagues/invitations/<int:pk>/withdraw/",
        invitations_views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", invitations_views.invitation_accept, name="invitation-accept"),
    path("privacy/", views.privacy, name="privacy"),
    path("help/", views.help_page, name="help"),
    path("notices/", notices_views.notice_list, name="notice-list"),
    path("notices/read/", notices_views.notice_read_all, name="notice-read-all"),
    path("notices/preferences/", notices_views.notice_preferences, name="notice-preferences"),
    path("notices/<int:pk>/read/", notices_views.notice_read, name="notice-read"),
    path("notices/<int:pk>/open/", notices_views.notice_open, name="notice-open"),
    path("health/", HealthView.as_view(), name="health"),
    # The language switch on every page takes no CSRF token: a forged switch only changes a
    # preference, and a page without a token is the same for every visitor, so it can be
    # served from the page cache (portal/page_cache.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script at ?script, not inline (Content-Security-Policy).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="portal/api/docs.html"
        ),
        name="api-docs",
    ),
    path("api/v1/", include(api_v1)),
    path("", include("agencies.urls")),
    path("", include("csos.urls")),
    # Before contracts, whose proposals/<pk>/<part>/ would catch .../review/ and .../decide/.
    path("", include("assessments.urls")),
    path("", include("contracts.urls")),
]

handler400 = "portal.api.errors.bad_request"  # 413 for a body too large; JSON under /api/
handler404 = "portal.api.errors.not_found"  # JSON under /api/, the web page elsewhere
handler500 = "portal.api.errors.server_error"  # JSON under /api/, the web page elsewhere
