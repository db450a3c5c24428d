"""A group meeting's minutes as a PDF (WeasyPrint, Sarabun), in the reader's language."""

from portal.pdf import render_pdf


def minutes_pdf(meeting, *, language="th") -> bytes:
    group = meeting.group
    return render_pdf(
        "agencies/advisory/pdf/minutes.html",
        {
            "group": group,
            "meeting": meeting,
            "recommendations": list(meeting.recommendations.order_by("made_on", "pk")),
        },
        language=language,
    )
