"""Completion, settlement and the end of an agreement: complete, state the settlement, settle,
terminate, give notice of the end, renew."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import deadlines, money
from contracts.agreements import permissions as agreement_permissions
from contracts.agreements.models import (
    Agreement,
    ProgressReport,
    Settlement,
    Tranche,
)
from contracts.agreements.rules import MAX_PERIOD_DAYS, _today, disbursed_total
from contracts.agreements.services.base import _lock, _tell_cso
from contracts.agreements.services.expenses import expenses_spent
from contracts.agreements.services.schedule import schedule_follow_end
from portal.audit import audit_record
from portal.dates import format_be
from portal.validation import money as parse_money
from portal.validation import too_long
from portal.workflow import (
    Conflict,
    InvalidTransition,
    reason_required,
    require,
    run_transition,
)

AS = Agreement.Status
RS = ProgressReport.Status
TS = Tranche.Status


def agreement_complete(*, agreement: Agreement, officer) -> Agreement:
    """The officer accepts delivery as complete: not before the start date, nor while a
    progress report due before today is missing (permissions.can_complete, asked on the
    locked row, names each)."""
    now = timezone.now()

    def permission(actor, obj):
        return agreement_permissions.can_complete(actor, obj, today=timezone.localdate(now))

    def apply(obj):
        obj.completed_at = now
        return ["completed_at"]

    return run_transition(
        instance=agreement,
        target=AS.COMPLETED,
        actor=officer,
        action="complete",
        permission=permission,
        apply=apply,
    )


def settlement_submit(*, agreement: Agreement, user, spent_total, note: str = "") -> Settlement:
    """The CSO states what it spent, after the end date; the portal works out the refund.
    With expenses recorded, the statement is built from them: the amount spent is their sum
    (those rejected aside), and a different figure is refused."""
    require(agreement_permissions.can_act_for_cso(user, agreement))
    note = str(note or "").strip()
    if len(note) > 5000:
        raise ValidationError({"note": [too_long(note, 5000)]})
    with transaction.atomic():
        locked = _lock(agreement)  # the expenses are read under it: a check waits
        require(agreement_permissions.can_state_settlement(user, locked, today=_today()))
        spent = _stated_spending(locked, spent_total)
        disbursed = disbursed_total(locked)
        try:
            with transaction.atomic():
                settlement = Settlement.objects.create(
                    agreement=locked,
                    disbursed_total=disbursed,
                    spent_total=spent,
                    refund_due=money.refund_due(disbursed, spent),
                    note=note,
                    submitted_by=user,
                )
        except IntegrityError as exc:
            raise Conflict(_("The settlement has already been stated.")) from exc
        audit_record(
            obj=locked,
            actor=user,
            action="settlement",
            from_status=locked.status,
            to_status=locked.status,
            data={
                "disbursed_total": str(disbursed),
                "spent_total": str(spent),
                "refund_due": str(settlement.refund_due),
                "uncovered": str(settlement.uncovered),
            },
        )
    return settlement


def _stated_spending(agreement: Agreement, spent_total):
    """What the organisation spent: with expenses recorded, their sum (another figure is
    refused); otherwise the amount it states."""
    recorded = expenses_spent(agreement)
    if recorded is not None and spent_total in (None, ""):
        spent_total = recorded
    spent = parse_money(
        spent_total,
        field="spent_total",
        allow_zero=True,
        message=_("Give the amount spent in baht, such as 80000.00."),
    )
    if recorded is not None and spent != recorded:
        raise ValidationError(
            {
                "spent_total": [
                    _(
                        "The expenses recorded add up to %(recorded)s baht: the settlement is "
                        "built from them. Record what is missing, or leave the amount empty."
                    )
                    % {"recorded": f"{recorded:,.2f}"}
                ]
            }
        )
    return spent


def agreement_settle(*, agreement: Agreement, officer) -> Agreement:
    """Close the agreement: delivery complete, the settlement stated, every progress report
    due accepted, the evaluations the instrument needs recorded and every released tranche
    paid. The one answer is permissions.can_settle, asked on the locked row; a refusal names
    everything missing."""
    now = timezone.now()

    def permission(actor, obj):
        return agreement_permissions.can_settle(actor, obj, today=timezone.localdate(now))

    def apply(obj):
        obj.settled_at = now
        return ["settled_at"]

    return run_transition(
        instance=agreement,
        target=AS.SETTLED,
        actor=officer,
        action="settle",
        permission=permission,
        apply=apply,
    )


def agreement_terminate(*, agreement: Agreement, officer, reason: str) -> Agreement:
    reason = reason_required(reason)

    def apply(obj):  # the moment is read on the locked row, after any release in progress
        obj.terminated_at, obj.termination_reason = timezone.now(), reason
        return ["terminated_at", "termination_reason"]

    with transaction.atomic():
        agreement = run_transition(
            instance=agreement,
            target=AS.TERMINATED,
            actor=officer,
            action="terminate",
            permission=agreement_permissions.can_terminate,
            reason=reason,
            apply=apply,
        )
        _tell_cso(agreement, "agreement_terminated", reason=reason)
    return agreement


def _move_end(locked: Agreement, *, previous: datetime.date, actor, reason: str, cause: str):
    """The new end date (saved on the locked row) moves everything scheduled after it:
    see ``services.schedule``. Returns what moved, for the agreement's audit row."""
    return schedule_follow_end(locked, previous=previous, actor=actor, reason=reason, cause=cause)


