"""Participatory budgeting's notices: a resident told the agency's feasibility decision on
their project (with the reason when it is refused), and everyone who voted told the result."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.notices.kinds import Kind, register
from portal.notices.services import notify

from .models import BudgetProject

register(
    Kind(
        "budget_project_checked",
        _("The agency checked a project you proposed"),
        0,
        _("Your project “%(title)s”: %(outcome)s"),
        _("The agency checked your project “%(title)s” for “%(round)s”: %(outcome)s. %(reason)s"),
        audience=_("residents who proposed a budget project"),
        position=445,
    ),
    Kind(
        "budget_results",
        _("The results of a budget vote you took part in"),
        0,
        _("The results of “%(round)s” are out"),
        _(
            "The vote on “%(round)s” is counted: %(selected)s projects are selected from "
            "%(ballots)s ballots. See the full count on the results page."
        ),
        audience=_("residents who voted in a participatory budget"),
        position=446,
    ),
)


def tell_proposer(project):
    feasible = project.status == BudgetProject.Status.FEASIBLE
    notify(
        "budget_project_checked",
        [project.proposer],
        project,
        url=reverse("budget-detail", args=[project.round_id]),
        context={
            "title": project.title,
            "round": project.round.title,
            "outcome": project.get_status_display(),
            "reason": "" if feasible else project.reason,
        },
    )


def tell_voters(budget_round):
    from django.contrib.auth import get_user_model

    voters = get_user_model().objects.filter(budget_ballots__round=budget_round)
    notify(
        "budget_results",
        voters,
        budget_round,
        url=reverse("budget-results", args=[budget_round.pk]),
        context={
            "round": budget_round.title,
            "selected": budget_round.projects.filter(status=BudgetProject.Status.SELECTED).count(),
            "ballots": budget_round.ballot_count,
        },
    )
