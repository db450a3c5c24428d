"""Reads of proposals, each a queryset with what its page needs fetched up front, so a list
costs the same number of queries whatever its length."""

from django.db.models import Prefetch, Q, Sum
from django.http import Http404

from contracts.proposals.models import (
    InformationRequest,
    Proposal,
    ProposalDocument,
    ReviewStatus,
)
from portal.roles import Role, has_role


def proposal_base_queryset():
    reviews = Proposal.reviews.rel.related_model.objects  # assessments' Review
    return Proposal.objects.select_related("call", "call__agency", "cso").prefetch_related(
        "budget_lines",
        "documents",
        Prefetch(
            "information_requests",
            queryset=InformationRequest.objects.select_related("version").defer("version__content"),
        ),
        Prefetch(
            "reviews",
            queryset=reviews.filter(status=ReviewStatus.SUBMITTED).order_by("id"),
            to_attr="submitted_reviews",
        ),
    )


def proposals_visible_to(user):
    """Their own CSO's proposals for members; sent (or invited) proposals of the agency's
    calls for its officers; sent full proposals of the calls they evaluate for evaluators;
    all sent for staff."""
    qs = proposal_base_queryset()
    if not (user and user.is_authenticated):
        return qs.none()
    visible = Q(pk__in=[])
    if has_role(user, Role.CSO_MEMBER) and user.cso_id:
        visible |= Q(cso_id=user.cso_id)
    # Sent, or invited to a full proposal (the agency follows what it asked for).
    sent = ~Q(status=Proposal.Status.DRAFT) | Q(invited_at__isnull=False)
    if has_role(user, Role.STAFF_ADMIN):
        visible |= sent
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id:
        visible |= sent & Q(call__agency_id=user.agency_id)
    if has_role(user, Role.EVALUATOR):
        visible |= Q(status__in=Proposal.SENT, stage=Proposal.Stage.FULL) & Q(
            call__assignments__evaluator=user
        )
    return qs.filter(visible).distinct()


def proposal_get_for_user(user, pk) -> Proposal:
    try:
        return proposals_visible_to(user).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def cso_proposals(cso_id, *, status=""):
    """One CSO's proposals, newest first, with their calls."""
    qs = Proposal.objects.filter(cso_id=cso_id).select_related("call", "call__agency")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def live_proposal_for(cso_id, call_id) -> Proposal | None:
    """The CSO's current (not withdrawn) proposal for the call, if it has one."""
    return (
        Proposal.objects.filter(cso_id=cso_id, call_id=call_id)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .first()
    )


def sent_proposals_visible_to(user, *, status=""):
    """The sent proposals ``user`` may see (an officer's agency's, all for staff), newest
    sent first, with their call, agency and CSO: the officers' and staff's list."""
    visible = proposals_visible_to(user).exclude(status=Proposal.Status.DRAFT).values("pk")
    qs = Proposal.objects.filter(pk__in=visible).select_related("call", "call__agency", "cso")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def document_bytes(cso_id: int) -> int:
    """How many bytes of documents organisation ``cso_id`` keeps on its proposals."""
    documents = ProposalDocument.objects.filter(proposal__cso_id=cso_id)
    return documents.aggregate(total=Sum("size"))["total"] or 0


def concept_notes(call, *, waiting: bool):
    """A two-stage call's concept notes: those waiting for an answer (``waiting``), oldest
    first, or those answered (invited, since sent as full proposals, or declined)."""
    qs = Proposal.objects.filter(call=call).select_related("cso")
    if waiting:
        return qs.filter(status=Proposal.Status.CONCEPT_SENT).order_by("submitted_at", "pk")
    answered = Q(invited_at__isnull=False) | Q(
        stage=Proposal.Stage.CONCEPT, status=Proposal.Status.NOT_SELECTED
    )
    return qs.filter(answered).order_by("-invited_at", "-decided_at", "pk")
