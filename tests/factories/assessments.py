"""Calls under review: an open call with submitted proposals and its evaluation panel, scored
on the five criteria with these weights."""

from contracts.calls import services as call_services

from .contracts import CallFactory, ProposalFactory

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
