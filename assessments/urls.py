from django.urls import path

from assessments import views

urlpatterns = [
    path("evaluations/", views.evaluator_home, name="evaluator-home"),
    path("proposals/<int:pk>/review/", views.proposal_review, name="proposal-review"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal-decide"),
    path("calls/<int:pk>/ranking/", views.call_ranking, name="call-ranking"),
    # agreement evaluations
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("agreements/<int:pk>/evaluations/new/", views.evaluation_add, name="evaluation-add"),
]
