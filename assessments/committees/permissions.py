"""Who runs a commissioned service's user management committee: the agreement's agency
officers (they record members, meetings and recommendations, and answer each)."""

from django.utils.translation import gettext as _

from contracts.agreements.permissions import is_agreement_officer
from contracts.calls.models import Instrument
from portal.workflow import NotNow


def can_manage(user, agreement):
    if not is_agreement_officer(user, agreement):
        return False, _("Only the agency's officers of this agreement run its committee.")
    if agreement.kind != Instrument.COMMISSIONING:
        return False, NotNow(_("A user management committee is for a commissioned service."))
    return True, ""
