"""The notice kinds and deadline rules of proposals: drafts when the call closes soon, proposals
waiting for a decision, and what the CSO is told of its proposal."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.selectors import agency_officers_later as officers_later
from contracts.calls.models import Call
from contracts.proposals.models import InformationRequest, Proposal
from csos.registration.selectors import cso_members_later as members_later
from portal.notices.kinds import Kind, register
from portal.notices.services import url_for
from portal.notices.sweep import Due, rule

# The kinds of notice sent here (positions interleave every app's kinds in lists).
register(
    Kind(
        "call_closing_soon",
        _("A call closes soon"),
        3,
        _("The call “%(call)s” closes on %(due)s"),
        _(
            "Your organisation's proposal “%(title)s” for the call “%(call)s” is still a "
            "draft. Submit it before %(due)s; the call takes no proposals after that."
        ),
        audience=_("CSO members with a draft proposal"),
        position=10,
    ),
    Kind(
        "full_proposal_due_soon",
        _("An invited full proposal is due soon"),
        3,
        _("Your full proposal for “%(call)s” is due on %(due)s"),
        _(
            "The agency invited your organisation to send a full proposal “%(title)s” for the "
            "call “%(call)s”. It is still a draft: submit it before %(due)s."
        ),
        audience=_("CSO members invited to send a full proposal"),
        position=13,
    ),
    Kind(
        "proposals_waiting",
        _("Proposals wait for review"),
        14,
        _("Proposals for “%(call)s” are waiting for a decision"),
        _(
            "The call “%(call)s” closed on %(since)s and %(count)s proposals still wait "
            "for scores or a decision."
        ),
        audience=_("the agency's officers and the call's evaluators"),
        position=40,
    ),
    Kind(
        "proposal_received",
        _("A proposal was received"),
        0,
        _("Proposal received: %(reference)s"),
        _(
            "The agency has received your proposal “%(title)s” for the call “%(call)s”. "
            "Its reference number is %(reference)s; requested amount %(amount)s baht; "
            "submitted %(when)s. You can download the receipt from the portal. The "
            "proposal can no longer be changed; you can still withdraw it until the "
            "agency decides."
        ),
        audience=_("CSO members"),
        position=180,
    ),
    Kind(
        "concept_received",
        _("A concept note was received"),
        0,
        _("Concept note received: %(reference)s"),
        _(
            "The agency has received your organisation's concept note “%(title)s” for the "
            "call “%(call)s” (reference %(reference)s, estimate %(amount)s baht, sent "
            "%(when)s). When the call closes, the agency invites the best concept notes to send "
            "a full proposal; you will be told either way."
        ),
        audience=_("CSO members"),
        position=181,
    ),
    Kind(
        "concept_invited",
        _("Invited to send a full proposal"),
        0,
        _("Invited to a full proposal: %(reference)s"),
        _(
            "The agency invites your organisation to turn the concept note “%(title)s” for the "
            "call “%(call)s” into a full proposal, due by %(due)s. It starts from your concept "
            "note: complete the remaining parts and submit it before then. %(note)s"
        ),
        audience=_("CSO members"),
        position=182,
    ),
    Kind(
        "concept_declined",
        _("A concept note was not taken further"),
        0,
        _("Concept note %(reference)s: not taken further"),
        _(
            "The agency will not invite a full proposal from the concept note “%(title)s” for "
            "the call “%(call)s”. Its reason: %(reason)s"
        ),
        audience=_("CSO members"),
        position=183,
    ),
    Kind(
        "information_requested",
        _("The agency asks more about a proposal"),
        0,
        _("More information requested: %(reference)s"),
        _(
            "Before deciding, the agency asks about your organisation's proposal “%(title)s” "
            "for the call “%(call)s”: %(questions)s You may change these parts: %(parts)s. "
            "Send the proposal again with your answer by %(due)s."
        ),
        audience=_("CSO members"),
        position=184,
    ),
    Kind(
        "information_due_soon",
        _("An answer to the agency's questions is due soon"),
        2,
        _("Your answer about “%(title)s” is due on %(due)s"),
        _(
            "The agency asked more about your organisation's proposal “%(title)s” for the "
            "call “%(call)s”. Send it again with your answer before %(due)s; after that it can "
            "no longer be changed."
        ),
        audience=_("CSO members asked for more information"),
        position=185,
    ),
    Kind(
        "information_received",
        _("An organisation answered the agency's questions"),
        0,
        _("Answer received: %(reference)s"),
        _(
            "%(cso)s answered the questions about its proposal “%(title)s” for the call "
            "“%(call)s” and sent it again. Its answer: %(answer)s The proposal's page shows "
            "what changed, word by word."
        ),
        audience=_("the agency's officers and the call's evaluators"),
        position=186,
    ),
    Kind(
        "information_overdue",
        _("No answer came by the reply-by date"),
        0,
        _("No answer by %(due)s: %(reference)s"),
        _(
            "%(cso)s did not answer the questions about its proposal “%(title)s” for the call "
            "“%(call)s” by %(due)s, and can no longer change it. Cancel the questions to decide "
            "on the proposal as it was sent, or do not select it."
        ),
        audience=_("the agency's officers"),
        position=187,
    ),
    Kind(
        "information_request_cancelled",
        _("The agency withdrew its questions"),
        0,
        _("Questions withdrawn: %(reference)s"),
        _(
            "The agency withdrew its questions about your organisation's proposal “%(title)s” "
            "for the call “%(call)s”: %(reason)s The proposal is back in review as it was "
            "first sent."
        ),
        audience=_("CSO members"),
        position=188,
    ),
    Kind(
        "presentation_scheduled",
        _("A vision presentation was scheduled"),
        0,
        _("Vision presentation scheduled: %(reference)s"),
        _(
            "Your proposal “%(title)s” is shortlisted. The agency invites you to present "
            "your vision and framework on %(when)s at %(where)s."
        ),
        audience=_("CSO members"),
        position=190,
    ),
    Kind(
        "proposal_decided",
        _("The agency decided on a proposal"),
        0,
        _("Decision on your proposal %(reference)s: %(status)s"),
        _(
            "The agency has decided on your proposal “%(title)s”: %(status)s. %(reason)s "
            "The evaluators' scores and comments are on the proposal's page."
        ),
        audience=_("CSO members"),
        position=200,
    ),
)


@rule("call_closing_soon")
def call_closing_soon(today, now, lead):
    drafts = Proposal.objects.filter(
        status=Proposal.Status.DRAFT,
        call__status=Call.Status.OPEN,
        call__closes_at__gt=now,
        call__closes_at__lte=now + datetime.timedelta(days=lead),
    ).select_related("call")
    for proposal in drafts:
        call = proposal.call
        yield Due(
            "call_closing_soon",
            [members_later(proposal.cso_id)],
            proposal,
            due_on=call.closes_at.date(),
            context={"call": call.title, "title": proposal.title, "due": call.closes_at.date()},
            url=url_for("proposal-detail", proposal.pk),
        )


@rule("full_proposal_due_soon")
def full_proposal_due_soon(today, now, lead):
    drafts = Proposal.objects.filter(
        status=Proposal.Status.DRAFT,
        invited_at__isnull=False,
        call__status=Call.Status.CLOSED,
        full_due_at__gt=now,
        full_due_at__lte=now + datetime.timedelta(days=lead),
    ).select_related("call")
    for proposal in drafts:
        yield Due(
            "full_proposal_due_soon",
            [members_later(proposal.cso_id)],
            proposal,
            due_on=proposal.full_due_at.date(),
            context={
                "call": proposal.call.title,
                "title": proposal.title,
                "due": proposal.full_due_at.date(),
            },
            url=url_for("proposal-detail", proposal.pk),
        )


def _open_requests():
    return InformationRequest.objects.filter(
        proposal__status=Proposal.Status.INFO_REQUESTED,
        answered_at__isnull=True,
        cancelled_at__isnull=True,
    ).select_related("proposal__call", "proposal__cso")


def _information_context(request: InformationRequest) -> dict:
    proposal = request.proposal
    return {
        "call": proposal.call.title,
        "title": proposal.title,
        "reference": proposal.reference,
        "cso": proposal.cso.name,
        "due": request.reply_by,
    }


@rule("information_due_soon")
def information_due_soon(today, now, lead):
    soon = _open_requests().filter(
        reply_by__gt=now, reply_by__lte=now + datetime.timedelta(days=lead)
    )
    for request in soon:
        yield Due(
            "information_due_soon",
            [members_later(request.proposal.cso_id)],
            request,
            due_on=timezone.localdate(request.reply_by),
            context=_information_context(request),
            url=url_for("proposal-detail", request.proposal_id),
        )


@rule("information_overdue")
def information_overdue(today, now, lead):
    for request in _open_requests().filter(reply_by__lte=now - datetime.timedelta(days=lead)):
        yield Due(
            "information_overdue",
            [officers_later(request.proposal.call.agency_id)],
            request,
            due_on=timezone.localdate(request.reply_by),
            context=_information_context(request),
            url=url_for("proposal-decide", request.proposal_id),
        )


@rule("proposals_waiting")
def proposals_waiting(today, now, lead):
    calls = (
        Call.objects.filter(
            status__in=[Call.Status.OPEN, Call.Status.CLOSED],
            closes_at__lte=now - datetime.timedelta(days=lead),
        )
        .annotate(
            waiting=Count("proposals", filter=Q(proposals__status__in=list(Proposal.IN_REVIEW)))
        )
        .filter(waiting__gt=0)
        .prefetch_related("evaluators")
    )
    for call in calls:
        since = call.closes_at.date()
        yield Due(
            "proposals_waiting",
            [officers_later(call.agency_id), *call.evaluators.all()],
            call,
            due_on=since + datetime.timedelta(days=lead),
            context={"call": call.title, "since": since, "count": call.waiting},
            url=url_for("call-ranking", call.pk),
        )
