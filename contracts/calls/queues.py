"""What waits on calls: the officer's calls closing soon."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.calls.models import Call
from contracts.calls.selectors import calls_visible_to
from portal.home.registry import Item, Queue, first_rows, register_queue
from portal.roles import Role

CLOSING_WITHIN_DAYS = 30


def call_item(call, today, note=""):
    return Item(
        text=call.title,
        url=reverse("call-detail", args=[call.pk]),
        date=timezone.localtime(call.closes_at).date(),
        note=note or call.agency.name,
    )


@register_queue("calls_closing", Role.AGENCY_OFFICER, order=60)
def calls_closing(user, today):
    """The agency's open calls closing within 30 days, the soonest first."""
    if not user.agency_id:
        return None
    now = timezone.now()
    qs = (
        calls_visible_to(user)
        .prefetch_related(None)
        .filter(
            agency_id=user.agency_id,
            status=Call.Status.OPEN,
            closes_at__gt=now,
            closes_at__lte=now + datetime.timedelta(days=CLOSING_WITHIN_DAYS),
        )
        .order_by("closes_at", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="calls_closing",
        title=_("Calls closing within 30 days"),
        date_label=_("Closes on"),
        items=[call_item(c, today) for c in rows],
        count=count,
        see_all=reverse("agency-calls") + "?status=open",
    )
