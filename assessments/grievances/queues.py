"""What waits on grievances: for verifiers, those to route (the late ones flagged); for an
agency's officers, those routed to the agency to answer (the late ones flagged)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.grievances.models import Grievance
from portal.home.registry import Item, Queue, first_rows, register_queue
from portal.roles import Role, is_grievance_verifier

GS = Grievance.Status


def _items(rows, today, *, due):
    return [
        Item(
            text=f"{g.tracking_id} {g.title}",
            url=reverse("grievance-handle", args=[g.pk]),
            date=getattr(g, due),
            overdue=g.late_on(today),
            note=g.get_kind_display(),
        )
        for g in rows
    ]


@register_queue("grievances_to_route", Role.STAFF_ADMIN, Role.AGENCY_OFFICER, order=35)
def grievances_to_route(user, today):
    """Received grievances, the earliest due first (verifiers only)."""
    if not is_grievance_verifier(user):
        return None
    qs = Grievance.objects.filter(status=GS.RECEIVED).order_by("route_by", "pk")
    rows, count = first_rows(qs)
    return Queue(
        key="grievances_to_route",
        title=_("Grievances to route"),
        date_label=_("Route by"),
        items=_items(rows, today, due="route_by"),
        count=count,
        see_all=reverse("grievance-list") + "?status=received",
    )


@register_queue("grievances_to_answer", Role.AGENCY_OFFICER, order=36)
def grievances_to_answer(user, today):
    """Grievances routed to the officer's agency, the earliest due first."""
    if not user.agency_id:
        return None
    qs = Grievance.objects.filter(status=GS.ROUTED, agency_id=user.agency_id).order_by(
        "respond_by", "pk"
    )
    rows, count = first_rows(qs)
    return Queue(
        key="grievances_to_answer",
        title=_("Grievances to answer"),
        date_label=_("Answer by"),
        items=_items(rows, today, due="respond_by"),
        count=count,
        see_all=reverse("grievance-list") + "?status=routed",
    )
