"""Reads for the public verification of a certificate."""

from csos.registration.models import CSO


def certificate_find(number: str) -> CSO | None:
    """The organisation a certificate number was issued to, ignoring case and the spaces
    around it; None when no certificate has that number."""
    number = (number or "").strip()
    if not number:
        return None
    return (
        CSO.objects.filter(certificate_number__iexact=number)
        .exclude(certificate_number="")
        .only(
            "name_th",
            "name_en",
            "status",
            "certificate_number",
            "approved_at",
        )
        .first()
    )
