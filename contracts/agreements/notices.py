"""The notice kinds and deadline rules of agreements: reports, settlement, tranches, the offer,
the end notice and the 3-month warning before a partnership ends. Each rule selects what is due
with an indexed query on its date column, so a sweep costs what is due, not what exists; the
dates themselves come from contracts.agreements.deadlines."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from agencies.selectors import agency_officers as officers
from agencies.selectors import agency_officers_later as officers_later
from contracts.agreements import deadlines
from contracts.agreements.models import Agreement, ProgressReport, Tranche
from contracts.agreements.rules import REPORT_OPEN
from csos.bank.rules import masked
from csos.bank.signals import bank_account_changed
from csos.registration.selectors import cso_members_later as members_later
from portal.notices.kinds import Kind, register
from portal.notices.models import Notice
from portal.notices.selectors import not_yet_notified
from portal.notices.services import notify, url_for
from portal.notices.sweep import Due, rule

SLACK = datetime.timedelta(days=3)  # month arithmetic: widen the indexed range, then filter
LIVE = [Agreement.Status.ACTIVE, Agreement.Status.COMPLETED]

# The kinds of notice sent here (positions interleave every app's kinds in lists).
register(
    Kind(
        "report_due",
        _("A progress report falls due"),
        7,
        _("Progress report %(seq)s of %(number)s is due on %(due)s"),
        _("Send progress report %(seq)s of the agreement %(number)s “%(title)s” by %(due)s."),
        audience=_("CSO members"),
        position=50,
    ),
    Kind(
        "report_overdue",
        _("A progress report is overdue"),
        1,
        _("Progress report %(seq)s of %(number)s is overdue"),
        _(
            "Progress report %(seq)s of the agreement %(number)s “%(title)s” was due on "
            "%(due)s and has not been accepted."
        ),
        audience=_("CSO members and the agency's officers"),
        position=60,
    ),
    Kind(
        "report_returned",
        _("A progress report was returned"),
        0,
        _("Progress report %(seq)s of %(number)s was returned"),
        _("The agency returned progress report %(seq)s with comments: %(comment)s"),
        audience=_("CSO members"),
        position=70,
    ),
    Kind(
        "settlement_due",
        _("The settlement falls due"),
        14,
        _("The settlement of %(number)s is due on %(due)s"),
        _(
            "State what was spent under the agreement %(number)s “%(title)s” by %(due)s, "
            "2 months after it ended."
        ),
        legal=True,
        audience=_("CSO members"),
        position=100,
    ),
    Kind(
        "settlement_overdue",
        _("The settlement is overdue"),
        1,
        _("The settlement of %(number)s is overdue"),
        _("The settlement of the agreement %(number)s “%(title)s” was due on %(due)s."),
        legal=True,
        audience=_("CSO members and the agency's officers"),
        position=110,
    ),
    Kind(
        "partnership_ending",
        _("A partnership is going to end"),
        14,
        _("The partnership %(number)s ends on %(end)s"),
        _(
            "The agreement %(number)s “%(title)s” with %(agency)s ends on %(end)s. This "
            "is the notice of at least 3 months that the partnership is ending."
        ),
        legal=True,
        audience=_("CSO members"),
        position=120,
    ),
    Kind(
        "end_warning_late",
        _("The 3-month end warning is late"),
        0,
        _("No 3-month warning went out for %(number)s"),
        _(
            "The agreement %(number)s “%(title)s” ends on %(end)s, less than 3 months "
            "away, and the organisation was not warned by %(due)s. Contact it now."
        ),
        legal=True,
        audience=_("the agency's officers"),
        position=130,
    ),
    Kind(
        "end_notice",
        _("Notice to end a partnership"),
        0,
        _("Notice: the partnership %(number)s ends on %(end)s"),
        _(
            "%(agency)s gives notice that the agreement %(number)s “%(title)s” ends on "
            "%(end)s. Reason: %(reason)s"
        ),
        legal=True,
        audience=_("CSO members"),
        position=140,
    ),
    Kind(
        "agreement_offered",
        _("An agreement is offered"),
        0,
        _("%(agency)s offers you the agreement %(number)s"),
        _("Read the terms of %(number)s “%(title)s” in the portal, then sign or decline."),
        audience=_("CSO members"),
        position=150,
    ),
    Kind(
        "agreement_terminated",
        _("An agreement was terminated"),
        0,
        _("The agreement %(number)s was terminated"),
        _("The agreement %(number)s “%(title)s” was terminated. Reason: %(reason)s"),
        legal=True,
        audience=_("CSO members"),
        position=160,
    ),
    Kind(
        "tranche_released",
        _("A tranche was released"),
        0,
        _("Tranche %(seq)s of %(number)s was released"),
        _("Tranche %(seq)s of the agreement %(number)s, %(amount)s baht, was released."),
        audience=_("CSO members"),
        position=210,
    ),
    Kind(
        "tranche_paid",
        _("A tranche was paid"),
        0,
        _("Tranche %(seq)s of %(number)s was paid"),
        _(
            "Tranche %(seq)s of the agreement %(number)s, %(amount)s baht, was paid "
            "(reference %(reference)s)."
        ),
        audience=_("CSO members"),
        position=220,
    ),
    Kind(
        "payment_requested",
        _("A tranche paid on request is asked for"),
        0,
        _("%(cso)s asks for tranche %(seq)s of %(number)s"),
        _(
            "%(cso)s asks for tranche %(seq)s of the agreement %(number)s “%(title)s”, "
            "%(amount)s baht, citing progress report %(report)s. Approve it by releasing the "
            "tranche, or return it with a reason."
        ),
        audience=_("the agency's officers"),
        position=222,
    ),
    Kind(
        "payment_request_returned",
        _("A payment request was returned"),
        0,
        _("Your request for tranche %(seq)s of %(number)s was returned"),
        _(
            "The agency returned your request for tranche %(seq)s of the agreement "
            "%(number)s “%(title)s”: %(reason)s You may ask again."
        ),
        audience=_("CSO members"),
        position=223,
    ),
    Kind(
        "partner_bank_account_changed",
        _("A partner changed its bank account"),
        0,
        _("%(cso)s changed the bank account for %(number)s"),
        _(
            "%(cso)s, the partner under the agreement %(number)s “%(title)s”, changed the "
            "account its payments go to: now %(bank)s, account %(account)s in the name of "
            "%(account_name)s. Tranches released from now on are paid into it; check the "
            "change with the organisation before the next release."
        ),
        audience=_("the agency's officers"),
        position=225,
    ),
    Kind(
        "expense_queried",
        _("The agency asks about an expense"),
        0,
        _("A question about an expense under %(number)s"),
        _(
            "The agency asks about the expense of %(amount)s baht paid to %(payee)s under "
            "the agreement %(number)s “%(title)s”: %(reason)s Answer it on the agreement's "
            "expenses page."
        ),
        audience=_("CSO members"),
        position=226,
    ),
    Kind(
        "expense_answered",
        _("The organisation answered about an expense"),
        0,
        _("%(cso)s answered about an expense under %(number)s"),
        _(
            "%(cso)s answered your question about the expense of %(amount)s baht paid to "
            "%(payee)s under %(number)s “%(title)s”: %(reason)s Check it again."
        ),
        audience=_("the agency's officers"),
        position=227,
    ),
    Kind(
        "variation_proposed",
        _("A variation of an agreement is proposed"),
        0,
        _("Variation %(seq)s of %(number)s is proposed"),
        _(
            "A variation of the agreement %(number)s “%(title)s” with %(agency)s is proposed: "
            "%(reason)s Read it on the agreement's variations page and agree or decline."
        ),
        audience=_("the other side of the agreement"),
        position=235,
    ),
    Kind(
        "variation_agreed",
        _("A variation was agreed"),
        0,
        _("Variation %(seq)s of %(number)s is agreed"),
        _(
            "The variation %(seq)s of the agreement %(number)s “%(title)s” was agreed and is "
            "now part of the agreement; the tranches still to be released are re-planned."
        ),
        audience=_("the side that proposed it"),
        position=236,
    ),
    Kind(
        "variation_declined",
        _("A variation was declined"),
        0,
        _("Variation %(seq)s of %(number)s is declined"),
        _(
            "The variation %(seq)s of the agreement %(number)s “%(title)s” was declined: "
            "%(reason)s The agreement stays as it was."
        ),
        audience=_("the side that proposed it"),
        position=237,
    ),
)


@receiver(bank_account_changed, dispatch_uid="agreements-tell-paying-agencies")
def tell_paying_agencies(sender, *, account, actor, audit, **kwargs):
    """The agencies with money still to pay the organisation (a live agreement with a
    tranche not yet paid) hear of a change of its account at once, inside the change's
    transaction: a release reads the new account, so the officer should know before the
    next one. One notice per agreement and change (the audit row tells changes apart)."""
    paying = (
        Agreement.objects.filter(cso_id=account.cso_id, status__in=LIVE)
        .filter(tranches__status__in=[Tranche.Status.SCHEDULED, Tranche.Status.RELEASED])
        .select_related("agency", "cso")
        .distinct()
        .order_by("pk")
    )
    for agreement in paying:
        notify(
            "partner_bank_account_changed",
            officers(agreement.agency_id),
            agreement,
            context=agreement_context(
                agreement,
                cso=agreement.cso.name_th,
                bank=account.bank.name_th,
                account=masked(account.account_number),
                account_name=account.account_name,
            ),
            url=url_for("agreement-detail", agreement.pk),
            extra=f"bank-{audit.pk}",
        )


def agreement_context(agreement, **more):
    return {
        "number": agreement.number,
        "title": agreement.title,
        "agency": agreement.agency.name_th,
        "end": agreement.end_date,
        **more,
    }


def _reports(q, kind):
    """Reports still to send under a running agreement, not yet notified of ``kind`` for
    their due date: a cancelled one, or one due after the agreement's end (which an end
    notice never leaves), gets no notice."""
    reports = ProgressReport.objects.filter(
        q,
        status__in=REPORT_OPEN,
        agreement__status__in=LIVE,
        due_on__lte=F("agreement__end_date"),
    )
    return not_yet_notified(reports, kind, due_on=OuterRef("due_on")).select_related(
        "agreement", "agreement__agency"
    )


@rule("report_due")
def report_due(today, now, lead):
    window = Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(lead))
    for report in _reports(window, "report_due"):
        agreement = report.agreement
        yield Due(
            "report_due",
            [members_later(agreement.cso_id)],
            report,
            due_on=report.due_on,
            context=agreement_context(agreement, seq=report.seq, due=report.due_on),
            url=url_for("report-detail", agreement.pk, report.seq),
        )


@rule("report_overdue")
def report_overdue(today, now, lead):
    for report in _reports(Q(due_on__lte=today - datetime.timedelta(lead)), "report_overdue"):
        agreement = report.agreement
        yield Due(
            "report_overdue",
            [members_later(agreement.cso_id), officers_later(agreement.agency_id)],
            report,
            due_on=report.due_on,
            context=agreement_context(agreement, seq=report.seq, due=report.due_on),
            url=url_for("report-detail", agreement.pk, report.seq),
        )


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
                [members_later(agreement.cso_id)],
                agreement,
                due_on=due,
                context=agreement_context(agreement, due=due),
                url=url_for("agreement-detail", agreement.pk),
            )


@rule("settlement_overdue")
def settlement_overdue(today, now, lead):
    cutoff = today - datetime.timedelta(lead)
    window = Q(end_date__lte=deadlines.add_months(cutoff, -deadlines.SETTLEMENT_MONTHS) + SLACK)
    # Told already: a notice due after the end date (an end moved past it is due again).
    unsettled = not_yet_notified(
        _unsettled(window), "settlement_overdue", due_on__gt=OuterRef("end_date")
    )
    for agreement in unsettled:
        due = deadlines.settlement_due(agreement.end_date)
        if due <= cutoff:
            yield Due(
                "settlement_overdue",
                [members_later(agreement.cso_id), officers_later(agreement.agency_id)],
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
                [members_later(agreement.cso_id)],
                agreement,
                due_on=warn_by,
                context=agreement_context(agreement),
                url=url_for("agreement-detail", agreement.pk),
            )


@rule("end_warning_late")
def end_warning_late(today, now, lead):
    """An agreement is less than 3 months from its end and the CSO was not warned in time:
    the officers are alerted."""
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
                [officers_later(agreement.agency_id)],
                agreement,
                due_on=warn_by,
                context=agreement_context(agreement, due=warn_by),
                url=url_for("agreement-detail", agreement.pk),
            )
