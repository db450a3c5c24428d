"""What a certificate's number stands for today: valid while its organisation is approved,
suspended while the committee has suspended it, revoked once it is neither (the
registration was rejected or reopened after the certificate was issued)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from csos.registration.models import CSO


class Standing(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


def certificate_standing(cso: CSO) -> Standing:
    if cso.status == CSO.Status.APPROVED:
        return Standing.VALID
    if cso.status == CSO.Status.SUSPENDED:
        return Standing.SUSPENDED
    return Standing.REVOKED


# The longest names are printed smaller so the certificate stays on one A4 page: up to
# each length (characters), the name's size in points.
NAME_SIZES = ((60, 20), (120, 17), (200, 14))
SMALLEST_NAME_SIZE = 12


def name_font_size(name: str) -> int:
    for length, size in NAME_SIZES:
        if len(name) <= length:
            return size
    return SMALLEST_NAME_SIZE
