"""The notice kinds and deadline rules of calls: the officers hear that a call has closed."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from agencies.selectors import agency_officers as officers
from contracts.calls.models import Call
from contracts.proposals.models import Proposal
from portal.notices.kinds import Kind, register
from portal.notices.services import url_for
from portal.notices.sweep import Due, rule

# The kinds of notice sent here (positions interleave every app's kinds in lists).
register(
    Kind(
        "call_closed",
        _("A call has closed"),
        0,
        _("The call “%(call)s” has closed"),
        _(
            "The call “%(call)s” closed on %(due)s with %(count)s proposals. The "
            "evaluators can finish their scores and you can decide."
        ),
        audience=_("the agency's officers"),
        position=20,
    ),
)


@rule("call_closed")
def call_closed(today, now, lead):
    calls = Call.objects.filter(
        status__in=[Call.Status.OPEN, Call.Status.CLOSED, Call.Status.AWARDED],
        closes_at__lte=now - datetime.timedelta(days=lead),
        closes_at__gt=now - datetime.timedelta(days=lead + 7),
    ).annotate(sent=Count("proposals", filter=Q(proposals__status__in=list(Proposal.SENT))))
    for call in calls:
        yield Due(
            "call_closed",
            officers(call.agency_id),
            call,
            due_on=call.closes_at.date(),
            context={"call": call.title, "due": call.closes_at.date(), "count": call.sent},
            url=url_for("call-detail", call.pk),
        )
