"""The certificate on the API: GET /csos/{id}/certificate.pdf."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer

from portal.api.errors import error_responses
from portal.api.negotiation import FirstRendererNegotiation

from .pdf import certificate_pdf
from .permissions import can_download_certificate

CERTIFICATE_VIEW_OPTIONS = {
    "renderer_classes": [JSONRenderer],
    "content_negotiation_class": FirstRendererNegotiation,
}


# Mixed into the CSO viewset (csos/api_urls.py), which gives ``get_object``. No docstring on
# the class: it would become the operations' description.
class CSOCertificateAction:
    @extend_schema(
        summary="Registration certificate (PDF, approved CSOs only)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    # Routed in csos/api_urls.py (included by portal/urls.py); the docstring is the schema's
    # description, kept word for word.
    def certificate(self, request, pk=None):
        """Routed in portal/urls.py at the contract's address, without a trailing slash."""
        cso = self.get_object()
        if not can_download_certificate(request.user, cso)[0]:
            raise Http404
        response = HttpResponse(certificate_pdf(cso), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{cso.pk}.pdf"'
        return response
