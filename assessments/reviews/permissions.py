"""Who may see and write reviews, and the conflict-of-interest check. ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from contracts.calls.permissions import can_view_ranking, is_assigned_evaluator
from portal.roles import Role, has_role


def can_view_reviews(user, proposal):
    """Every evaluator's review for the call's officers and staff; evaluators on the panel
    see their own (the API filters them to it)."""
    if can_view_ranking(user, proposal.call)[0]:
        return True, ""
    if is_assigned_evaluator(user, proposal.call):
        return True, ""
    return False, _("Only the agency's officers and the call's evaluators see reviews.")


def conflict_of_interest(user, cso) -> str:
    """Why ``user`` may not review ``cso``'s proposal: a member of the CSO, or of a CSO in
    its declared networks (either side declared it). Empty when there is no conflict."""
    if not user.cso_id:
        return ""
    if user.cso_id == cso.pk:
        return _("You are a member of this organisation, so you may not review its proposal.")
    networks = {c.pk for c in cso.network_csos.all()} | {c.pk for c in cso.networked_by.all()}
    if user.cso_id in networks:
        return _(
            "Your organisation is in this organisation's declared network, so you may not "
            "review its proposal."
        )
    return ""


def can_review(user, proposal):
    if not has_role(user, Role.EVALUATOR):
        return False, _("Only an evaluator can score proposals.")
    if not is_assigned_evaluator(user, proposal.call):
        return False, _("You are not on this call's evaluation panel.")
    conflict = conflict_of_interest(user, proposal.cso)
    if conflict:
        return False, conflict
    return True, ""
