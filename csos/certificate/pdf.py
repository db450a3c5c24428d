from portal.pdf import render_pdf


def certificate_pdf(cso) -> bytes:
    """The registration certificate of an approved CSO, in Thai, dates in B.E."""
    return render_pdf(
        "csos/certificate/certificate.html",
        {
            "cso": cso,
            "certified_fields": list(cso.certified_fields.all()),
            "provinces": list(cso.service_provinces.all()),
        },
    )
