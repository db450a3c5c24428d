"""What waits on proposals: the officer's decisions, and the CSO member's drafts and the open
calls their organisation is eligible for."""

from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.calls.models import Call
from contracts.calls.queues import call_item
from contracts.calls.selectors import call_base_queryset, open_calls
from contracts.proposals.models import Proposal
from contracts.proposals.rules import eligibility_problems_for
from contracts.proposals.selectors import proposals_visible_to
from csos.models import CSO
from portal.home.registry import SHOWN, Item, Queue, first_rows, register_queue
from portal.roles import Role


@register_queue("proposals_to_decide", Role.AGENCY_OFFICER, order=10)
def proposals_to_decide(user, today):
    """Proposals sent to the agency's calls and not yet decided, the longest waiting first."""
    if not user.agency_id:
        return None
    visible = proposals_visible_to(user).values("pk")
    qs = (
        Proposal.objects.filter(
            pk__in=visible, call__agency_id=user.agency_id, status__in=Proposal.IN_REVIEW
        )
        .select_related("cso", "call")
        .order_by("submitted_at", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="proposals_to_decide",
        title=_("Proposals waiting for a decision"),
        date_label=_("Sent on"),
        items=[
            Item(
                text=f"{p.title} — {p.cso.name}",
                url=reverse("proposal-detail", args=[p.pk]),
                date=p.submitted_at,
                note=p.call.title,
            )
            for p in rows
        ],
        count=count,
        see_all=reverse("proposal-list") + "?status=submitted",
    )


@register_queue("proposal_drafts", Role.CSO_MEMBER, order=20)
def proposal_drafts(user, today):
    """The organisation's proposals still in draft, the oldest first."""
    if not user.cso_id:
        return None
    qs = (
        Proposal.objects.filter(cso_id=user.cso_id, status=Proposal.Status.DRAFT)
        .select_related("call")
        .order_by("created_at", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="proposal_drafts",
        title=_("Proposal drafts to finish"),
        date_label=_("Call closes on"),
        items=[
            Item(
                text=p.title or p.call.title,
                url=reverse("proposal-detail", args=[p.pk]),
                date=p.call.closes_at,
                overdue=timezone.localtime(p.call.closes_at).date() < today,
                note=p.call.title,
            )
            for p in rows
        ],
        count=count,
        see_all=reverse("my-proposals") + "?status=draft",
    )


@register_queue("eligible_calls", Role.CSO_MEMBER, order=10)
def eligible_calls(user, today):
    """Open calls the organisation may answer, closing soonest first. Eligibility is the
    proposals' rule (``eligibility_problems``: approved, one of the call's provinces, one of
    its certified fields), asked of each open call; the calls and their provinces and fields
    come in a fixed number of queries, whatever their number. Of the open calls (hundreds
    nationally) only the pks and codes the rule asks are read, the few shown in full."""
    if not user.cso_id:
        return None
    cso = CSO.objects.prefetch_related(
        "service_provinces", "certified_fields", "activity_fields"
    ).get(pk=user.cso_id)
    calls = list(open_calls().values_list("pk", flat=True))
    provinces, fields = defaultdict(set), defaultdict(set)
    for codes, m2m, column in (
        (provinces, Call.eligible_provinces, "province_id"),
        (fields, Call.eligible_activity_fields, "activityfield_id"),
    ):
        for call_id, code in m2m.through.objects.filter(call_id__in=calls).values_list(
            "call_id", column
        ):
            codes[call_id].add(code)
    eligible = [
        pk
        for pk in calls
        if not eligibility_problems_for(cso, provinces=provinces[pk], fields=fields[pk])
    ]
    shown = call_base_queryset().in_bulk(eligible[:SHOWN])
    return Queue(
        key="eligible_calls",
        title=_("Open calls your organisation may answer"),
        date_label=_("Closes on"),
        items=[call_item(shown[pk], today) for pk in eligible[:SHOWN]],
        count=len(eligible),
        see_all=reverse("call-list"),
    )
