"""The API routes of assessments, under /api/v1/ (included by portal/urls.py): the reviews,
feedback and ranking of proposals and the evaluations of agreements, at the addresses of
the proposals, calls and agreements that contracts serves; citizens' grievances at their own."""

from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from assessments.evaluations.api import AgreementEvaluationViewSet
from assessments.feedback import api as feedback_api
from assessments.grievances.api import GrievanceViewSet
from assessments.reviews.api import CallRankingViewSet, ProposalReviewViewSet

router = SimpleRouter()
router.register("calls", CallRankingViewSet, basename="api-call")
router.register("proposals", ProposalReviewViewSet, basename="api-proposal")
router.register("agreements", AgreementEvaluationViewSet, basename="api-agreement")
router.register("grievances", GrievanceViewSet, basename="api-grievance")

# With format suffixes, as the portal's DefaultRouter served them.
urlpatterns = format_suffix_patterns(router.urls)

# The citizens' feedback and report cards: plain routes beside the routers' (the contract's
# addresses under /agreements/, /csos/ and /agencies/ belong to no view set).
urlpatterns += [
    path("feedback/", feedback_api.FeedbackCreateView.as_view(), name="api-feedback-create"),
    path(
        "feedback/<int:pk>/hide/",
        feedback_api.FeedbackHideView.as_view(),
        name="api-feedback-hide",
    ),
    path(
        "feedback/<int:pk>/restore/",
        feedback_api.FeedbackRestoreView.as_view(),
        name="api-feedback-restore",
    ),
    path(
        "agreements/<int:pk>/charter/",
        feedback_api.CharterView.as_view(),
        name="api-agreement-charter",
    ),
    path(
        "agreements/<int:pk>/charter/agree/",
        feedback_api.CharterAgreeView.as_view(),
        name="api-agreement-charter-agree",
    ),
    path(
        "agreements/<int:pk>/report-card/",
        feedback_api.AgreementReportCardView.as_view(),
        name="api-agreement-report-card",
    ),
    path(
        "csos/<int:pk>/report-card/",
        feedback_api.CsoReportCardView.as_view(),
        name="api-cso-report-card",
    ),
    path(
        "agencies/<int:pk>/report-card/",
        feedback_api.AgencyReportCardView.as_view(),
        name="api-agency-report-card",
    ),
]
