"""The response report as a PDF (WeasyPrint, Sarabun), in the reader's language."""

from portal.pdf import render_pdf

from . import analysis


def response_report_pdf(consultation, *, language="th") -> bytes:
    report = consultation.report
    return render_pdf(
        "agencies/consultations/pdf/response_report.html",
        {
            "consultation": consultation,
            "report": report,
            "decisions": list(
                report.decisions.select_related("theme").prefetch_related("contributions")
            ),
            "summary": analysis.summary(consultation),
        },
        language=language,
    )
