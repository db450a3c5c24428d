from django.urls import include, path

from assessments.committees import views as committee_views
from assessments.evaluations import views as evaluation_views
from assessments.feedback import views as feedback_views
from assessments.oversight import views as oversight_views
from assessments.reviews import views as review_views

urlpatterns = [
    # community oversight: every funded project, in public
    path("projects/", oversight_views.project_list, name="project-list"),
    path("projects/totals/", oversight_views.project_totals, name="project-totals"),
    path("projects/<int:pk>/", oversight_views.project_detail, name="project-detail"),
    path("projects/<int:pk>/committee/", committee_views.committee_page, name="committee"),
    path(
        "projects/<int:pk>/committee/<slug:what>/",
        committee_views.committee_record,
        name="committee-record",
    ),
    path(
        "projects/<int:pk>/committee/recommendations/<int:recommendation_pk>/answer/",
        committee_views.committee_answer,
        name="committee-answer",
    ),
    path("evaluations/", review_views.evaluator_home, name="evaluator-home"),
    path("proposals/<int:pk>/review/", review_views.proposal_review, name="proposal-review"),
    path("proposals/<int:pk>/decide/", review_views.proposal_decide, name="proposal-decide"),
    path(
        "proposals/<int:pk>/decide/<slug:action>/",
        review_views.proposal_decision,
        name="proposal-decision",
    ),
    path("calls/<int:pk>/ranking/", review_views.call_ranking, name="call-ranking"),
    path("calls/<int:pk>/decide/", review_views.call_decide_many, name="call-decide-many"),
    # agreement evaluations
    path("evaluations/<int:pk>/", evaluation_views.evaluation_detail, name="evaluation-detail"),
    path(
        "agreements/<int:pk>/evaluations/new/",
        evaluation_views.evaluation_add,
        name="evaluation-add",
    ),
    # citizens' grievances
    path("", include("assessments.grievances.urls")),
    # citizens: the charter, the survey, the report cards and their moderation
    path("agreements/<int:pk>/charter/", feedback_views.charter_detail, name="charter"),
    path("agreements/<int:pk>/charter/edit/", feedback_views.charter_edit, name="charter-edit"),
    path(
        "agreements/<int:pk>/charter/poster.pdf",
        feedback_views.charter_poster,
        name="charter-poster",
    ),
    path("agreements/<int:pk>/survey/", feedback_views.survey_settings, name="survey-settings"),
    path("s/<str:code>/", feedback_views.survey, name="survey"),
    path("s/<str:code>/thanks/", feedback_views.survey_thanks, name="survey-thanks"),
    path(
        "agreements/<int:pk>/report-card/",
        feedback_views.agreement_report_card,
        name="agreement-report-card",
    ),
    path("csos/<int:pk>/report-card/", feedback_views.cso_report_card, name="cso-report-card"),
    path(
        "agencies/<int:pk>/report-card/",
        feedback_views.agency_report_card,
        name="agency-report-card",
    ),
    path("feedback/<int:pk>/hide/", feedback_views.feedback_hide, name="feedback-hide"),
    path("feedback/<int:pk>/restore/", feedback_views.feedback_restore, name="feedback-restore"),
]
