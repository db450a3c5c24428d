"""Agreement use cases: award, sign, deliver, release and pay tranches, report, complete,
settle, end. Each checks role, status and dates on the locked row and writes an audit row;
views, API views and tasks call these and never change a status themselves."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Evaluation
from contracts import deadlines, money, permissions
from contracts.models import (
    Agreement,
    Instrument,
    MoneyMovement,
    ProgressReport,
    Proposal,
    Settlement,
    Tranche,
)
from contracts.services import _too_long
from contracts.services import money as parse_money
from portal.audit import audit_record
from portal.workflow import (
    Conflict,
    InvalidTransition,
    assert_transition,
    reason_required,
    require,
    run_transition,
)

AS = Agreement.Status
TS = Tranche.Status
RS = ProgressReport.Status
NUMBER_PREFIX = {
    Instrument.GRANT: "G",
    Instrument.PERFORMANCE_CONTRACT: "PC",
    Instrument.COMMISSIONING: "CM",
}
MAX_TRANCHES = 24
MAX_PERIOD_DAYS = 3660  # 10 years, as for a proposal; a renewal adds at most as much again


def _today():
    return timezone.localdate()


def _lock(agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _tell_cso(agreement, kind: str, obj=None, *, due_on=None, extra="", **context) -> None:
    """Notify the CSO's members (in-app and email), inside the caller's transaction: the
    notice exists if and only if the change it reports was committed."""
    from contracts.notices import agreement_context, members
    from portal.notices import notify, url_for

    notify(
        kind,
        members(agreement.cso_id),
        obj if obj is not None else agreement,
        due_on=due_on,
        context=agreement_context(agreement, **context),
        url=url_for("agreement-detail", agreement.pk),
        extra=extra,
    )


# --- award ------------------------------------------------------------------------------


def clean_shares(shares) -> list[Decimal]:
    """Percentages, each above zero with at most 2 decimals, that sum to exactly 100."""
    if not isinstance(shares, list | tuple) or not shares:
        raise ValidationError(
            {"shares": [_("Give the tranches' shares as a list of percentages.")]}
        )
    if len(shares) > MAX_TRANCHES:
        raise ValidationError({"shares": [_("At most %(n)s tranches.") % {"n": MAX_TRANCHES}]})
    cleaned = []
    for value in shares:
        try:
            share = Decimal(str(value))
        except (InvalidOperation, ValueError):
            share = None
        if (
            share is None
            or not share.is_finite()
            or share <= 0
            or share != share.quantize(money.CENT)
        ):
            raise ValidationError(
                {"shares": [_("Each share is a percentage above zero, to 2 decimal places.")]}
            )
        cleaned.append(share.quantize(money.CENT))
    total = sum(cleaned, Decimal(0))
    if total != money.HUNDRED:
        raise ValidationError(
            {
                "shares": [
                    _("The shares must add up to 100 %% (now %(total)s %%).") % {"total": total}
                ]
            }
        )
    return cleaned


def _schedule_tranches(agreement: Agreement, shares, planned=None) -> None:
    amounts = money.split(agreement.amount, shares)
    if agreement.kind == Instrument.PERFORMANCE_CONTRACT:
        conditions = [Tranche.Condition.ON_SIGNING, Tranche.Condition.ON_COMPLETION]
        planned = [agreement.start_date, agreement.end_date]
    else:
        conditions = [Tranche.Condition.ON_SIGNING] + [Tranche.Condition.ON_SCHEDULE] * (
            len(shares) - 1
        )
        planned = planned or _spread_dates(agreement.start_date, agreement.end_date, len(shares))
    Tranche.objects.bulk_create(
        [
            Tranche(
                agreement=agreement,
                seq=i,
                share_percent=share,
                amount=amount,
                condition=condition,
                planned_on=on,
            )
            for i, (share, amount, condition, on) in enumerate(
                zip(shares, amounts, conditions, planned, strict=True), start=1
            )
        ]
    )


def _spread_dates(start, end, n) -> list[datetime.date]:
    """``n`` planned dates from ``start``, evenly through the period (the first at start)."""
    step = (end - start) / n
    return [start + step * i for i in range(n)]


def _schedule_reports(agreement: Agreement, *, first_seq=1, after=None) -> None:
    dates = deadlines.report_due_dates(
        agreement.start_date, agreement.end_date, agreement.report_every_months
    )
    if after is not None:
        dates = [d for d in dates if d > after]
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(agreement=agreement, seq=first_seq + i, due_on=due)
            for i, due in enumerate(dates)
        ]
    )


def _schedule_evaluations(agreement: Agreement) -> None:
    start, end = agreement.start_date, agreement.end_date
    rows = []
    if agreement.kind == Instrument.PERFORMANCE_CONTRACT:
        rows = [
            Evaluation(
                agreement=agreement,
                kind=Evaluation.Kind.MIDTERM,
                timing=Evaluation.Timing.BY_INSTALMENT,
                due_on=deadlines.midterm_due(start, end),
            ),
            Evaluation(
                agreement=agreement,
                kind=Evaluation.Kind.FINAL,
                timing=Evaluation.Timing.BY_INSTALMENT,
                due_on=deadlines.final_evaluation_due(end),
            ),
        ]
    elif agreement.kind == Instrument.GRANT:
        rows = [
            Evaluation(
                agreement=agreement,
                kind=Evaluation.Kind.FINAL,
                due_on=deadlines.final_evaluation_due(end),
            )
        ]
    else:  # commissioning: monitored periodically, yearly by default
        due = deadlines.add_months(start, 12)
        while due < end:
            rows.append(Evaluation(agreement=agreement, kind=Evaluation.Kind.PERIODIC, due_on=due))
            due = deadlines.add_months(due, 12)
        rows.append(
            Evaluation(
                agreement=agreement,
                kind=Evaluation.Kind.FINAL,
                due_on=deadlines.final_evaluation_due(end),
            )
        )
    Evaluation.objects.bulk_create(rows)


def _clean_dates(start, end) -> None:
    errors = {}
    for name, value in (("start_date", start), ("end_date", end)):
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            errors[name] = [_("Give a date.")]
    if not errors and end < start:
        errors["end_date"] = [_("The agreement must end on or after the day it starts.")]
    elif not errors and (end - start).days > MAX_PERIOD_DAYS:
        errors["end_date"] = [_("An agreement runs at most 10 years at a time.")]
    if errors:
        raise ValidationError(errors)


def _clean_text(data: dict, limits: dict) -> dict:
    cleaned, errors = {}, {}
    for name, limit in limits.items():
        if name in data:
            value = str(data[name] or "").strip()
            if len(value) > limit:
                errors[name] = [_too_long(value, limit)]
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


AWARD_TEXT = {
    "scope": 10000,
    "terms": 20000,
    "outcomes": 10000,
    "needs_assessment": 10000,
    "resources": 10000,
}


def agreement_award(*, proposal: Proposal, officer, data: dict | None = None) -> Agreement:
    """Turn a selected proposal into the offer of the call's instrument: a grant offer, a
    performance contract (tranches 80 % and 20 %, a mid-term and a final evaluation) or a
    commissioning partnership. Dates, amount and targets come from the proposal unless the
    officer sets them; grants and commissioning may split the money into their own shares."""
    data = dict(data or {})
    require(permissions.can_award(officer, proposal))
    cleaned = _clean_text(data, AWARD_TEXT)
    amount = parse_money(
        data.get("amount", proposal.requested_amount),
        field="amount",
        message=_("Give an amount in baht, such as 80000.00."),
    )
    if amount > proposal.requested_amount:
        raise ValidationError(
            {"amount": [_("The agreement cannot be for more than the proposal requested.")]}
        )
    start = data.get("start_date", proposal.start_date)
    end = data.get("end_date", proposal.end_date)
    _clean_dates(start, end)
    kind = proposal.call.instrument
    if kind == Instrument.PERFORMANCE_CONTRACT:
        shares = list(money.PERFORMANCE_SHARES)
        if data.get("shares") not in (None, [], shares, ["80", "20"], [80, 20]):
            raise ValidationError(
                {"shares": [_("A performance contract pays 80 % and then 20 %.")]}
            )
    else:
        shares = clean_shares(data.get("shares") or ["100"])
    schedule = data.get("report_schedule", Agreement.ReportSchedule.BY_PERIOD)
    if schedule not in Agreement.ReportSchedule.values:
        raise ValidationError({"report_schedule": [_("Choose by period or by instalment.")]})
    every = data.get("report_every_months", 3)
    if isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= 12:
        raise ValidationError(
            {"report_every_months": [_("Give a whole number of months from 1 to 12.")]}
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        if locked.status != Proposal.Status.SELECTED:
            raise InvalidTransition(
                _("Only a selected proposal can be awarded (it is “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        if Agreement.objects.filter(proposal=locked).exists():
            raise Conflict(_("This proposal already has its agreement."))
        agreement = Agreement(
            kind=kind,
            proposal=locked,
            agency_id=locked.call.agency_id,
            cso_id=locked.cso_id,
            number="",
            title=locked.title,
            amount=amount.quantize(money.CENT),
            start_date=start,
            end_date=end,
            targets=locked.targets,
            report_schedule=schedule,
            report_every_months=every,
            created_by=officer,
            **cleaned,
        )
        agreement.scope = agreement.scope or locked.summary
        agreement.service_design = locked.project_document
        try:
            with transaction.atomic():
                agreement.save()
        except IntegrityError as exc:
            raise Conflict(_("This proposal already has its agreement.")) from exc
        year = timezone.localdate().year + 543
        agreement.number = f"{NUMBER_PREFIX[kind]}-{year}-{agreement.pk:06d}"
        agreement.save(update_fields=["number"])
        _schedule_tranches(agreement, shares)
        _schedule_reports(agreement)
        _schedule_evaluations(agreement)
        audit_record(
            obj=agreement,
            actor=officer,
            action="award",
            to_status=agreement.status,
            data={"amount": str(agreement.amount), "shares": [str(s) for s in shares]},
        )
        _tell_cso(agreement, "agreement_offered")
    return agreement


# --- offer: sign or decline -------------------------------------------------------------


def agreement_accept(*, agreement: Agreement, user, signed_name: str, confirm: bool) -> Agreement:
    """The CSO signs the offer: its member types their full name and confirms; the name,
    the account and the time are recorded."""
    name = " ".join(str(signed_name or "").split())
    errors = {}
    if len(name) < 3:
        errors["signed_name"] = [_("Type your full name to sign.")]
    elif len(name) > 255:
        errors["signed_name"] = [_too_long(name, 255)]
    if confirm is not True:
        errors["confirm"] = [_("Confirm that you accept the terms on behalf of the organisation.")]
    if errors:
        require(permissions.can_act_for_cso(user, agreement))
        raise ValidationError(errors)
    now = timezone.now()

    def apply(obj):
        obj.signed_name, obj.signed_by, obj.signed_at = name, user, now
        return ["signed_name", "signed_by", "signed_at"]

    agreement = run_transition(
        instance=agreement,
        target=AS.ACTIVE,
        actor=user,
        action="sign",
        permission=permissions.can_act_for_cso,
        apply=apply,
        data={"signed_name": name},
    )
    return agreement


def agreement_decline(*, agreement: Agreement, user, reason: str) -> Agreement:
    reason = reason_required(reason)
    return run_transition(
        instance=agreement,
        target=AS.DECLINED,
        actor=user,
        action="decline",
        permission=permissions.can_act_for_cso,
        reason=reason,
        apply=lambda obj: setattr(obj, "decline_reason", reason) or ["decline_reason"],
    )


# --- commissioning: co-design and delivery ------------------------------------------------


def agreement_update_design(
    *, agreement: Agreement, user, service_design=None, responsibilities=None
) -> Agreement:
    """Agency and CSO edit the shared service model and who does what, until delivery starts."""
    require(permissions.can_edit_service_design(user, agreement))
    fields, errors = [], {}
    if service_design is not None:
        service_design = str(service_design).strip()
        if len(service_design) > 50000:
            errors["service_design"] = [_too_long(service_design, 50000)]
    if responsibilities is not None:
        rows = []
        if not isinstance(responsibilities, list):
            errors["responsibilities"] = [_("Give the responsibilities as a list.")]
        else:
            for row in responsibilities:
                task = str((row or {}).get("task") or "").strip() if isinstance(row, dict) else ""
                party = (row or {}).get("party") if isinstance(row, dict) else None
                if not task and not party:
                    continue
                if not task or party not in {"agency", "cso", "joint"} or len(task) > 500:
                    errors["responsibilities"] = [
                        _(
                            "Give each task (up to 500 characters) and who does it: agency, "
                            "CSO or both."
                        )
                    ]
                    break
                rows.append({"task": task, "party": party})
        responsibilities = rows
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(agreement)
        if locked.kind != Instrument.COMMISSIONING:
            raise InvalidTransition(
                _("Only a commissioning partnership has a shared service design.")
            )
        if locked.status not in {AS.OFFERED, AS.ACTIVE} or locked.delivery_started_at:
            raise InvalidTransition(_("The service design is fixed once delivery has started."))
        if service_design is not None:
            locked.service_design = service_design
            fields.append("service_design")
        if responsibilities is not None:
            locked.responsibilities = responsibilities
            fields.append("responsibilities")
        locked.save(update_fields=[*fields, "updated_at"])
        audit_record(
            obj=locked,
            actor=user,
            action="co_design",
            from_status=locked.status,
            to_status=locked.status,
            data={"fields": fields},
        )
    return locked


def agreement_start_delivery(*, agreement: Agreement, officer) -> Agreement:
    require(permissions.can_manage_agreement(officer, agreement))
    with transaction.atomic():
        locked = _lock(agreement)
        if locked.kind != Instrument.COMMISSIONING:
            raise InvalidTransition(_("Only a commissioning partnership starts delivery this way."))
        if locked.status != AS.ACTIVE or locked.delivery_started_at:
            raise InvalidTransition(_("Delivery starts once, after the agreement is signed."))
        if not locked.service_design.strip() or not locked.responsibilities:
            raise ValidationError(
                _("Agree the service model and who does what before delivery starts.")
            )
        locked.delivery_started_at = timezone.now()
        locked.save(update_fields=["delivery_started_at", "updated_at"])
        audit_record(
            obj=locked,
            actor=officer,
            action="start_delivery",
            from_status=locked.status,
            to_status=locked.status,
        )
    return locked


# --- money -------------------------------------------------------------------------------


def release_problems(tranche: Tranche, agreement: Agreement) -> list[str]:
    """Why ``tranche`` cannot be released now; empty when it can. The one place that says
    the last tranche of a performance contract needs completion and a mid-term evaluation."""
    problems = []
    if agreement.status not in {AS.ACTIVE, AS.COMPLETED}:
        problems.append(_("Money is released only under a signed, running agreement."))
    earlier = [t for t in agreement.tranches.all() if t.seq < tranche.seq]
    if any(t.status == TS.SCHEDULED for t in earlier):
        problems.append(_("Release the earlier tranches first."))
    if tranche.condition == Tranche.Condition.ON_COMPLETION:
        if agreement.status != AS.COMPLETED:
            problems.append(_("This tranche is released once delivery is complete."))
        midterm = [e for e in agreement.evaluations.all() if e.kind == Evaluation.Kind.MIDTERM]
        if not midterm or any(e.status != Evaluation.Status.SUBMITTED for e in midterm):
            problems.append(_("This tranche needs the mid-term evaluation first."))
    if (
        tranche.condition == Tranche.Condition.ON_SCHEDULE
        and tranche.planned_on
        and tranche.planned_on > _today()
    ):
        problems.append(
            _("This tranche is planned for %(date)s.") % {"date": tranche.planned_on.isoformat()}
        )
    return problems


def tranche_release(*, tranche: Tranche, officer) -> Tranche:
    """Release a tranche for payment. Nothing is released twice: the tranche row is locked,
    its status re-checked, and the ledger's unique (tranche, release) row is the last word."""
    agreement = tranche.agreement
    require(permissions.can_manage_agreement(officer, agreement))
    with transaction.atomic():
        agreement = Agreement.objects.get(pk=agreement.pk)
        locked = Tranche.objects.select_for_update().get(pk=tranche.pk)
        assert_transition(
            Tranche.TRANSITIONS, locked.status, TS.RELEASED, label=locked.get_status_display()
        )
        problems = release_problems(locked, agreement)
        if problems:
            raise InvalidTransition(" ".join(problems))
        now = timezone.now()
        try:
            with transaction.atomic():
                MoneyMovement.objects.create(
                    tranche=locked,
                    kind=MoneyMovement.Kind.RELEASE,
                    amount=locked.amount,
                    actor=officer,
                )
        except IntegrityError as exc:
            raise Conflict(_("This tranche has already been released.")) from exc
        locked.status, locked.released_at = TS.RELEASED, now
        locked.save(update_fields=["status", "released_at"])
        audit_record(
            obj=locked,
            actor=officer,
            action="release",
            from_status=TS.SCHEDULED,
            to_status=TS.RELEASED,
            data={"amount": str(locked.amount), "agreement": agreement.pk, "seq": locked.seq},
        )
        _tell_cso(
            agreement, "tranche_released", locked, seq=locked.seq, amount=f"{locked.amount:,.2f}"
        )
    return locked


