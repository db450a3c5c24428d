"""When an agreement's end date moves (an end notice, a renewal), everything scheduled after
it moves with it, inside the caller's transaction and after the caller has locked the
agreement: its tranches, reports and evaluations are locked next, in that order.

- A tranche still scheduled for after the new end is planned for the end. Released and paid
  tranches are history and stay as they are.
- The first progress report due on or after the new end covers the period up to it: still
  to send, it is due on the end; already sent, it stays as it is (history). The later
  reports still to send are cancelled with the reason, keeping their due date.
- The post-completion evaluation moves with the end (within 3 months after it,
  ``deadlines.final_evaluation_due``). A mid-term still to do after the new end moves to the
  new period's midpoint (not before today). Periodic evaluations after the new end are
  cancelled: the post-completion evaluation covers the last period (without one, the first
  moves to the end).
- A renewal schedules the reports and periodic evaluations of the added period after the
  old end, on the same cadence from the start.

Each moved item leaves a ``reschedule`` audit row and each cancelled one a ``cancel`` row:
who, from, to and why. ``rules.schedule_problems`` is the invariant checked at the end."""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts.agreements import deadlines
from contracts.agreements.models import (
    Agreement,
    EvaluationKind,
    EvaluationStatus,
    ProgressReport,
    Tranche,
)
from contracts.agreements.rules import REPORT_OPEN, schedule_problems
from contracts.agreements.services.award import _schedule_reports
from contracts.instruments import rules_for
from portal.audit import audit_record
from portal.workflow import assert_transition

RS = ProgressReport.Status
TS = Tranche.Status
ES = EvaluationStatus


class ScheduleBroken(RuntimeError):
    """The cascade left something scheduled after the end: a bug, so the change rolls back."""


