"""The API routes of assessments, under /api/v1/ (included by portal/urls.py): the reviews,
feedback and ranking of proposals and the evaluations of agreements, at the addresses of
the proposals, calls and agreements that contracts serves; citizens' grievances at their own."""

from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from assessments.evaluations.api import AgreementEvaluationViewSet
from assessments.grievances.api import GrievanceViewSet
from assessments.reviews.api import CallRankingViewSet, ProposalReviewViewSet

router = SimpleRouter()
router.register("calls", CallRankingViewSet, basename="api-call")
router.register("proposals", ProposalReviewViewSet, basename="api-proposal")
router.register("agreements", AgreementEvaluationViewSet, basename="api-agreement")
router.register("grievances", GrievanceViewSet, basename="api-grievance")

# With format suffixes, as the portal's DefaultRouter served them.
urlpatterns = format_suffix_patterns(router.urls)
