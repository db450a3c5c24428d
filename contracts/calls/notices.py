"""The notice kinds and deadline rules of calls: the officers hear that a call has closed."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from agencies.selectors import agency_officers_later as officers_later
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
    Kind(
        "call_addendum",
        _("A call you are drafting for has changed"),
        0,
        _("The call “%(call)s” has changed (addendum %(number)s)"),
        _(
            "The call “%(call)s”, for which your organisation has a draft proposal, was "
            "changed on %(due)s: %(summary)s. Read the addendum on the call's page before you "
            "submit."
        ),
        audience=_("CSO members with a draft proposal"),
        position=11,
    ),
    Kind(
        "call_question_answered",
        _("Your question on a call is answered"),
        0,
        _("Your question on “%(call)s” is answered"),
        _(
            "The agency answered your organisation's question on the call “%(call)s”. The "
            "answer is published on the call's page for every organisation, without saying "
            "who asked."
        ),
        audience=_("CSO members who asked about a call"),
        position=12,
    ),
    Kind(
        "call_matching",
        _("A call that suits your organisation has opened"),
        0,
        _("A new call suits your organisation: “%(call)s”"),
        _(
            "%(agency)s has opened the call “%(call)s”, in a field your organisation is "
            "certified in and a province it serves. It closes on %(due)s."
        ),
        audience=_("members of approved CSOs the call suits"),
        position=13,
    ),
    Kind(
        "call_saved_search",
        _("A new call matches your saved search"),
        0,
        _("A new call matches your search: “%(call)s”"),
        _(
            "%(agency)s has opened the call “%(call)s”, which matches a search you saved. It "
            "closes on %(due)s."
        ),
        audience=_("CSO members with a saved search"),
        position=14,
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
            [officers_later(call.agency_id)],
            call,
            due_on=call.closes_at.date(),
            context={"call": call.title, "due": call.closes_at.date(), "count": call.sent},
            url=url_for("call-detail", call.pk),
        )
