from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from agencies.missions.selectors import mission_list
from contracts import open_data_api
from contracts.api import (
    DOCUMENT_VIEW_OPTIONS,
    RECEIPT_VIEW_OPTIONS,
    AgreementViewSet,
    CallViewSet,
    ProposalViewSet,
)
from csos.registration.selectors import cso_directory

from . import views
from .api import auth, reference
from .forms import LoginForm
from .notices import api as notices_api
from .notices import views as notices_views

# What the home page shows of the apps (portal itself reads no app's data).
HOME_SECTIONS = {
    "approved_cso_count": lambda: cso_directory().count(),
    "recent_missions": lambda: mission_list()[:5],
}

router = DefaultRouter()
router.register("calls", CallViewSet, basename="api-call")
router.register("proposals", ProposalViewSet, basename="api-proposal")
router.register("agreements", AgreementViewSet, basename="api-agreement")
router.register("notices", notices_api.NoticeViewSet, basename="api-notice")

api_v1 = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("auth/register/", auth.RegisterView.as_view(), name="api-register"),
    path("me/", auth.MeView.as_view(), name="api-me"),
    path("reference/<slug:set>/", reference.ReferenceListView.as_view(), name="api-reference"),
    path(
        "proposals/<int:pk>/receipt.pdf",
        ProposalViewSet.as_view({"get": "receipt"}, **RECEIPT_VIEW_OPTIONS),
        name="api-proposal-receipt",
    ),
    path(
        "agreements/<int:pk>/document.pdf",
        AgreementViewSet.as_view({"get": "document"}, **DOCUMENT_VIEW_OPTIONS),
        name="api-agreement-document",
    ),
    path(
        "open-data/360giving.json",
        open_data_api.GivingJsonView.as_view(),
        name="open-data-360giving-json",
    ),
    path(
        "open-data/360giving.csv",
        open_data_api.GivingCsvView.as_view(),
        name="open-data-360giving-csv",
    ),
    path("open-data/ocds.json", open_data_api.OcdsJsonView.as_view(), name="open-data-ocds-json"),
    path("open-data/ocds.csv", open_data_api.OcdsCsvView.as_view(), name="open-data-ocds-csv"),
    path("", include("agencies.api_urls")),
    path("", include("csos.api_urls")),
    path("", include(router.urls)),
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
    path("notices/", notices_views.notice_list, name="notice-list"),
    path("notices/read/", notices_views.notice_read_all, name="notice-read-all"),
    path("notices/preferences/", notices_views.notice_preferences, name="notice-preferences"),
    path("notices/<int:pk>/read/", notices_views.notice_read, name="notice-read"),
    path("notices/<int:pk>/open/", notices_views.notice_open, name="notice-open"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("", include("agencies.urls")),
    path("", include("csos.urls")),
    # Before contracts, whose proposals/<pk>/<part>/ would catch .../review/ and .../decide/.
    path("", include("assessments.urls")),
    path("", include("contracts.urls")),
]

handler404 = "portal.api.errors.not_found"  # JSON under /api/, the web page elsewhere
handler500 = "portal.views.server_error"
