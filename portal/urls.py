from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from agencies.api import AgencyViewSet, MissionViewSet
from csos.api import CERTIFICATE_VIEW_OPTIONS, CSOViewSet

from . import api, views
from .forms import LoginForm

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("missions", MissionViewSet, basename="mission")
router.register("csos", CSOViewSet, basename="cso")
router.register("notices", api.NoticeViewSet, basename="api-notice")

api_v1 = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("auth/register/", api.RegisterView.as_view(), name="api-register"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("reference/<slug:set>/", api.ReferenceListView.as_view(), name="api-reference"),
    # The contract spells the certificate without the router's trailing slash.
    path(
        "csos/<int:pk>/certificate.pdf",
        CSOViewSet.as_view({"get": "certificate"}, **CERTIFICATE_VIEW_OPTIONS),
        name="api-cso-certificate",
    ),
    path("", include("contracts.api_urls")),
    path("", include("assessments.api_urls")),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("notices/", views.notice_list, name="notice-list"),
    path("notices/read/", views.notice_read_all, name="notice-read-all"),
    path("notices/preferences/", views.notice_preferences, name="notice-preferences"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice-read"),
    path("notices/<int:pk>/open/", views.notice_open, name="notice-open"),
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

handler404 = "portal.api.not_found"  # JSON under /api/, the web page elsewhere
handler500 = "portal.views.server_error"
