from django.urls import path

from contracts.agreements import document_views as documents
from contracts.agreements import report_views as reports
from contracts.agreements import views as agreements
from contracts.calls import views as calls
from contracts.dashboard import views as dashboard
from contracts.open_data import views as open_data
from contracts.proposals import views as proposals

urlpatterns = [
    path("open-data/", open_data.open_data, name="open-data"),
    # calls
    path("calls/", calls.call_list, name="call-list"),
    path("calls/new/", calls.call_create, name="call-create"),
    path("calls/saved-searches/", calls.saved_searches, name="saved-searches"),
    path(
        "calls/saved-searches/<int:pk>/delete/",
        calls.saved_search_delete,
        name="saved-search-delete",
    ),
    path("missions/<int:mission_pk>/calls/new/", calls.call_create, name="call-create"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<int:pk>/publish/", calls.call_publish, name="call-publish"),
    path("calls/<int:pk>/forecast/", calls.call_forecast, name="call-forecast"),
    path("calls/<int:pk>/amend/", calls.call_amend, name="call-amend"),
    path(
        "calls/<int:pk>/addenda/<int:number>.pdf",
        calls.call_addendum_document,
        name="call-addendum-document",
    ),
    path("calls/<int:pk>/questions/", calls.call_question_ask, name="call-question-ask"),
    path(
        "calls/<int:pk>/questions/<int:question_pk>/answer/",
        calls.call_question_answer,
        name="call-question-answer",
    ),
    path("calls/<int:pk>/close/", calls.call_close, name="call-close"),
    path("calls/<int:pk>/cancel/", calls.call_cancel, name="call-cancel"),
    path("calls/<int:pk>/evaluators/", calls.call_evaluators, name="call-evaluators"),
    path("agency/calls/", calls.agency_calls, name="agency-calls"),
    path("agency/dashboard/", dashboard.dashboard, name="agency-dashboard"),
    # agreements (before proposals, whose proposals/<pk>/<part>/ would catch .../award/)
    path("agreements/", agreements.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/design/", agreements.agreement_design, name="agreement-design"),
    path("agreements/<int:pk>/expenses/", agreements.agreement_expenses, name="agreement-expenses"),
    path(
        "agreements/<int:pk>/expenses/<int:expense_id>/receipt/",
        agreements.expense_receipt,
        name="expense-receipt",
    ),
    path(
        "agreements/<int:pk>/variations/",
        agreements.agreement_variations,
        name="agreement-variations",
    ),
    path("proposals/<int:pk>/award/", agreements.agreement_award, name="agreement-award"),
    path(
        "agreements/<int:pk>/tranches/<int:seq>/request/",
        agreements.tranche_request,
        name="tranche-request",
    ),
    path(
        "agreements/<int:pk>/tranches/<int:seq>/release/",
        agreements.tranche_release,
        name="tranche-release",
    ),
    path(
        "agreements/<int:pk>/<slug:action>/", agreements.agreement_action, name="agreement-action"
    ),
    # documents
    path(
        "agreements/<int:pk>/document.pdf",
        documents.agreement_document,
        name="agreement-document",
    ),
    path(
        "agreements/<int:pk>/tranches/<int:seq>/payment-order.pdf",
        documents.tranche_payment_order,
        name="tranche-payment-order",
    ),
    path(
        "agreements/<int:pk>/settlement.pdf",
        documents.settlement_statement,
        name="settlement-statement",
    ),
    # proposals
    path("calls/<int:pk>/proposals/start/", proposals.proposal_start, name="proposal-start"),
    path("calls/<int:pk>/concepts/", proposals.call_concepts, name="call-concepts"),
    path("proposals/", proposals.my_proposals, name="my-proposals"),
    path("proposals/sent/", proposals.proposal_list, name="proposal-list"),
    path("reports/", reports.report_list, name="report-list"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/check/", proposals.proposal_check, name="proposal-check"),
    path("proposals/<int:pk>/submitted/", proposals.proposal_submitted, name="proposal-submitted"),
    path("proposals/<int:pk>/receipt.pdf", proposals.proposal_receipt, name="proposal-receipt"),
    path("proposals/<int:pk>/withdraw/", proposals.proposal_withdraw, name="proposal-withdraw"),
    path("proposals/<int:pk>/delete/", proposals.proposal_delete, name="proposal-delete"),
    path(
        "proposals/<int:pk>/versions/<int:number>/",
        proposals.proposal_version,
        name="proposal-version",
    ),
    path(
        "proposals/<int:pk>/attachments/<int:document_id>/",
        proposals.proposal_attachment,
        name="proposal-attachment",
    ),
    path(
        "proposals/<int:pk>/attachments/<int:document_id>/delete/",
        proposals.proposal_attachment_delete,
        name="proposal-attachment-delete",
    ),
    path("proposals/<int:pk>/<slug:part>/", proposals.proposal_part, name="proposal-part"),
    # reports
    path("agreements/<int:pk>/reports/<int:seq>/", reports.report_detail, name="report-detail"),
    path(
        "agreements/<int:pk>/reports/<int:seq>/evidence/<int:evidence_id>/",
        reports.report_evidence,
        name="report-evidence",
    ),
]