class _Mover:
    """One cascade: who moves the end, why, and what it counts."""

    def __init__(self, agreement: Agreement, *, previous: datetime.date, actor, reason, cause):
        self.agreement, self.previous, self.actor = agreement, previous, actor
        self.reason, self.cause = reason, cause
        if not reason:  # a renewal's reason is optional; a cancelled item always says why
            with translation.override(settings.LANGUAGE_CODE):
                self.reason = _("The end date of the agreement moved.")
        self.end = agreement.end_date
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.counts = {"moved": 0, "cancelled": 0, "added": 0}

    def _why(self) -> dict:
        return {
            "cause": self.cause,
            "end_date": self.end.isoformat(),
            "previous_end_date": self.previous.isoformat(),
        }

    def redate(self, obj, field: str, new: datetime.date) -> None:
        old = getattr(obj, field)
        if old == new:
            return
        setattr(obj, field, new)
        obj.save(update_fields=[field])
        audit_record(
            obj=obj,
            actor=self.actor,
            action="reschedule",
            from_status=obj.status,
            to_status=obj.status,
            reason=self.reason,
            data={"field": field, "from": old.isoformat(), "to": new.isoformat(), **self._why()},
        )
        self.counts["moved"] += 1

    def cancel(self, obj, cancelled) -> None:
        source = obj.status
        assert_transition(type(obj).TRANSITIONS, source, cancelled)
        obj.status, obj.cancelled_at, obj.cancel_reason = cancelled, self.now, self.reason
        obj.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        audit_record(
            obj=obj,
            actor=self.actor,
            action="cancel",
            from_status=source,
            to_status=cancelled,
            reason=self.reason,
            data={"due_on": obj.due_on.isoformat(), **self._why()},
        )
        self.counts["cancelled"] += 1

    # --- each kind of child, locked in this order: tranches, reports, evaluations ---------

    def tranches(self) -> None:
        later = self.agreement.tranches.select_for_update().filter(
            status=TS.SCHEDULED, planned_on__gt=self.end
        )
        for tranche in later.order_by("seq"):
            self.redate(tranche, "planned_on", self.end)

    def reports(self) -> None:
        reports = list(self.agreement.reports.select_for_update().order_by("seq"))
        # The first report due on or after the end covers the period up to it: still to
        # send, it is due on the end; sent already, it stays as sent. The later ones still
        # to send are cancelled.
        ahead = sorted(
            (r for r in reports if r.status != RS.CANCELLED and r.due_on >= self.end),
            key=lambda r: (r.due_on, r.seq),
        )
        if ahead and ahead[0].status in REPORT_OPEN:
            self.redate(ahead[0], "due_on", self.end)
        for report in ahead[1:]:
            if report.status in REPORT_OPEN:
                self.cancel(report, RS.CANCELLED)
        if self.end > self.previous:
            self._add_reports(reports)

    def _add_reports(self, reports) -> None:
        live = [r.due_on for r in reports if r.status != RS.CANCELLED]
        last = max(live, default=None)
        if last is not None and last >= self.end:
            return
        before = self.agreement.reports.count()
        first_seq = max((r.seq for r in reports), default=0) + 1
        _schedule_reports(self.agreement, first_seq=first_seq, after=last)
        self.counts["added"] += self.agreement.reports.count() - before

    def evaluations(self) -> None:
        evaluations = list(self.agreement.evaluations.select_for_update().order_by("due_on", "pk"))
        open_ = [e for e in evaluations if e.status == ES.SCHEDULED]
        has_final = any(
            e.kind == EvaluationKind.FINAL and e.status != ES.CANCELLED for e in evaluations
        )
        periodic_after = []
        for evaluation in open_:
            if evaluation.kind == EvaluationKind.FINAL:
                self.redate(evaluation, "due_on", deadlines.final_evaluation_due(self.end))
            elif evaluation.due_on <= self.end:
                continue
            elif evaluation.kind == EvaluationKind.MIDTERM:
                midpoint = deadlines.midterm_due(self.agreement.start_date, self.end)
                self.redate(evaluation, "due_on", min(max(midpoint, self.today), self.end))
            else:
                periodic_after.append(evaluation)
        if periodic_after and not has_final:
            self.redate(periodic_after.pop(0), "due_on", self.end)
        for evaluation in periodic_after:
            self.cancel(evaluation, ES.CANCELLED)
        if self.end > self.previous:
            self._add_periodic(evaluations)

    def _add_periodic(self, evaluations) -> None:
        instrument = rules_for(self.agreement.kind)
        every = instrument.periodic_every_months
        if EvaluationKind.PERIODIC not in instrument.evaluations or not every:
            return
        taken = {
            e.due_on
            for e in evaluations
            if e.kind == EvaluationKind.PERIODIC and e.status != ES.CANCELLED
        }
        start, dates, n = self.agreement.start_date, [], 1
        while (due := deadlines.add_months(start, every * n)) < self.end:
            if due > self.previous and due not in taken:
                dates.append(due)
            n += 1
        model = self.agreement.evaluations.model  # assessments' model, reached by the relation
        self.agreement.evaluations.bulk_create(
            [
                model(
                    agreement=self.agreement,
                    kind=EvaluationKind.PERIODIC,
                    timing=instrument.evaluation_timing,
                    due_on=due,
                )
                for due in dates
            ]
        )
        self.counts["added"] += len(dates)


def schedule_follow_end(
    locked: Agreement, *, previous: datetime.date, actor, reason: str, cause: str
) -> dict:
    """Move what is scheduled after ``locked.end_date`` (already saved on the locked row)
    and schedule what a later end adds. Returns how many items were moved, cancelled and
    added. Raises ``ScheduleBroken`` if anything is still scheduled after the end."""
    mover = _Mover(locked, previous=previous, actor=actor, reason=reason, cause=cause)
    mover.tranches()
    mover.reports()
    mover.evaluations()
    problems = schedule_problems(Agreement.objects.get(pk=locked.pk))
    if problems:
        raise ScheduleBroken(" ".join(problems))
    return mover.counts
