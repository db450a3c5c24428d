"""The citizen charter as an A4 poster for the service's notice board: the charter in Thai,
with QR codes to the satisfaction survey and the grievance form, each address printed
beside its code for those who cannot scan."""

from django.conf import settings
from django.urls import reverse

from assessments.feedback import rules
from portal.pdf import render_pdf


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def survey_url(survey) -> str:
    return absolute(reverse("survey", args=[survey.code]))


def grievance_url(agreement) -> str:
    return absolute(rules.grievance_form_path(agreement.pk))


def qr_data_uri(url: str) -> str:
    """The URL as a QR code, an SVG data URI (segno: pure Python), as on the certificate."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def qr_png_data_uri(url: str) -> str:
    """The URL as a QR code in PNG for the poster: a printer gets crisp modules, and the
    PDF carries it as an image of its own."""
    import segno

    return segno.make(url, error="m").png_data_uri(scale=8, border=2)


def charter_poster_pdf(charter, survey) -> bytes:
    agreement = charter.agreement
    survey_link, grievance_link = survey_url(survey), grievance_url(agreement)
    return render_pdf(
        "assessments/feedback/charter_poster.html",
        {
            "charter": charter,
            "agreement": agreement,
            "survey_url": survey_link,
            "survey_qr": qr_png_data_uri(survey_link),
            "grievance_url": grievance_link,
            "grievance_qr": qr_png_data_uri(grievance_link),
        },
    )
