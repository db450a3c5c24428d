"""Reads of calls and proposals, each a queryset with what its page needs fetched up front,
so a list costs the same number of queries whatever its length."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from contracts import permissions
from contracts.models import Call, Proposal
from portal.roles import Role, has_role

CLOSING_SOON_DAYS = 7


def call_base_queryset():
    return Call.objects.select_related("agency", "mission").prefetch_related(
        "eligible_provinces", "eligible_activity_fields"
    )


def calls_visible_to(user):
    """Published calls for everyone; drafts for their agency's officers and staff."""
    qs = call_base_queryset()
    if has_role(user, Role.STAFF_ADMIN):
        return qs
    visible = Q(status__in=permissions.PUBLIC_CALL_STATUSES)
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id:
        visible |= Q(agency_id=user.agency_id)
    return qs.filter(visible)


def call_get_for_user(user, pk) -> Call:
    try:
        return calls_visible_to(user).get(pk=pk)
    except (Call.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def filter_calls(
    qs,
    *,
    search="",
    agency="",
    instrument="",
    province="",
    activity_field="",
    closing_soon=False,
    now=None,
):
    """The public list's filters. A call open to every province (or field) matches any."""
    now = now or timezone.now()
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(mission__title_th__icontains=search)
            | Q(agency__name_th__icontains=search)
            | Q(agency__name_en__icontains=search)
        )
    if agency:
        qs = qs.filter(agency_id=agency)
    if instrument:
        qs = qs.filter(instrument=instrument)
    if province:
        qs = qs.filter(Q(eligible_provinces__code=province) | Q(eligible_provinces__isnull=True))
    if activity_field:
        qs = qs.filter(
            Q(eligible_activity_fields__code=activity_field)
            | Q(eligible_activity_fields__isnull=True)
        )
    if closing_soon:
        qs = qs.filter(
            status=Call.Status.OPEN,
            closes_at__gt=now,
            closes_at__lte=now + datetime.timedelta(days=CLOSING_SOON_DAYS),
        )
    return qs.distinct()


def open_calls(*, now=None, **filters):
    """The public list: calls taking (or about to take) proposals, closing soonest first."""
    now = now or timezone.now()
    qs = call_base_queryset().filter(status=Call.Status.OPEN, closes_at__gt=now)
    return filter_calls(qs, now=now, **filters).order_by("closes_at", "id")


PROPOSAL_COUNT_STATUSES = [s.value for s in Proposal.Status]


def agency_calls(agency_id, *, status=""):
    """All of an agency's calls with the number of proposals in each state (one query)."""
    counts = {
        f"n_{s}": Count("proposals", filter=Q(proposals__status=s), distinct=True)
        for s in PROPOSAL_COUNT_STATUSES
    }
    qs = (
        Call.objects.filter(agency_id=agency_id)
        .select_related("mission")
        .annotate(n_evaluators=Count("assignments", distinct=True), **counts)
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def proposal_base_queryset():
    from assessments.models import Review

    return Proposal.objects.select_related("call", "call__agency", "cso").prefetch_related(
        "budget_lines",
        "documents",
        Prefetch(
            "reviews",
            queryset=Review.objects.filter(status=Review.Status.SUBMITTED).order_by("id"),
            to_attr="submitted_reviews",
        ),
    )


def proposals_visible_to(user):
    """Their own CSO's proposals for members; sent proposals of the agency's calls for its
    officers; sent proposals of the calls they evaluate for evaluators; all sent for staff."""
    qs = proposal_base_queryset()
    if not (user and user.is_authenticated):
        return qs.none()
    visible = Q(pk__in=[])
    if has_role(user, Role.CSO_MEMBER) and user.cso_id:
        visible |= Q(cso_id=user.cso_id)
    sent = ~Q(status=Proposal.Status.DRAFT)
    if has_role(user, Role.STAFF_ADMIN):
        visible |= sent
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id:
        visible |= sent & Q(call__agency_id=user.agency_id)
    if has_role(user, Role.EVALUATOR):
        visible |= Q(status__in=Proposal.SENT) & Q(call__assignments__evaluator=user)
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


def evaluator_assignments(user):
    """The calls an evaluator sits on, with how many proposals wait and how many they have
    scored."""
    from assessments.models import Review

    in_review = list(Proposal.IN_REVIEW)
    return (
        Call.objects.filter(assignments__evaluator=user)
        .select_related("agency")
        .annotate(
            n_waiting=Count("proposals", filter=Q(proposals__status__in=in_review), distinct=True),
            n_done=Count(
                "proposals__reviews",
                filter=Q(
                    proposals__reviews__evaluator=user,
                    proposals__reviews__status__in=[
                        Review.Status.SUBMITTED,
                        Review.Status.RECUSED,
                    ],
                ),
                distinct=True,
            ),
        )
        .order_by("closes_at", "id")
    )


# --- agreements ----------------------------------------------------------------------------


def agreement_base_queryset():
    """An agreement with everything its page, its timeline and the API read."""
    from assessments.models import Evaluation
    from contracts.models import Agreement

    return Agreement.objects.select_related(
        "agency", "cso", "proposal", "proposal__call", "settlement", "signed_by"
    ).prefetch_related(
        "tranches",
        "reports",
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.prefetch_related("evaluators").order_by("due_on", "id"),
        ),
    )


def agreements_visible_to(user):
    """Officers see their agency's, members their CSO's, evaluators those they evaluate,
    staff and API clients all."""
    from assessments.models import Evaluation

    qs = agreement_base_queryset()
    if not (user and user.is_authenticated):
        return qs.none()
    if has_role(user, Role.STAFF_ADMIN) or has_role(user, Role.API_CLIENT):
        return qs
    visible = Q(pk__in=[])
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id:
        visible |= Q(agency_id=user.agency_id)
    if has_role(user, Role.CSO_MEMBER) and user.cso_id:
        visible |= Q(cso_id=user.cso_id)
    if has_role(user, Role.EVALUATOR):
        evaluated = Evaluation.objects.filter(evaluators=user).values("agreement_id")
        visible |= Q(pk__in=evaluated)
    return qs.filter(visible)  # a subquery, not a join: each agreement once, no DISTINCT


def agreement_get_for_user(user, pk):
    from contracts.models import Agreement

    try:
        return agreements_visible_to(user).get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
