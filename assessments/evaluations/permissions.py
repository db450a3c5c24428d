"""Who may record an evaluation's result. ``(allowed, reason)``, for the services, the API and
the pages alike."""

from django.utils.translation import gettext as _

from contracts.agreements.permissions import is_agreement_officer
from portal.roles import Role, has_role


def can_submit_evaluation(user, evaluation):
    """An evaluator named on the evaluation; for an internal one, also the agency's officers."""

    agreement = evaluation.agreement
    if has_role(user, Role.EVALUATOR) and evaluation.evaluators.filter(pk=user.pk).exists():
        return True, ""
    if evaluation.mode == evaluation.Mode.INTERNAL and is_agreement_officer(user, agreement):
        return True, ""
    return False, _("Only the evaluators named on this evaluation can record its result.")
