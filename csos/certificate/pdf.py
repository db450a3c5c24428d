from django.conf import settings
from django.urls import reverse

from portal.pdf import render_pdf

from .rules import name_font_size


def verification_url(cso) -> str:
    """The public page that tells whether this certificate is still valid."""
    path = reverse("certificate-verify-number", args=[cso.certificate_number])
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def verification_qr(url: str) -> str:
    """The URL as a QR code, an SVG data URI for WeasyPrint (segno: pure Python)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def certificate_pdf(cso) -> bytes:
    """The registration certificate of an approved CSO, in Thai, dates in B.E., on one A4
    page whatever the length of its name, signed by the committee and with a QR code to its
    public verification page."""
    url = verification_url(cso)
    return render_pdf(
        "csos/certificate/certificate.html",
        {
            "cso": cso,
            "certified_fields": list(cso.certified_fields.all()),
            "provinces": list(cso.service_provinces.all()),
            "name_size": name_font_size(cso.name_th),
            "name_en_size": max(name_font_size(cso.name_en) - 5, 10),
            "verify_url": url,
            "verify_qr": verification_qr(url),
        },
    )
