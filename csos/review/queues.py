"""What waits on the National Committee's reviewers: registrations sent for review."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from csos.review.selectors import review_queue
from portal.home.registry import Item, Queue, first_rows, register_queue
from portal.roles import Role


@register_queue("registrations_waiting", Role.COMMITTEE_REVIEWER, order=10)
def registrations_waiting(user, today):
    """Registrations sent for review, the longest waiting first, with how long each has
    waited."""
    qs = review_queue().prefetch_related(None)  # the committee's own list, oldest first
    rows, count = first_rows(qs)
    items = []
    for cso in rows:
        since = timezone.localtime(cso.submitted_at).date() if cso.submitted_at else None
        days = (today - since).days if since else 0
        items.append(
            Item(
                text=cso.name,
                url=reverse("review-detail", args=[cso.pk]),
                date=since,
                note=ngettext("waiting %(days)s day", "waiting %(days)s days", days)
                % {"days": days},
            )
        )
    return Queue(
        key="registrations_waiting",
        title=_("Registrations waiting for review"),
        date_label=_("Sent on"),
        items=items,
        count=count,
        see_all=reverse("review-queue"),
    )
