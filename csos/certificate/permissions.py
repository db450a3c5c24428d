"""Who may download a CSO's certificate. Returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from csos.registration.models import CSO
from csos.registration.permissions import can_view


def can_download_certificate(user, cso):
    if cso.status != CSO.Status.APPROVED:
        return False, _("Only an approved organisation has a certificate.")
    return can_view(user, cso)