def tranche_pay(*, tranche: Tranche, user, payment_reference: str, paid_on) -> Tranche:
    """The finance system records that a released tranche was paid. Never twice."""
    require(permissions.can_record_payment(user, tranche.agreement))
    reference = str(payment_reference or "").strip()
    errors = {}
    if not reference:
        errors["payment_reference"] = [_("Give the payment reference.")]
    elif len(reference) > 64:
        errors["payment_reference"] = [_too_long(reference, 64)]
    if not isinstance(paid_on, datetime.date) or isinstance(paid_on, datetime.datetime):
        errors["paid_on"] = [_("Give the date of payment.")]
    elif paid_on > _today():
        errors["paid_on"] = [_("The payment date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Tranche.objects.select_for_update().get(pk=tranche.pk)
        assert_transition(
            Tranche.TRANSITIONS, locked.status, TS.PAID, label=locked.get_status_display()
        )
        if locked.released_at and paid_on < timezone.localdate(locked.released_at):
            raise ValidationError(
                {"paid_on": [_("The payment date cannot be before the tranche was released.")]}
            )
        try:
            with transaction.atomic():
                MoneyMovement.objects.create(
                    tranche=locked,
                    kind=MoneyMovement.Kind.PAYMENT,
                    amount=locked.amount,
                    actor=user,
                    reference=reference,
                    value_date=paid_on,
                )
        except IntegrityError as exc:
            raise Conflict(_("This tranche has already been paid.")) from exc
        locked.status = TS.PAID
        locked.paid_at, locked.paid_on, locked.payment_reference = (
            timezone.now(),
            paid_on,
            reference,
        )
        locked.save(update_fields=["status", "paid_at", "paid_on", "payment_reference"])
        audit_record(
            obj=locked,
            actor=user,
            action="pay",
            from_status=TS.RELEASED,
            to_status=TS.PAID,
            data={
                "amount": str(locked.amount),
                "agreement": locked.agreement_id,
                "seq": locked.seq,
                "payment_reference": reference,
                "paid_on": paid_on.isoformat(),
            },
        )
        _tell_cso(
            locked.agreement,
            "tranche_paid",
            locked,
            seq=locked.seq,
            amount=f"{locked.amount:,.2f}",
            reference=reference,
        )
    return locked


# --- reports -------------------------------------------------------------------------------


def _clean_indicators(agreement, indicators) -> list[dict]:
    if not isinstance(indicators, list):
        raise ValidationError({"indicators": [_("Give the indicators as a list.")]})
    targets = {t["indicator"]: t["target"] for t in agreement.targets or []}
    rows = []
    for row in indicators:
        if not isinstance(row, dict):
            raise ValidationError({"indicators": [_("Give each indicator and its result.")]})
        indicator = str(row.get("indicator") or "").strip()
        actual = str(row.get("actual") or "").strip()
        if not indicator and not actual:
            continue
        if not indicator or not actual or len(indicator) > 255 or len(actual) > 255:
            raise ValidationError(
                {"indicators": [_("Give each indicator and its result (up to 255 characters).")]}
            )
        rows.append(
            {"indicator": indicator, "target": targets.get(indicator, ""), "actual": actual}
        )
    return rows


def report_submit(
    *, report: ProgressReport, user, narrative: str, indicators, spent_to_date
) -> ProgressReport:
    """The CSO reports progress: what was done, each indicator against its target, and the
    money spent so far. Nothing else: only what the evaluation needs."""
    agreement = report.agreement
    require(permissions.can_act_for_cso(user, agreement))
    errors = {}
    narrative = str(narrative or "").strip()
    if not narrative:
        errors["narrative"] = [_("Say what was done in this period.")]
    elif len(narrative) > 10000:
        errors["narrative"] = [_too_long(narrative, 10000)]
    try:
        rows = _clean_indicators(agreement, indicators)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        rows = []
    try:
        spent = parse_money(
            spent_to_date,
            field="spent_to_date",
            allow_zero=True,
            message=_("Give the amount spent so far in baht, such as 80000.00."),
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
        spent = None
    if errors:
        raise ValidationError(errors)
    now = timezone.now()

    def permission(actor, obj):
        return permissions.can_act_for_cso(actor, agreement)

    def apply(obj):
        status = Agreement.objects.values_list("status", flat=True).get(pk=obj.agreement_id)
        if status not in {AS.ACTIVE, AS.COMPLETED}:
            raise InvalidTransition(_("Reports are sent while the agreement runs."))
        obj.narrative, obj.indicators, obj.spent_to_date = narrative, rows, spent
        obj.submitted_at = now
        return ["narrative", "indicators", "spent_to_date", "submitted_at"]

    return run_transition(
        instance=report,
        target=RS.SUBMITTED,
        actor=user,
        action="submit",
        permission=permission,
        apply=apply,
        data={"spent_to_date": str(spent)},
    )


def _review_report(report, officer, target, action, comment):
    def permission(actor, obj):
        return permissions.can_manage_agreement(actor, report.agreement)

    def apply(obj):
        obj.reviewed_at, obj.officer_comment = timezone.now(), comment
        return ["reviewed_at", "officer_comment"]

    return run_transition(
        instance=report,
        target=target,
        actor=officer,
        action=action,
        permission=permission,
        reason=comment,
        apply=apply,
    )


def report_accept(*, report: ProgressReport, officer, comment: str = "") -> ProgressReport:
    return _review_report(report, officer, RS.ACCEPTED, "accept", str(comment or "").strip())


def report_return(*, report: ProgressReport, officer, comment: str) -> ProgressReport:
    comment = str(comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what the organisation should change.")]})
    with transaction.atomic():
        report = _review_report(report, officer, RS.RETURNED, "return", comment)
        _tell_cso(
            report.agreement,
            "report_returned",
            report,
            extra=report.reviewed_at.isoformat(),
            seq=report.seq,
            comment=comment,
        )
    return report


# --- completion, settlement, ending ------------------------------------------------------


def agreement_complete(*, agreement: Agreement, officer) -> Agreement:
    """The officer accepts delivery as complete."""
    now = timezone.now()

    def apply(obj):
        if obj.start_date > timezone.localdate(now):
            raise InvalidTransition(_("Delivery cannot be complete before the agreement starts."))
        obj.completed_at = now
        return ["completed_at"]

    return run_transition(
        instance=agreement,
        target=AS.COMPLETED,
        actor=officer,
        action="complete",
        permission=permissions.can_manage_agreement,
        apply=apply,
    )


def disbursed_total(agreement: Agreement) -> Decimal:
    return sum((t.amount for t in agreement.tranches.all() if t.status == TS.PAID), Decimal("0.00"))


def settlement_submit(*, agreement: Agreement, user, spent_total, note: str = "") -> Settlement:
    """The CSO states what it spent, after the end date; the portal works out the refund."""
    require(permissions.can_act_for_cso(user, agreement))
    spent = parse_money(
        spent_total,
        field="spent_total",
        allow_zero=True,
        message=_("Give the amount spent in baht, such as 80000.00."),
    )
    note = str(note or "").strip()
    if len(note) > 5000:
        raise ValidationError({"note": [_too_long(note, 5000)]})
    with transaction.atomic():
        locked = _lock(agreement)
        if locked.status not in {AS.ACTIVE, AS.COMPLETED}:
            raise InvalidTransition(
                _("A settlement is stated for a running or completed agreement (it is “%(s)s”).")
                % {"s": locked.get_status_display()}
            )
        if _today() <= locked.end_date:
            raise InvalidTransition(
                _("The settlement is stated after the end date (%(date)s).")
                % {"date": locked.end_date.isoformat()}
            )
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
            },
        )
    return settlement


def agreement_settle(*, agreement: Agreement, officer) -> Agreement:
    """Close the agreement: delivery complete, the settlement stated, every released tranche
    paid and, for a performance contract, the post-completion evaluation done."""
    now = timezone.now()

    def apply(obj):
        problems = []
        if not Settlement.objects.filter(agreement=obj).exists():
            problems.append(_("The organisation has not stated its settlement yet."))
        if obj.tranches.filter(status=TS.RELEASED).exists():
            problems.append(_("A released tranche is still waiting for payment."))
        if (
            obj.kind == Instrument.PERFORMANCE_CONTRACT
            and obj.evaluations.filter(kind=Evaluation.Kind.FINAL)
            .exclude(status=Evaluation.Status.SUBMITTED)
            .exists()
        ):
            problems.append(_("The post-completion evaluation is not done yet."))
        if problems:
            raise InvalidTransition(" ".join(problems))
        obj.settled_at = now
        return ["settled_at"]

    return run_transition(
        instance=agreement,
        target=AS.SETTLED,
        actor=officer,
        action="settle",
        permission=permissions.can_manage_agreement,
        apply=apply,
    )


def agreement_terminate(*, agreement: Agreement, officer, reason: str) -> Agreement:
    reason = reason_required(reason)
    now = timezone.now()

    def apply(obj):
        obj.terminated_at, obj.termination_reason = now, reason
        return ["terminated_at", "termination_reason"]

    with transaction.atomic():
        agreement = run_transition(
            instance=agreement,
            target=AS.TERMINATED,
            actor=officer,
            action="terminate",
            permission=permissions.can_manage_agreement,
            reason=reason,
            apply=apply,
        )
        _tell_cso(agreement, "agreement_terminated", reason=reason)
    return agreement


def _move_end(locked: Agreement, end_date: datetime.date) -> None:
    """A new end date moves the post-completion evaluation and the reports after it."""
    locked.evaluations.filter(
        kind=Evaluation.Kind.FINAL, status=Evaluation.Status.SCHEDULED
    ).update(due_on=deadlines.final_evaluation_due(end_date))
    locked.reports.filter(status=RS.DUE, due_on__gt=end_date).delete()
    last = locked.reports.order_by("-seq").first()
    if last is None or last.due_on < end_date:
        after = last.due_on if last else None
        _schedule_reports(locked, first_seq=(last.seq + 1) if last else 1, after=after)


def agreement_end_notice(*, agreement: Agreement, officer, end_date, reason: str) -> Agreement:
    """Give notice that the partnership ends on ``end_date`` (early, or not renewed). The
    end date may be no earlier than today plus 3 calendar months; the CSO is told at once."""
    require(permissions.can_manage_agreement(officer, agreement))
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
                    % {"date": earliest.isoformat()}
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
                        % {"date": locked.end_date.isoformat()}
                    ]
                }
            )
        previous = locked.end_date
        locked.end_date, locked.end_notice_on, locked.end_notice_reason = end_date, today, reason
        locked.save(update_fields=["end_date", "end_notice_on", "end_notice_reason", "updated_at"])
        _move_end(locked, end_date)
        audit_record(
            obj=locked,
            actor=officer,
            action="end_notice",
            from_status=locked.status,
            to_status=locked.status,
            reason=reason,
            data={"end_date": end_date.isoformat(), "previous_end_date": previous.isoformat()},
        )
        _tell_cso(locked, "end_notice", due_on=end_date, reason=reason)
    return locked


def agreement_renew(*, agreement: Agreement, officer, end_date, reason: str = "") -> Agreement:
    """Commissioning runs long-term: the officer extends the partnership to a later end date."""
    require(permissions.can_manage_agreement(officer, agreement))
    if not isinstance(end_date, datetime.date) or isinstance(end_date, datetime.datetime):
        raise ValidationError({"end_date": [_("Give a date.")]})
    with transaction.atomic():
        locked = _lock(agreement)
        if locked.kind != Instrument.COMMISSIONING:
            raise InvalidTransition(_("Only a commissioning partnership is renewed."))
        if locked.status != AS.ACTIVE:
            raise InvalidTransition(_("Only a running partnership is renewed."))
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
        _move_end(locked, end_date)
        audit_record(
            obj=locked,
            actor=officer,
            action="renew",
            from_status=locked.status,
            to_status=locked.status,
            reason=str(reason or "").strip(),
            data={"end_date": end_date.isoformat(), "previous_end_date": previous.isoformat()},
        )
    return locked
