"""The app's API routes, relative to /api/v1/ (included by portal/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from .actioncontracts.api import ActionContractViewSet
from .bank.api import CSOBankAccountActions
from .certificate.api import CERTIFICATE_VIEW_OPTIONS, CSOCertificateAction
from .localissues.api import NetworkIssueViewSet
from .networks.api import NetworkMemberViewSet, NetworkViewSet
from .registration.api import CSORegistrationViewSet
from .review.api import CSODecisionActions


# One resource, /csos/: the registration (registration/api.py), the committee's decisions
# (review/api.py), the certificate (certificate/api.py) and the bank account (bank/api.py).
# No docstring: it would become every operation's description in the OpenAPI schema.
class CSOViewSet(
    CSODecisionActions, CSOCertificateAction, CSOBankAccountActions, CSORegistrationViewSet
):
    pass


router = SimpleRouter()
router.register("csos", CSOViewSet, basename="api-cso")
router.register("networks", NetworkViewSet, basename="api-network")
router.register(
    r"networks/(?P<network_pk>[0-9]+)/members", NetworkMemberViewSet, basename="api-network-member"
)
router.register(
    r"networks/(?P<network_pk>[0-9]+)/issues", NetworkIssueViewSet, basename="api-network-issue"
)
router.register("action-contracts", ActionContractViewSet, basename="api-action-contract")

urlpatterns = [
    # The contract spells the certificate without the router's trailing slash.
    path(
        "csos/<int:pk>/certificate.pdf",
        CSOViewSet.as_view({"get": "certificate"}, **CERTIFICATE_VIEW_OPTIONS),
        name="api-cso-certificate",
    ),
    *format_suffix_patterns(router.urls),
]
