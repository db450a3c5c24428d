"""The API routes of contracts, under /api/v1/ (included by portal/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from contracts.agreements.api.views import (
    DOCUMENT_VIEW_OPTIONS,
    AgreementViewSet,
    ProposalAwardViewSet,
)
from contracts.calls.api import CallViewSet
from contracts.calls.clarifications_api import CallAddendumViewSet, CallQuestionViewSet
from contracts.calls.searches_api import SavedSearchViewSet
from contracts.open_data import api as open_data_api
from contracts.proposals.api import RECEIPT_VIEW_OPTIONS, CallDecisionView, ProposalViewSet

router = SimpleRouter()
router.register("calls", CallViewSet, basename="api-call")
router.register(
    r"calls/(?P<call_pk>[0-9]+)/questions", CallQuestionViewSet, basename="api-call-question"
)
router.register(
    r"calls/(?P<call_pk>[0-9]+)/addenda", CallAddendumViewSet, basename="api-call-addendum"
)
router.register("proposals", ProposalViewSet, basename="api-proposal")
router.register("saved-searches", SavedSearchViewSet, basename="api-saved-search")
router.register("agreements", AgreementViewSet, basename="api-agreement")
# The award answers with the agreement it creates: the agreements' view, at the proposal's
# address (a router of its own, as a router takes each basename once).
award_router = SimpleRouter()
award_router.register("proposals", ProposalAwardViewSet, basename="api-proposal")

urlpatterns = [
    path(
        "calls/<int:pk>/decide/",
        CallDecisionView.as_view({"post": "create"}),
        name="api-call-decide",
    ),
    # The contract spells the documents without the router's trailing slash.
    path(
        "proposals/<int:pk>/receipt.pdf",
        ProposalViewSet.as_view({"get": "receipt"}, **RECEIPT_VIEW_OPTIONS),
        name="api-proposal-receipt",
    ),
    path(
        "agreements/<int:pk>/document.pdf",
        AgreementViewSet.as_view({"get": "document"}, **DOCUMENT_VIEW_OPTIONS),
        name="api-agreement-document",
    ),
    path(
        "agreements/<int:pk>/tranches/<int:seq>/payment-order.pdf",
        AgreementViewSet.as_view({"get": "payment_order"}, **DOCUMENT_VIEW_OPTIONS),
        name="api-tranche-payment-order",
    ),
    path(
        "open-data/360giving.json",
        open_data_api.GivingJsonView.as_view(),
        name="open-data-360giving-json",
    ),
    path(
        "open-data/360giving.csv",
        open_data_api.GivingCsvView.as_view(),
        name="open-data-360giving-csv",
    ),
    path("open-data/ocds.json", open_data_api.OcdsJsonView.as_view(), name="open-data-ocds-json"),
    path("open-data/ocds.csv", open_data_api.OcdsCsvView.as_view(), name="open-data-ocds-csv"),
    path(
        "open-data/ocds-extension/extension.json",
        open_data_api.OcdsExtensionView.as_view(),
        name="open-data-ocds-extension",
    ),
    path(
        "open-data/ocds-extension/release-schema.json",
        open_data_api.OcdsExtensionSchemaView.as_view(),
        name="open-data-ocds-extension-schema",
    ),
    # With format suffixes (calls.json), as the portal's DefaultRouter served them.
    *format_suffix_patterns(router.urls + award_router.urls),
]
