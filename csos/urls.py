from django.urls import path

from .actioncontracts import views as contract_views
from .bank import views as bank_views
from .certificate import views as certificate_views
from .localissues import views as issue_views
from .networks import views as network_views
from .registration import views
from .review import views as review_views

urlpatterns = [
    path("registration/", views.registration, name="registration"),
    path("registration/documents/", views.registration_documents, name="registration-documents"),
    path(
        "registration/documents/<int:document_id>/delete/",
        views.registration_document_delete,
        name="registration-document-delete",
    ),
    path("registration/check/", views.registration_check, name="registration-check"),
    path("registration/bank-account/", bank_views.bank_account, name="registration-bank-account"),
    path("registration/<slug:part>/", views.registration_part, name="registration-part"),
    path("networks/", network_views.network_home, name="network-home"),
    path("networks/new/", network_views.network_create, name="network-create"),
    path("networks/<str:code>/", network_views.network_detail, name="network-detail"),
    path("networks/<str:code>/apply/", network_views.network_apply, name="network-apply"),
    path("networks/<str:code>/propose/", network_views.network_propose, name="network-propose"),
    path("networks/<str:code>/order/", network_views.network_order, name="network-order"),
    path(
        "networks/<str:code>/groups/", network_views.network_group_set_up, name="network-group-new"
    ),
    path("networks/<str:code>/issues/", issue_views.issue_list, name="network-issues"),
    path("networks/<str:code>/issues/new/", issue_views.issue_raise, name="network-issue-raise"),
    path("networks/<str:code>/issues/<int:pk>/", contract_views.issue_page, name="network-issue"),
    path(
        "networks/<str:code>/issues/<int:pk>/evidence/",
        contract_views.issue_evidence,
        name="network-issue-evidence",
    ),
    path(
        "networks/<str:code>/issues/<int:pk>/<slug:what>/",
        contract_views.issue_action,
        name="network-issue-action",
    ),
    path(
        "networks/<str:code>/groups/<slug:kind>/",
        network_views.network_group,
        name="network-group",
    ),
    path(
        "networks/<str:code>/groups/<slug:kind>/<slug:what>/",
        network_views.network_group_record,
        name="network-group-record",
    ),
    path(
        "networks/<str:code>/order.pdf", network_views.network_order_file, name="network-order-file"
    ),
    path(
        "networks/<str:code>/members/<int:pk>/<slug:action>/",
        network_views.network_member_action,
        name="network-member-action",
    ),
    path("csos/", views.directory, name="directory"),
    path("csos/<int:pk>/", views.cso_detail, name="cso-detail"),
    path("csos/<int:pk>/certificate.pdf", certificate_views.certificate, name="cso-certificate"),
    path(
        "csos/<int:pk>/documents/<int:document_id>/",
        views.document_download,
        name="cso-document",
    ),
    path("verify/", certificate_views.verify, name="certificate-verify"),
    path("verify/<str:number>/", certificate_views.verify, name="certificate-verify-number"),
    path("review/csos/", review_views.review_queue, name="review-queue"),
    path("review/csos/<int:pk>/", review_views.review_detail, name="review-detail"),
    path(
        "review/csos/<int:pk>/<slug:action>/",
        review_views.review_decision,
        name="review-decision",
    ),
]
