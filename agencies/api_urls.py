"""The app's API routes, relative to /api/v1/ (included by portal/urls.py)."""

from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from .advisory.api import AdvisoryGroupViewSet
from .api import AgencyViewSet
from .assemblies.api import AssemblyViewSet
from .budgets.api import BudgetProjectViewSet, BudgetRoundViewSet
from .consultations.api import ConsultationViewSet, ContributionViewSet
from .faqs.api import FaqViewSet
from .meetings.api import MeetingViewSet
from .missions.api import MissionViewSet
from .ogp.api import OgpCommitmentViewSet
from .polls.api import PollViewSet

router = SimpleRouter()
router.register("agencies", AgencyViewSet, basename="api-agency")
router.register("missions", MissionViewSet, basename="api-mission")
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("polls", PollViewSet, basename="api-poll")
router.register("faqs", FaqViewSet, basename="api-faq")
router.register("advisory-groups", AdvisoryGroupViewSet, basename="api-advisory-group")
router.register("consultations", ConsultationViewSet, basename="api-consultation")
router.register(
    r"consultations/(?P<consultation_pk>[0-9]+)/contributions",
    ContributionViewSet,
    basename="api-consultation-contribution",
)
router.register("ogp/commitments", OgpCommitmentViewSet, basename="api-ogp-commitment")
router.register("assemblies", AssemblyViewSet, basename="api-assembly")
router.register("budget-rounds", BudgetRoundViewSet, basename="api-budget-round")
router.register(
    r"budget-rounds/(?P<round_pk>[0-9]+)/projects",
    BudgetProjectViewSet,
    basename="api-budget-project",
)

# With format suffixes (agencies.json), as the portal's DefaultRouter served them.
urlpatterns = format_suffix_patterns(router.urls)
