"""Reads of agreements' evaluations: one for whoever may see it, and an evaluator's list."""


def evaluation_get_for_user(user, pk):
    """An agreement's evaluation, for those who may see its agreement; 404 otherwise (its
    existence stays private)."""
    from django.http import Http404

    from assessments.evaluations.models import Evaluation
    from contracts.agreements.permissions import can_view_agreement

    try:
        evaluation = (
            Evaluation.objects.select_related(
                "agreement", "agreement__cso", "agreement__agency", "submitted_by"
            )
            .prefetch_related("evaluators")
            .get(pk=pk)
        )
    except (Evaluation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can_view_agreement(user, evaluation.agreement)[0]:
        raise Http404
    return evaluation


def evaluator_agreement_evaluations(user) -> list:
    """The agreements' evaluations an evaluator is named on, the ones still to record first
    and each by its due date, with their agreement and CSO (one query)."""
    from assessments.evaluations.models import Evaluation

    evaluations = (
        Evaluation.objects.filter(evaluators=user)
        .select_related("agreement", "agreement__cso")
        .order_by("due_on", "id")
    )
    return sorted(evaluations, key=lambda e: e.status != Evaluation.Status.SCHEDULED)
