from django.urls import include, path

from assessments.evaluations import views as evaluation_views
from assessments.reviews import views as review_views

urlpatterns = [
    path("evaluations/", review_views.evaluator_home, name="evaluator-home"),
    path("proposals/<int:pk>/review/", review_views.proposal_review, name="proposal-review"),
    path("proposals/<int:pk>/decide/", review_views.proposal_decide, name="proposal-decide"),
    path(
        "proposals/<int:pk>/decide/<slug:action>/",
        review_views.proposal_decision,
        name="proposal-decision",
    ),
    path("calls/<int:pk>/ranking/", review_views.call_ranking, name="call-ranking"),
    # agreement evaluations
    path("evaluations/<int:pk>/", evaluation_views.evaluation_detail, name="evaluation-detail"),
    path(
        "agreements/<int:pk>/evaluations/new/",
        evaluation_views.evaluation_add,
        name="evaluation-add",
    ),
    # citizens' grievances
    path("", include("assessments.grievances.urls")),
]
