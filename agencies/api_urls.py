"""The app's API routes, relative to /api/v1/ (included by portal/urls.py)."""

from rest_framework.routers import SimpleRouter

from .api import AgencyViewSet
from .missions.api import MissionViewSet

router = SimpleRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("missions", MissionViewSet, basename="mission")

urlpatterns = router.urls
