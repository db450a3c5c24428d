"""Deadline rules for calls and agreements. Each selects what is due with an indexed query
on its date column, so a sweep costs what is due, not what exists; the dates themselves
come from contracts.deadlines."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from portal.notices import Due, rule, url_for
from portal.roles import Role

from .agreements import deadlines
from .models import Agreement, Call, Proposal

SLACK = datetime.timedelta(days=3)  # month arithmetic: widen the indexed range, then filter
LIVE = [Agreement.Status.ACTIVE, Agreement.Status.COMPLETED]


def members(cso_id):
    return list(
        get_user_model().objects.filter(
            cso_id=cso_id, is_active=True, role_rows__role=Role.CSO_MEMBER
        )
    )


def officers(agency_id):
    return list(
        get_user_model().objects.filter(
            agency_id=agency_id, is_active=True, role_rows__role=Role.AGENCY_OFFICER
        )
    )


def agreement_context(agreement, **more):
    return {
        "number": agreement.number,
        "title": agreement.title,
        "agency": agreement.agency.name_th,
        "end": agreement.end_date,
        **more,
    }


# --- calls ---------------------------------------------------------------------------------


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
            members(proposal.cso_id),
            proposal,
            due_on=call.closes_at.date(),
            context={"call": call.title, "title": proposal.title, "due": call.closes_at.date()},
            url=url_for("proposal-detail", proposal.pk),
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
            officers(call.agency_id) + list(call.evaluators.all()),
            call,
            due_on=since + datetime.timedelta(days=lead),
            context={"call": call.title, "since": since, "count": call.waiting},
            url=url_for("call-ranking", call.pk),
        )


# --- agreements: reports and evaluations ------------------------------------------------


def _reports(q):
    from .models import ProgressReport

    return ProgressReport.objects.filter(
        q, status__in=["due", "returned"], agreement__status__in=LIVE
    ).select_related("agreement", "agreement__agency")


@rule("report_due")
def report_due(today, now, lead):
    for report in _reports(Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(lead))):
        agreement = report.agreement
        yield Due(
            "report_due",
            members(agreement.cso_id),
            report,
            due_on=report.due_on,
            context=agreement_context(agreement, seq=report.seq, due=report.due_on),
            url=url_for("report-detail", agreement.pk, report.seq),
        )


@rule("report_overdue")
def report_overdue(today, now, lead):
    for report in _reports(Q(due_on__lte=today - datetime.timedelta(lead))):
        agreement = report.agreement
        yield Due(
            "report_overdue",
            members(agreement.cso_id) + officers(agreement.agency_id),
            report,
            due_on=report.due_on,
            context=agreement_context(agreement, seq=report.seq, due=report.due_on),
            url=url_for("report-detail", agreement.pk, report.seq),
        )


def _evaluations(q):
    from assessments.models import Evaluation

    return (
        Evaluation.objects.filter(q, status="scheduled", agreement__status__in=LIVE)
        .select_related("agreement", "agreement__agency")
        .prefetch_related("evaluators")
    )


def _evaluation_due(kind, evaluation):
    agreement = evaluation.agreement
    return Due(
        kind,
        officers(agreement.agency_id) + list(evaluation.evaluators.all()),
        evaluation,
        due_on=evaluation.due_on,
        context=agreement_context(
            agreement, evaluation=evaluation.get_kind_display(), due=evaluation.due_on
        ),
        url=url_for("evaluation-detail", evaluation.pk),
    )


@rule("evaluation_due")
def evaluation_due(today, now, lead):
    window = Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(lead))
    for evaluation in _evaluations(window):
        yield _evaluation_due("evaluation_due", evaluation)


@rule("evaluation_overdue")
def evaluation_overdue(today, now, lead):
    for evaluation in _evaluations(Q(due_on__lte=today - datetime.timedelta(lead))):
        yield _evaluation_due("evaluation_overdue", evaluation)


# --- agreements: settlement and the end ----------------------------------------------------


def _unsettled(q):
    return Agreement.objects.filter(q, status__in=LIVE, settlement__isnull=True).select_related(
        "agency"
    )


@rule("settlement_due")
def settlement_due(today, now, lead):
    last = today + datetime.timedelta(lead)
    window = Q(
        end_date__gte=deadlines.add_months(today, -deadlines.SETTLEMENT_MONTHS) - SLACK,
        end_date__lte=deadlines.add_months(last, -deadlines.SETTLEMENT_MONTHS) + SLACK,
    )
    for agreement in _unsettled(window):
        due = deadlines.settlement_due(agreement.end_date)
        if today <= due <= last:
            yield Due(
                "settlement_due",
                members(agreement.cso_id),
                agreement,
                due_on=due,
                context=agreement_context(agreement, due=due),
                url=url_for("agreement-detail", agreement.pk),
            )


@rule("settlement_overdue")
def settlement_overdue(today, now, lead):
    cutoff = today - datetime.timedelta(lead)
    window = Q(end_date__lte=deadlines.add_months(cutoff, -deadlines.SETTLEMENT_MONTHS) + SLACK)
    for agreement in _unsettled(window):
        due = deadlines.settlement_due(agreement.end_date)
        if due <= cutoff:
            yield Due(
                "settlement_overdue",
                members(agreement.cso_id) + officers(agreement.agency_id),
                agreement,
                due_on=due,
                context=agreement_context(agreement, due=due),
                url=url_for("agreement-detail", agreement.pk),
            )


def _ending(today, lead):
    """Running agreements whose 3-month warning day falls within ``lead`` days or has
    passed, and which have not ended yet."""
    horizon = deadlines.add_months(today + datetime.timedelta(lead), deadlines.END_NOTICE_MONTHS)
    return Agreement.objects.filter(
        status=Agreement.Status.ACTIVE, end_date__gt=today, end_date__lte=horizon + SLACK
    ).select_related("agency")


@rule("partnership_ending")
def partnership_ending(today, now, lead):
    """The CSO is warned at least 3 months before the end date, whether the agreement ends
    by its term or by an end notice (a new end date is a new warning)."""
    for agreement in _ending(today, lead):
        warn_by = deadlines.end_warning_due(agreement.end_date)
        if warn_by - datetime.timedelta(lead) <= today:
            yield Due(
                "partnership_ending",
                members(agreement.cso_id),
                agreement,
                due_on=warn_by,
                context=agreement_context(agreement),
                url=url_for("agreement-detail", agreement.pk),
            )


@rule("end_warning_late")
def end_warning_late(today, now, lead):
    """An agreement is less than 3 months from its end and the CSO was not warned in time:
    the officers are alerted."""
    from django.contrib.contenttypes.models import ContentType

    from portal.models import Notice

    ct = ContentType.objects.get_for_model(Agreement)
    for agreement in _ending(today, 0):
        warn_by = deadlines.end_warning_due(agreement.end_date)
        if today <= warn_by:
            continue
        warned = Notice.objects.filter(
            kind__in=["partnership_ending", "end_notice"],
            content_type=ct,
            object_id=str(agreement.pk),
            created_at__date__lte=warn_by,
        ).exists()
        if not warned:
            yield Due(
                "end_warning_late",
                officers(agreement.agency_id),
                agreement,
                due_on=warn_by,
                context=agreement_context(agreement, due=warn_by),
                url=url_for("agreement-detail", agreement.pk),
            )
