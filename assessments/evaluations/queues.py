"""What waits on agreements' evaluations: those due for the agency's officers, and those an
evaluator is named on, and every overdue one for staff."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.evaluations.models import Evaluation
from contracts.agreements.selectors import of_agency_agreements
from portal.home.registry import Item, Queue, first_rows, register_queue
from portal.roles import Role

DUE_WITHIN_DAYS = 30


def _items(rows, today):
    return [
        Item(
            text=f"{e.agreement.number} {e.agreement.title}",
            url=reverse("evaluation-detail", args=[e.pk]),
            date=e.due_on,
            overdue=e.due_on < today,
            note=f"{e.get_kind_display()} — {e.agreement.cso.name}",
        )
        for e in rows
    ]


def _scheduled():
    return (
        Evaluation.objects.filter(status=Evaluation.Status.SCHEDULED)
        .select_related("agreement", "agreement__cso")
        .order_by("due_on", "pk")
    )


@register_queue("evaluations_due", Role.AGENCY_OFFICER, order=40)
def evaluations_due(user, today):
    """The agency's scheduled evaluations due within 30 days or overdue, the earliest first."""
    if not user.agency_id:
        return None
    qs = _scheduled().filter(
        of_agency_agreements(user), due_on__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    )
    rows, count = first_rows(qs)
    return Queue(
        key="evaluations_due",
        title=_("Evaluations due"),
        date_label=_("Due on"),
        items=_items(rows, today),
        count=count,
        see_all=reverse("agreement-list") + "?status=active",
    )


@register_queue("evaluations_to_record", Role.EVALUATOR, order=20)
def evaluations_to_record(user, today):
    """Scheduled evaluations the evaluator is named on, the earliest due first."""
    rows, count = first_rows(_scheduled().filter(evaluators=user))
    return Queue(
        key="evaluations_to_record",
        title=_("Evaluations to record"),
        date_label=_("Due on"),
        items=_items(rows, today),
        count=count,
        see_all=reverse("evaluator-home"),
    )


@register_queue("overdue_evaluations", Role.STAFF_ADMIN, order=30)
def overdue_evaluations(user, today):
    """Scheduled evaluations past their due date, across every agency."""
    rows, count = first_rows(_scheduled().filter(due_on__lt=today))
    return Queue(
        key="overdue_evaluations",
        title=_("Overdue evaluations"),
        date_label=_("Due on"),
        items=_items(rows, today),
        count=count,
        see_all=reverse("agreement-list") + "?status=active",
    )
