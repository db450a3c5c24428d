from django.urls import include, path

from .advisory import views as advisory_views
from .assemblies import views as assembly_views
from .budgets import views as budget_views
from .faqs import views as faq_views
from .meetings import views as meeting_views
from .missions import views
from .ogp import views as ogp_views
from .polls import views as poll_views

urlpatterns = [
    path("", include("agencies.consultations.urls")),
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/new/", views.mission_create, name="mission-create"),
    path("missions/<int:pk>/", views.mission_detail, name="mission-detail"),
    path("missions/<int:pk>/edit/", views.mission_edit, name="mission-edit"),
    path("advisory/", advisory_views.advisory_list, name="advisory-list"),
    path("advisory/new/", advisory_views.advisory_create, name="advisory-create"),
    path("advisory/<int:pk>/", advisory_views.advisory_detail, name="advisory-detail"),
    path(
        "advisory/<int:pk>/members/",
        advisory_views.advisory_member_add,
        name="advisory-member-add",
    ),
    path(
        "advisory/<int:pk>/meetings/",
        advisory_views.advisory_meeting_add,
        name="advisory-meeting-add",
    ),
    path(
        "advisory/<int:pk>/recommendations/",
        advisory_views.advisory_recommendation_add,
        name="advisory-recommendation-add",
    ),
    path(
        "advisory/<int:pk>/recommendations/<int:recommendation_pk>/answer/",
        advisory_views.advisory_recommendation_answer,
        name="advisory-recommendation-answer",
    ),
    path(
        "advisory/<int:pk>/members/<int:member_pk>/",
        advisory_views.advisory_member_edit,
        name="advisory-member-edit",
    ),
    path(
        "advisory/<int:pk>/meetings/<int:meeting_pk>/",
        advisory_views.advisory_meeting_edit,
        name="advisory-meeting-edit",
    ),
    path(
        "advisory/<int:pk>/meetings/<int:meeting_pk>/minutes.pdf",
        advisory_views.advisory_minutes_pdf,
        name="advisory-minutes-pdf",
    ),
    path("advisory/<int:pk>/activate/", advisory_views.advisory_activate, name="advisory-activate"),
    path("advisory/<int:pk>/dissolve/", advisory_views.advisory_dissolve, name="advisory-dissolve"),
    path("faqs/", faq_views.faq_list, name="faq-list"),
    path("faqs/suggest/", faq_views.faq_suggest, name="faq-suggest"),
    path("faqs/agency/", faq_views.faq_queue, name="faq-queue"),
    path("faqs/<int:pk>/", faq_views.faq_detail, name="faq-detail"),
    path("faqs/<int:pk>/answer/", faq_views.faq_answer, name="faq-answer"),
    path("faqs/<int:pk>/decline/", faq_views.faq_decline, name="faq-decline"),
    path("faqs/<int:pk>/unpublish/", faq_views.faq_unpublish, name="faq-unpublish"),
    path("polls/", poll_views.poll_list, name="poll-list"),
    path("polls/new/", poll_views.poll_create, name="poll-create"),
    path("polls/<int:pk>/", poll_views.poll_detail, name="poll-detail"),
    path("polls/<int:pk>/vote/", poll_views.poll_vote, name="poll-vote"),
    path("polls/<int:pk>/publish/", poll_views.poll_publish, name="poll-publish"),
    path("polls/<int:pk>/close/", poll_views.poll_close, name="poll-close"),
    path("assemblies/", assembly_views.assembly_list, name="assembly-list"),
    path("assemblies/new/", assembly_views.assembly_create, name="assembly-create"),
    path("assemblies/<int:pk>/", assembly_views.assembly_detail, name="assembly-detail"),
    path(
        "assemblies/<int:pk>/volunteer/",
        assembly_views.assembly_volunteer,
        name="assembly-volunteer",
    ),
    path(
        "assemblies/<int:pk>/withdraw/", assembly_views.assembly_withdraw, name="assembly-withdraw"
    ),
    path("assemblies/<int:pk>/draw/", assembly_views.assembly_draw, name="assembly-draw"),
    path(
        "assemblies/<int:pk>/draw.json",
        assembly_views.assembly_draw_record,
        name="assembly-draw-record",
    ),
    path(
        "assemblies/<int:pk>/sessions/",
        assembly_views.assembly_session_add,
        name="assembly-session-add",
    ),
    path(
        "assemblies/<int:pk>/recommendations/",
        assembly_views.assembly_recommendation_add,
        name="assembly-recommendation-add",
    ),
    path(
        "assemblies/<int:pk>/recommendations/<int:recommendation_pk>/answer/",
        assembly_views.assembly_recommendation_answer,
        name="assembly-recommendation-answer",
    ),
    path("assemblies/<int:pk>/report/", assembly_views.assembly_report, name="assembly-report"),
    path("ogp/", ogp_views.ogp_home, name="ogp-home"),
    path("ogp/new/", ogp_views.ogp_plan_create, name="ogp-plan-create"),
    path("ogp/<int:pk>/", ogp_views.ogp_plan, name="ogp-plan"),
    path("ogp/<int:pk>/publish/", ogp_views.ogp_plan_publish, name="ogp-plan-publish"),
    path(
        "ogp/<int:pk>/commitments/new/",
        ogp_views.ogp_commitment_add,
        name="ogp-commitment-add",
    ),
    path("ogp/commitments/<int:pk>/", ogp_views.ogp_commitment, name="ogp-commitment"),
    path(
        "ogp/milestones/<int:pk>/report/",
        ogp_views.ogp_milestone_report,
        name="ogp-milestone-report",
    ),
    path("budgets/", budget_views.budget_list, name="budget-list"),
    path("budgets/new/", budget_views.budget_create, name="budget-create"),
    path("budgets/<int:pk>/", budget_views.budget_detail, name="budget-detail"),
    path("budgets/<int:pk>/propose/", budget_views.budget_propose, name="budget-propose"),
    path("budgets/<int:pk>/ballot/", budget_views.budget_ballot, name="budget-ballot"),
    path("budgets/<int:pk>/results/", budget_views.budget_results, name="budget-results"),
    path(
        "budgets/<int:pk>/start-review/",
        budget_views.budget_start_review,
        name="budget-start-review",
    ),
    path(
        "budgets/<int:pk>/start-voting/",
        budget_views.budget_start_voting,
        name="budget-start-voting",
    ),
    path("budgets/<int:pk>/close/", budget_views.budget_close, name="budget-close"),
    path(
        "budgets/<int:pk>/projects/<int:project_pk>/review/",
        budget_views.budget_project_review,
        name="budget-project-review",
    ),
    path(
        "budgets/<int:pk>/projects/<int:project_pk>/delivery/",
        budget_views.budget_project_delivery,
        name="budget-project-delivery",
    ),
    path("meetings/", meeting_views.meeting_list, name="meeting-list"),
    path("meetings/new/", meeting_views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/publish/", meeting_views.meeting_publish, name="meeting-publish"),
    path("meetings/<int:pk>/cancel/", meeting_views.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/record/", meeting_views.meeting_record, name="meeting-record"),
    path("meetings/<int:pk>/calendar.ics", meeting_views.meeting_calendar, name="meeting-calendar"),
    path(
        "meetings/<int:pk>/materials/",
        meeting_views.meeting_material_add,
        name="meeting-material-add",
    ),
    path(
        "meetings/<int:pk>/materials/<int:material_pk>/",
        meeting_views.meeting_material,
        name="meeting-material",
    ),
    path(
        "meetings/<int:pk>/materials/<int:material_pk>/remove/",
        meeting_views.meeting_material_remove,
        name="meeting-material-remove",
    ),
    path("meetings/<int:pk>/register/", meeting_views.meeting_register, name="meeting-register"),
    path(
        "meetings/<int:pk>/unregister/", meeting_views.meeting_unregister, name="meeting-unregister"
    ),
]
