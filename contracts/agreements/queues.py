"""What waits on agreements: reports to check, tranches to release and partnerships ending
(officers), reports due and offers to sign (CSO members), and what is overdue (staff)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from contracts.agreements.deadlines import END_NOTICE_MONTHS
from contracts.agreements.models import Agreement, PaymentRequest, ProgressReport, Tranche
from contracts.agreements.selectors import of_agency_agreements
from portal.dates import add_months
from portal.home.registry import Item, Queue, first_rows, register_queue
from portal.roles import Role

AS = Agreement.Status
RS = ProgressReport.Status
RUNNING = [AS.ACTIVE, AS.COMPLETED]


def _report_items(rows, today):
    return [
        Item(
            text=f"{r.agreement.number} {r.agreement.title}",
            url=reverse("report-detail", args=[r.agreement_id, r.seq]),
            date=r.due_on,
            overdue=r.due_on < today and r.status in (RS.DUE, RS.RETURNED),
            note=_("Report %(seq)s — %(cso)s") % {"seq": r.seq, "cso": r.agreement.cso.name},
        )
        for r in rows
    ]


def _tranche_items(rows, today):
    return [
        Item(
            text=f"{t.agreement.number} {t.agreement.title}",
            url=reverse("agreement-detail", args=[t.agreement_id]) + "#money-title",
            date=t.planned_on,
            overdue=bool(t.planned_on and t.planned_on < today),
            note=_("Tranche %(seq)s — %(cso)s") % {"seq": t.seq, "cso": t.agreement.cso.name},
        )
        for t in rows
    ]


@register_queue("reports_to_check", Role.AGENCY_OFFICER, order=20)
def reports_to_check(user, today):
    """Progress reports sent by the CSOs and waiting for the officer, the oldest first."""
    if not user.agency_id:
        return None
    qs = (
        ProgressReport.objects.filter(of_agency_agreements(user), status=RS.SUBMITTED)
        .select_related("agreement", "agreement__cso")
        .order_by("submitted_at", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="reports_to_check",
        title=_("Progress reports to check"),
        date_label=_("Due on"),
        items=_report_items(rows, today),
        count=count,
        see_all=reverse("report-list") + "?status=submitted",
    )


@register_queue("tranches_to_release", Role.AGENCY_OFFICER, order=30)
def tranches_to_release(user, today):
    """Scheduled tranches of the agency's running agreements whose date has come (or that
    have no date), and those paid on request that the organisation has asked for, whatever
    their date, the earliest first. Whether each may be released now is asked on the
    agreement's page (``can_release_tranche``)."""
    if not user.agency_id:
        return None
    asked = PaymentRequest.objects.filter(status=PaymentRequest.Status.PENDING)
    qs = (
        Tranche.objects.filter(
            of_agency_agreements(user),
            agreement__status__in=RUNNING,
            status=Tranche.Status.SCHEDULED,
        )
        .filter(
            (
                ~Q(condition=Tranche.Condition.ON_REQUEST)
                & (Q(planned_on__isnull=True) | Q(planned_on__lte=today))
            )
            | Q(pk__in=asked.values("tranche_id"))
        )
        .select_related("agreement", "agreement__cso")
        .order_by("planned_on", "agreement_id", "seq")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="tranches_to_release",
        title=_("Tranches to release"),
        date_label=_("Planned for"),
        items=_tranche_items(rows, today),
        count=count,
        see_all=reverse("agreement-list") + "?status=active",
    )


@register_queue("agreements_ending", Role.AGENCY_OFFICER, order=50)
def agreements_ending(user, today):
    """Running agreements of the agency ending within 3 months, the soonest first."""
    if not user.agency_id:
        return None
    qs = (
        Agreement.objects.filter(
            of_agency_agreements(user, path=""),
            status=AS.ACTIVE,
            end_date__lte=add_months(today, END_NOTICE_MONTHS),
        )
        .select_related("cso")
        .order_by("end_date", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="agreements_ending",
        title=_("Agreements ending within 3 months"),
        date_label=_("Ends on"),
        items=[
            Item(
                text=f"{a.number} {a.title}",
                url=reverse("agreement-detail", args=[a.pk]),
                date=a.end_date,
                overdue=a.end_date < today,
                note=a.cso.name,
            )
            for a in rows
        ],
        count=count,
        see_all=reverse("agreement-list") + "?status=active",
    )


@register_queue("reports_due", Role.CSO_MEMBER, order=30)
def reports_due(user, today):
    """The organisation's progress reports to send (due or returned), the earliest first."""
    if not user.cso_id:
        return None
    qs = (
        ProgressReport.objects.filter(
            agreement__cso_id=user.cso_id,
            agreement__status__in=RUNNING,
            status__in=[RS.DUE, RS.RETURNED],
        )
        .select_related("agreement", "agreement__cso")
        .order_by("due_on", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="reports_due",
        title=_("Progress reports due"),
        date_label=_("Due on"),
        items=_report_items(rows, today),
        count=count,
        see_all=reverse("agreement-list") + "?status=active",
    )


@register_queue("offers_to_sign", Role.CSO_MEMBER, order=40)
def offers_to_sign(user, today):
    """Agreements offered to the organisation and waiting for its signature."""
    if not user.cso_id:
        return None
    qs = (
        Agreement.objects.filter(cso_id=user.cso_id, status=AS.OFFERED)
        .select_related("agency")
        .order_by("created_at", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="offers_to_sign",
        title=_("Offers to sign"),
        date_label=_("Offered on"),
        items=[
            Item(
                text=f"{a.number} {a.title}",
                url=reverse("agreement-detail", args=[a.pk]),
                date=a.created_at,
                note=a.agency.name,
            )
            for a in rows
        ],
        count=count,
        see_all=reverse("agreement-list") + "?status=offered",
    )


@register_queue("overdue_reports", Role.STAFF_ADMIN, order=10)
def overdue_reports(user, today):
    """Progress reports past their due date and not sent, across every agency."""
    qs = (
        ProgressReport.objects.filter(
            agreement__status__in=RUNNING, status__in=[RS.DUE, RS.RETURNED], due_on__lt=today
        )
        .select_related("agreement", "agreement__cso")
        .order_by("due_on", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="overdue_reports",
        title=_("Overdue progress reports"),
        date_label=_("Due on"),
        items=_report_items(rows, today),
        count=count,
        see_all=reverse("report-list") + "?status=due",
    )


@register_queue("overdue_tranches", Role.STAFF_ADMIN, order=20)
def overdue_tranches(user, today):
    """Tranches past their planned date and not released, across every agency (a tranche
    paid on request waits for the organisation, not for a date)."""
    qs = (
        Tranche.objects.filter(
            agreement__status__in=RUNNING,
            status=Tranche.Status.SCHEDULED,
            planned_on__lt=today,
        )
        .exclude(condition=Tranche.Condition.ON_REQUEST)
        .select_related("agreement", "agreement__cso")
        .order_by("planned_on", "agreement_id", "seq")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="overdue_tranches",
        title=_("Overdue tranches"),
        date_label=_("Planned for"),
        items=_tranche_items(rows, today),
        count=count,
        see_all=reverse("agreement-list") + "?status=active",
    )
