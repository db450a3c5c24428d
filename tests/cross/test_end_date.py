"""Nothing stays scheduled after the end of an agreement, end to end: an officer gives notice
through the API, and the tranches, progress reports and evaluations follow the new end; the
deadline sweep, run day by day with time travel, announces the new dates and never a cancelled
item nor a date after the end; the open data (360Giving and OCDS) publish the new dates. Then
a renewal extends the partnership again, and the same holds."""

import datetime
import json

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from contracts.agreements import rules
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement
from portal.models import Notice
from portal.notices.sweep import sweep
from tests.factories import award
from tests.helpers import at, member_of, officer_of

pytestmark = pytest.mark.django_db

D = datetime.date
REASON = "ปรับแผนงบประมาณ"
# The deadline notices a report or an evaluation gets (not the end or the settlement's).
ITEM_KINDS = {"report_due", "report_overdue", "evaluation_due", "evaluation_overdue"}


def api_ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.getvalue()[:600])
    return response.json()


def open_data(api_client):
    giving = json.loads(api_client.get("/api/v1/open-data/360giving.json").getvalue())
    ocds = json.loads(api_client.get("/api/v1/open-data/ocds.json").getvalue())
    return giving, ocds


def published(agreement, api_client):
    """The agreement's planned end in 360Giving, and its contract period's end and tranche
    milestones' due dates in OCDS."""
    giving, ocds = open_data(api_client)
    grant = next(g for g in giving["grants"] if g["id"].endswith(agreement.number))
    contract = next(  # the call's releases come in stage order: the last says most
        c
        for r in reversed(ocds["releases"])
        for c in r.get("contracts", [])
        if c["id"] == agreement.number
    )
    return {
        "planned_end": grant["plannedDates"][0]["endDate"],
        "contract_end": contract["period"]["endDate"][:10],
        "milestones": {
            m["id"].rsplit("-", 1)[1]: m["dueDate"][:10]
            for m in contract["implementation"]["milestones"]
        },
    }


def item_notices(agreement):
    """Every report and evaluation notice about ``agreement``'s items: (object, kind, due)."""
    found = []
    for model, items in (
        (agreement.reports.model, agreement.reports.all()),
        (agreement.evaluations.model, agreement.evaluations.all()),
    ):
        by_pk = {str(item.pk): item for item in items}
        rows = Notice.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(by_pk),
            kind__in=ITEM_KINDS,
        )
        found += [(by_pk[n.object_id], n.kind, n.due_on) for n in rows]
    return found


def sweep_on(days):
    for day in sorted(days):
        with time_machine.travel(at(day.year, day.month, day.day, 8)):
            sweep()


def around(dates):
    """A few days before and after each date: when the sweep announces what is due then,
    and what is overdue."""
    return {d + datetime.timedelta(days=n) for d in dates for n in (-3, 3)}


def test_an_end_notice_then_a_renewal_end_to_end(api_as, api_client, finance):
    agreement = award(
        instrument="commissioning",
        terms={"end_date": D(2029, 12, 31), "shares": ["40", "30", "30"]},
    )
    officer, member = officer_of(agreement), member_of(agreement)
    first = agreement.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=first, officer=officer)
    agreement_services.tranche_pay(
        tranche=first, user=finance, payment_reference="GFMIS-0001", paid_on=timezone.localdate()
    )
    before = published(agreement, api_client)
    assert before["planned_end"] == "2029-12-31"
    assert before["milestones"] == {"T1": "2027-01-01", "T2": "2028-01-01", "T3": "2028-12-31"}

    # 1. The officer gives notice on 30 Nov 2027 that the partnership ends on 29 Feb 2028.
    with time_machine.travel(at(2027, 11, 30)):
        api_ok(
            api_as(officer).post(
                f"/api/v1/agreements/{agreement.pk}/end-notice/",
                {"end_date": "2028-02-29", "reason": REASON},
                format="json",
            )
        )
    agreement = Agreement.objects.get(pk=agreement.pk)
    end = agreement.end_date
    assert end == D(2028, 2, 29)
    assert rules.schedule_problems(agreement) == []

    # 2. Tranches: the paid one is history; the one planned after the end is re-planned to it.
    assert [(t.seq, t.status, t.planned_on) for t in agreement.tranches.all()] == [
        (1, "paid", D(2027, 1, 1)),
        (2, "scheduled", D(2028, 1, 1)),
        (3, "scheduled", end),
    ]
    # 3. Reports and evaluations: the one covering the end moved, the rest cancelled.
    open_reports = agreement.reports.exclude(status="cancelled")
    assert max(r.due_on for r in open_reports) == end
    assert agreement.reports.filter(status="cancelled").count() == 7
    assert {(e.kind, e.due_on, e.status) for e in agreement.evaluations.all()} == {
        ("periodic", D(2028, 1, 1), "scheduled"),
        ("periodic", D(2029, 1, 1), "cancelled"),
        ("final", D(2028, 5, 29), "scheduled"),
    }
    # The organisation was told at once.
    assert Notice.objects.filter(recipient=member, kind="end_notice", due_on=end).exists()

    # 4. The sweep, around every date the old and the new schedule name: the new dates only.
    dates = [r.due_on for r in agreement.reports.all()] + [D(2030, 3, 31)]
    sweep_on(around(dates + [e.due_on for e in agreement.evaluations.all()]))
    sent = item_notices(agreement)
    assert sent, "the moved report and evaluation were announced"
    assert not [n for n in sent if n[0].status == "cancelled"]
    for item, kind, due in sent:
        latest = rules.evaluation_latest_due(item.kind, end) if hasattr(item, "kind") else end
        assert due == item.due_on and due <= latest, (item, kind, due)
    moved_report = agreement.reports.get(due_on=end)
    assert (moved_report, "report_due", end) in sent
    final = agreement.evaluations.get(kind="final")
    assert (final, "evaluation_due", D(2028, 5, 29)) in sent
    assert not Notice.objects.filter(kind="partnership_ending", due_on__gt=end).exists()

    # 5. The open data publish the new end and the re-planned tranche.
    after = published(agreement, api_client)
    assert (after["planned_end"], after["contract_end"]) == ("2028-02-29", "2028-02-29")
    assert after["milestones"] == {"T1": "2027-01-01", "T2": "2028-01-01", "T3": "2028-02-29"}


def test_a_renewal_end_to_end(api_as, api_client):
    agreement = award(instrument="commissioning")  # 2027 only
    officer = officer_of(agreement)
    with time_machine.travel(at(2027, 6, 1)):
        api_ok(
            api_as(officer).post(
                f"/api/v1/agreements/{agreement.pk}/renew/",
                {"end_date": "2029-12-31", "reason": "ผลดี"},
                format="json",
            )
        )
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert rules.schedule_problems(agreement) == []
    assert agreement.reports.order_by("seq").last().due_on == D(2029, 12, 31)
    periodic = agreement.evaluations.filter(kind="periodic").order_by("due_on")
    assert [e.due_on for e in periodic] == [D(2028, 1, 1), D(2029, 1, 1)]

    sweep_on(around([D(2027, 12, 31), D(2028, 1, 1)]))
    sent = item_notices(agreement)
    assert (periodic[0], "evaluation_due", D(2028, 1, 1)) in sent  # the added period's
    assert (agreement.reports.get(due_on=D(2028, 1, 1)), "report_due", D(2028, 1, 1)) in sent
    assert published(agreement, api_client)["planned_end"] == "2029-12-31"
