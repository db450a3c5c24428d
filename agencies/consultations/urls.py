"""The consultations' web routes (mounted by agencies/urls.py)."""

from django.urls import path

from .views import heard, public, running, taking_part

C = "consultations/<int:pk>/"
CC = C + "contributions/<int:contribution_pk>/"

urlpatterns = [
    path("consultations/", public.consultation_list, name="consultation-list"),
    path("consultations/new/", running.consultation_create, name="consultation-create"),
    path("consultations/agency/", running.agency_consultations, name="consultation-agency"),
    path(C, public.consultation_detail, name="consultation-detail"),
    path(C + "discussion/", public.consultation_discussion, name="consultation-discussion"),
    path(
        C + "documents/<int:document_pk>/",
        public.consultation_document,
        name="consultation-document",
    ),
    # Taking part
    path(C + "answer/", taking_part.consultation_answer, name="consultation-answer"),
    path(C + "contribute/", taking_part.consultation_contribute, name="consultation-contribute"),
    path(CC + "react/", taking_part.contribution_react, name="contribution-react"),
    path(CC + "report/", taking_part.contribution_flag, name="contribution-flag"),
    path(CC + "delete/", taking_part.contribution_withdraw, name="contribution-withdraw"),
    path(CC + "anonymise/", taking_part.contribution_anonymise, name="contribution-anonymise"),
    # Running
    path(C + "edit/", running.consultation_edit, name="consultation-edit"),
    path(C + "questions/", running.consultation_questions, name="consultation-questions"),
    path(
        C + "questions/<int:question_pk>/remove/",
        running.consultation_question_remove,
        name="consultation-question-remove",
    ),
    path(C + "documents/", running.consultation_document_add, name="consultation-document-add"),
    path(C + "panel/", running.consultation_panel_add, name="consultation-panel-add"),
    path(C + "publish/", running.consultation_publish, name="consultation-publish"),
    path(C + "close/", running.consultation_close, name="consultation-close"),
    path(C + "moderation/", running.consultation_moderation, name="consultation-moderation"),
    path(CC + "hide/", running.contribution_hide, name="contribution-hide"),
    path(CC + "restore/", running.contribution_restore, name="contribution-restore"),
    path(CC + "approve/", running.contribution_approve, name="contribution-approve"),
    path(CC + "dismiss/", running.contribution_dismiss, name="contribution-dismiss"),
    path(
        C + "meeting-input/",
        running.consultation_meeting_input,
        name="consultation-meeting-input",
    ),
    # What we heard
    path(C + "summary/", heard.consultation_summary, name="consultation-summary"),
    path(C + "analysis/", heard.consultation_analysis, name="consultation-analysis"),
    path(CC + "themes/", heard.contribution_tag, name="contribution-tag"),
    path(C + "response/edit/", heard.consultation_report_edit, name="consultation-report-edit"),
    path(
        C + "response/publish/",
        heard.consultation_report_publish,
        name="consultation-report-publish",
    ),
    path(C + "response/", heard.consultation_report, name="consultation-report"),
    path(C + "response.pdf", heard.consultation_report_pdf, name="consultation-report-pdf"),
    path(C + "export.csv", heard.consultation_export, name="consultation-export"),
]
