"""Who may draw up, sign, report on and record an action contract: ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from portal.workflow import NotNow

from ..networks import permissions as network_permissions
from ..networks.selectors import speaks_for
from .models import ActionContract

ST = ActionContract.Status


def can_draw_up(user, network):
    return network_permissions.can_manage(user, network)


def can_change_parties(user, contract):
    allowed, reason = network_permissions.can_manage(user, contract.issue.network)
    if not allowed:
        return allowed, reason
    if contract.status != ST.DRAFT or contract.parties.filter(signed_at__isnull=False).exists():
        return False, NotNow(_("The parties are fixed once anyone has signed."))
    return True, ""


def can_sign(user, party, *, on_paper=False):
    """A party signs through the account that speaks for it; the manager records a signature
    made on paper (for an organisation recorded just for the network)."""
    contract = party.contract
    if on_paper:
        allowed, reason = network_permissions.can_manage(user, contract.issue.network)
        if not allowed:
            return allowed, reason
    elif not speaks_for(user, party.member):
        return False, _("Only the party itself signs.")
    if contract.status != ST.DRAFT:
        return False, NotNow(_("The contract is no longer open for signature."))
    if party.signed_at is not None:
        return False, NotNow(_("This party has signed already."))
    return True, ""


def can_report(user, party):
    contract = party.contract
    manages = network_permissions.can_manage(user, contract.issue.network)[0]
    if not (manages or speaks_for(user, party.member)):
        return False, _("Only the party itself or the network's manager reports its progress.")
    if contract.status not in (ST.SIGNED, ST.IN_PROGRESS):
        return False, NotNow(_("Progress is reported once every party has signed."))
    if party.done_at is not None:
        return False, NotNow(_("This party's commitments are met already."))
    return True, ""


def can_record_plan(user, contract):
    allowed, reason = network_permissions.can_manage(user, contract.issue.network)
    if not allowed:
        return allowed, reason
    if contract.status == ST.DRAFT:
        return False, NotNow(_("A contract goes into the provincial plan once it is signed."))
    return True, ""


def for_any_party(user, parties, check):
    """``check`` (``can_sign`` or ``can_report``) for the first party it allows; when none,
    the moment's reason if the person speaks for one of them, the plain refusal otherwise."""
    reasons = []
    for party in parties:
        allowed, reason = check(user, party)
        if allowed:
            return True, ""
        reasons.append(reason)
    moment = [why for why in reasons if isinstance(why, NotNow)]
    if moment:
        return False, moment[0]
    return False, reasons[0] if reasons else NotNow(_("The contract has no party yet."))
