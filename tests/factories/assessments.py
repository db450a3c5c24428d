"""Calls under review: an open call with submitted proposals and its evaluation panel, scored
on the five criteria with these weights."""

from assessments.reviews import services as review_services
from contracts.calls import services as call_services

from .contracts import CallFactory, ProposalFactory
from .portal import EvaluatorFactory

WEIGHTS = {
    "expertise": 30,
    "standards": 25,
    "service_area": 20,
    "track_record": 15,
    "networking": 10,
}


def make_call(officer, *, n=1, instrument="grant", evaluators=(), close=True):
    """An open call by ``officer`` with ``n`` submitted proposals and its panel; closed
    afterwards unless ``close`` is False."""
    call = CallFactory(officer=officer, instrument=instrument, criteria_weights=WEIGHTS)
    proposals = [ProposalFactory(call=call, status="submitted") for _ in range(n)]
    if evaluators:
        call_services.call_assign_evaluators(
            call=call, user=officer, usernames=[e.username for e in evaluators]
        )
    if close:
        call = call_services.call_close(call=call, user=officer)
    return call, proposals


def ranked_call(officer, *, scores=(5, 4, 3), panel=2, instrument="grant"):
    """A closed call by ``officer`` whose ``panel`` evaluators each scored its proposals
    ``scores`` on every criterion (``None``: not scored), so they rank in that order.
    Returns the call, its proposals in that order and the evaluators."""
    evaluators = [EvaluatorFactory() for _ in range(panel)]
    call, proposals = make_call(
        officer, n=len(scores), instrument=instrument, evaluators=evaluators
    )
    for proposal, value in zip(proposals, scores, strict=True):
        for evaluator in evaluators if value is not None else ():
            review_services.review_save(
                proposal=proposal,
                evaluator=evaluator,
                scores=dict.fromkeys(WEIGHTS, value),
                no_conflict_of_interest=True,
                submit=True,
            )
    return call, proposals, evaluators
