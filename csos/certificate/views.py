from django.http import Http404, HttpResponse

from csos.registration import selectors

from .pdf import certificate_pdf
from .permissions import can_download_certificate


def certificate(request, pk):
    cso = selectors.cso_get_for_user(request.user, pk)
    if not can_download_certificate(request.user, cso)[0]:
        raise Http404
    response = HttpResponse(certificate_pdf(cso), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{cso.pk}.pdf"'
    return response
