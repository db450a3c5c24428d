from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from csos.registration import selectors

from .pdf import certificate_pdf
from .permissions import can_download_certificate
from .rules import Standing, certificate_standing
from .selectors import certificate_find


def certificate(request, pk):
    cso = selectors.cso_get_for_user(request.user, pk)
    if not can_download_certificate(request.user, cso)[0]:
        raise Http404
    response = HttpResponse(certificate_pdf(cso), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{cso.pk}.pdf"'
    return response


def verify(request, number=None):
    """The public verification page a certificate's QR code opens: anyone, without signing
    in, learns whether a number is a valid, suspended or revoked certificate, of which
    organisation and since when; nothing about a person. A number typed in the form (GET)
    moves to its own address, which is what the QR code holds."""
    typed = request.GET.get("number", "").strip()
    if number is None and typed:
        return redirect("certificate-verify-number", number=typed)
    cso = certificate_find(number) if number else None
    return render(
        request,
        "csos/certificate/verify.html",
        {
            "number": number or "",
            "searched": number is not None or "number" in request.GET,
            "cso": cso,
            "standing": certificate_standing(cso) if cso else None,
            "Standing": Standing,
        },
    )
