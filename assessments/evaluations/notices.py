"""The notice kinds and deadline rules of evaluations: due and overdue, to the agency's officers
and the evaluators."""

import datetime

from django.db.models import F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from agencies.selectors import agency_officers_later as officers_later
from assessments.evaluations.models import Evaluation
from contracts.agreements.models import EvaluationKind
from contracts.agreements.notices import LIVE, agreement_context
from contracts.agreements.rules import evaluation_latest_due
from portal.notices.kinds import Kind, register
from portal.notices.selectors import not_yet_notified
from portal.notices.services import url_for
from portal.notices.sweep import Due, rule

# The kinds of notice sent here (positions interleave every app's kinds in lists).
register(
    Kind(
        "evaluation_due",
        _("An evaluation falls due"),
        14,
        _("%(evaluation)s of %(number)s is due on %(due)s"),
        _("%(evaluation)s of the agreement %(number)s “%(title)s” is due on %(due)s."),
        legal=True,
        audience=_("the agency's officers and the evaluators"),
        position=80,
    ),
    Kind(
        "evaluation_overdue",
        _("An evaluation is overdue"),
        1,
        _("%(evaluation)s of %(number)s is overdue"),
        _(
            "%(evaluation)s of the agreement %(number)s “%(title)s” was due on %(due)s and "
            "has not been recorded."
        ),
        legal=True,
        audience=_("the agency's officers and the evaluators"),
        position=90,
    ),
)


def _evaluations(q, kind):
    """Evaluations still to do under a running agreement, due by the agreement's end (the
    post-completion one: within 3 months after it), not yet notified of ``kind`` for their
    due date. A cancelled one gets no notice."""
    in_term = Q(due_on__lte=F("agreement__end_date")) | Q(kind=EvaluationKind.FINAL)
    scheduled = Evaluation.objects.filter(
        q, in_term, status=Evaluation.Status.SCHEDULED, agreement__status__in=LIVE
    )
    evaluations = (
        not_yet_notified(scheduled, kind, due_on=OuterRef("due_on"))
        .select_related("agreement", "agreement__agency")
        .prefetch_related("evaluators")
    )
    for evaluation in evaluations:
        if evaluation.due_on <= evaluation_latest_due(
            evaluation.kind, evaluation.agreement.end_date
        ):
            yield evaluation


def _evaluation_due(kind, evaluation):
    agreement = evaluation.agreement
    return Due(
        kind,
        [officers_later(agreement.agency_id), *evaluation.evaluators.all()],
        evaluation,
        due_on=evaluation.due_on,
        context=agreement_context(
            agreement, evaluation=evaluation.get_kind_display(), due=evaluation.due_on
        ),
        url=url_for("evaluation-detail", evaluation.pk),
    )


@rule("evaluation_due")
def evaluation_due(today, now, lead):
    window = Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(lead))
    for evaluation in _evaluations(window, "evaluation_due"):
        yield _evaluation_due("evaluation_due", evaluation)


@rule("evaluation_overdue")
def evaluation_overdue(today, now, lead):
    overdue = Q(due_on__lte=today - datetime.timedelta(lead))
    for evaluation in _evaluations(overdue, "evaluation_overdue"):
        yield _evaluation_due("evaluation_overdue", evaluation)