def agreement_end_notice(*, agreement: Agreement, officer, end_date, reason: str) -> Agreement:
    """Give notice that the partnership ends on ``end_date`` (early, or not renewed). The
    end date may be no earlier than today plus 3 calendar months; the CSO is told at once."""
    require(agreement_permissions.can_manage_agreement(officer, agreement))
    reason = reason_required(reason)
    today = _today()
    if not isinstance(end_date, datetime.date) or isinstance(end_date, datetime.datetime):
        raise ValidationError({"end_date": [_("Give a date.")]})
    earliest = deadlines.earliest_end_after_notice(today)
    if end_date < earliest:
        raise ValidationError(
            {
                "end_date": [
                    _(
                        "A partnership ends at least 3 months after notice: the earliest end "
                        "date for notice given today is %(date)s."
                    )
                    % {"date": format_be(earliest)}
                ]
            }
        )
    with transaction.atomic():
        locked = _lock(agreement)
        if locked.status != AS.ACTIVE:
            raise InvalidTransition(
                _("Notice is given on a running agreement (it is “%(s)s”).")
                % {"s": locked.get_status_display()}
            )
        if end_date > locked.end_date:
            raise ValidationError(
                {
                    "end_date": [
                        _("The notice cannot end the agreement after its end date (%(date)s).")
                        % {"date": format_be(locked.end_date)}
                    ]
                }
            )
        previous = locked.end_date
        locked.end_date, locked.end_notice_on, locked.end_notice_reason = end_date, today, reason
        locked.save(update_fields=["end_date", "end_notice_on", "end_notice_reason", "updated_at"])
        moved = _move_end(
            locked, previous=previous, actor=officer, reason=reason, cause="end_notice"
        )
        audit_record(
            obj=locked,
            actor=officer,
            action="end_notice",
            from_status=locked.status,
            to_status=locked.status,
            reason=reason,
            data={
                "end_date": end_date.isoformat(),
                "previous_end_date": previous.isoformat(),
                **moved,
            },
        )
        _tell_cso(locked, "end_notice", due_on=end_date, reason=reason)
    return locked


def agreement_renew(*, agreement: Agreement, officer, end_date, reason: str = "") -> Agreement:
    """Commissioning runs long-term: the officer extends the partnership to a later end date."""
    require(agreement_permissions.can_manage_agreement(officer, agreement))
    if not isinstance(end_date, datetime.date) or isinstance(end_date, datetime.datetime):
        raise ValidationError({"end_date": [_("Give a date.")]})
    with transaction.atomic():
        locked = _lock(agreement)
        require(agreement_permissions.can_renew(officer, locked))
        if end_date <= locked.end_date:
            raise ValidationError({"end_date": [_("Choose a date after the current end date.")]})
        if (end_date - locked.end_date).days > MAX_PERIOD_DAYS:
            raise ValidationError(
                {"end_date": [_("An agreement runs at most 10 years at a time.")]}
            )
        previous = locked.end_date
        locked.end_date = end_date
        locked.renewals += 1
        locked.end_notice_on, locked.end_notice_reason = None, ""
        locked.save(
            update_fields=[
                "end_date",
                "renewals",
                "end_notice_on",
                "end_notice_reason",
                "updated_at",
            ]
        )
        reason = str(reason or "").strip()
        moved = _move_end(locked, previous=previous, actor=officer, reason=reason, cause="renew")
        audit_record(
            obj=locked,
            actor=officer,
            action="renew",
            from_status=locked.status,
            to_status=locked.status,
            reason=reason,
            data={
                "end_date": end_date.isoformat(),
                "previous_end_date": previous.isoformat(),
                **moved,
            },
        )
    return locked
