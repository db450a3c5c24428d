"""Reads of calls, each a queryset with what its page needs fetched up front, so a list costs
the same number of queries whatever its length."""

import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from contracts.calls import permissions
from contracts.calls.models import Call
from contracts.proposals.models import Proposal
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


def forecast_calls(**filters):
    """Calls the agencies plan (forecasts), opening soonest first, with the same filters."""
    qs = Call.objects.select_related("agency").filter(status=Call.Status.FORECAST)
    return filter_calls(qs, **filters).order_by("opens_at", "id")


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


def matching_cso_ids(call) -> list[int]:
    """Approved organisations the call suits: serving one of its provinces and certified in
    one of its fields (a call open to every province or field matches any)."""
    from csos.models import CSO

    qs = CSO.objects.filter(status=CSO.Status.APPROVED)
    provinces = [p.code for p in call.eligible_provinces.all()]
    fields = [f.code for f in call.eligible_activity_fields.all()]
    if provinces:
        qs = qs.filter(service_provinces__code__in=provinces)
    if fields:
        qs = qs.filter(certified_fields__code__in=fields)
    return sorted(set(qs.values_list("pk", flat=True)))


def searchable_text(call) -> str:
    return " ".join([call.title, call.description, call.mission.title_th or ""]).lower()


def saved_searches_matching(call) -> list:
    from contracts.calls.models import SavedSearch

    fields = {f.code for f in call.eligible_activity_fields.all()}
    provinces = {p.code for p in call.eligible_provinces.all()}
    text = searchable_text(call)
    searches = SavedSearch.objects.filter(user__is_active=True).select_related("user")
    return [
        s for s in searches.iterator(chunk_size=2000) if s.matches(call, fields, provinces, text)
    ]
