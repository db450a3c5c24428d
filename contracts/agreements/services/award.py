"""The award and the offer: turn a selected proposal into the call's instrument (tranches,
reports and evaluations scheduled), sign or decline, co-design and start delivery. Each
checks role, status and dates on the locked row and writes an audit row."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import deadlines, money
from contracts.agreements import permissions as agreement_permissions
from contracts.agreements import selectors as agreement_selectors
from contracts.agreements.models import (
    Agreement,
    EvaluationKind,
    ProgressReport,
    Tranche,
)
from contracts.agreements.rules import (
    AWARD_TEXT,
    _clean_dates,
    _clean_text,
    _today,
    clean_beneficiary_groups,
    clean_paid_on_request,
    clean_shares,
    signature_errors,
)
from contracts.agreements.services.base import _lock, _tell_cso
from contracts.calls.models import Call
from contracts.instruments import rules_for
from contracts.proposals.models import Proposal
from portal.audit import audit_record
from portal.dates import reference_number
from portal.validation import fields_of, too_long
from portal.validation import money as parse_money
from portal.workflow import (
    Conflict,
    InvalidTransition,
    reason_required,
    require,
    run_transition,
)

AS = Agreement.Status

# --- award ------------------------------------------------------------------------------


def _schedule_tranches(
    agreement: Agreement, shares, planned=None, *, on_request=False, milestones=()
) -> None:
    amounts = money.split(agreement.amount, shares)
    instrument = rules_for(agreement.kind)
    conditions = instrument.tranche_conditions(len(shares), on_request=on_request)
    # The first tranche is released on signing: milestones name the later ones in order.
    milestones = ["", *milestones] + [""] * len(shares)
    planned = instrument.planned_dates(
        agreement.start_date, agreement.end_date, len(shares), planned
    )
    Tranche.objects.bulk_create(
        [
            Tranche(
                agreement=agreement,
                seq=i,
                share_percent=share,
                amount=amount,
                condition=condition,
                planned_on=on,
                milestone=milestones[i - 1],
            )
            for i, (share, amount, condition, on) in enumerate(
                zip(shares, amounts, conditions, planned, strict=True), start=1
            )
        ]
    )


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
    """The evaluations the instrument schedules: a mid-term at the midpoint, periodic ones
    every so many months from the start while before the end, the final within 3 months
    after the end."""
    start, end = agreement.start_date, agreement.end_date
    instrument = rules_for(agreement.kind)
    Evaluation = agreement.evaluations.model  # assessments' model, reached by the relation
    rows = []
    for kind in instrument.evaluations:
        if kind == EvaluationKind.PERIODIC:
            due_dates = []
            due = deadlines.add_months(start, instrument.periodic_every_months)
            while due < end:
                due_dates.append(due)
                due = deadlines.add_months(due, instrument.periodic_every_months)
        elif kind == EvaluationKind.MIDTERM:
            due_dates = [deadlines.midterm_due(start, end)]
        else:
            due_dates = [deadlines.final_evaluation_due(end)]
        rows += [
            Evaluation(
                agreement=agreement, kind=kind, timing=instrument.evaluation_timing, due_on=due
            )
            for due in due_dates
        ]
    agreement.evaluations.bulk_create(rows)


class AwardTerms(TypedDict, total=False):
    """What the officer may set on an award; everything left out comes from the proposal
    or the instrument."""

    amount: Decimal | str  # baht, no more than the proposal requested
    start_date: datetime.date
    end_date: datetime.date
    shares: Sequence[Decimal | str]  # percentages summing to 100 (grants, commissioning)
    report_schedule: str  # Agreement.ReportSchedule
    report_every_months: int  # 1 to 12
    scope: str
    terms: str
    outcomes: str  # commissioning
    needs_assessment: str  # commissioning
    resources: str  # commissioning
    signatory_name: str  # who signs for the agency; default: the officer's full name
    signatory_position: str  # their position; default: the officer's position
    # The officer has considered the organisation's other active and recent agreements
    # (required when it has any: agreement_selectors.other_funding).
    considered_funding: bool
    # Grants and commissioning: the later tranches are released when the organisation asks,
    # with an accepted progress report, instead of on their dates; ``milestones`` says what
    # each later tranche needs reached (in order, at most one per later tranche).
    paid_on_request: bool
    milestones: Sequence[str]
    # The groups each progress report counts the people reached in (the award page offers
    # the mission's target groups); none by default.
    beneficiary_groups: Sequence[str]


def agreement_award(*, proposal: Proposal, officer, **terms: Unpack[AwardTerms]) -> Agreement:
    """Turn a selected proposal into the offer of the call's instrument: a grant offer, a
    performance contract (tranches 80 % and 20 %, a mid-term and a final evaluation) or a
    commissioning partnership. Dates, amount and targets come from the proposal unless the
    officer sets them; grants and commissioning may split the money into their own shares."""
    data = fields_of(AwardTerms, terms)
    require(agreement_permissions.can_award(officer, proposal))
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
    _clean_dates(start, end, today=_today())
    kind = proposal.call.instrument
    instrument = rules_for(kind)
    if instrument.shares_fixed:
        shares = list(instrument.fixed_shares)
        if data.get("shares") not in (None, [], *instrument.fixed_share_spellings()):
            raise ValidationError(
                {"shares": [_("A performance contract pays 80 % and then 20 %.")]}
            )
    else:
        shares = clean_shares(data.get("shares") or [str(s) for s in instrument.default_shares])
    on_request, milestones = clean_paid_on_request(
        instrument, len(shares), data.get("paid_on_request", False), data.get("milestones")
    )
    groups = clean_beneficiary_groups(data.get("beneficiary_groups"))
    schedule = data.get("report_schedule", Agreement.ReportSchedule.BY_PERIOD)
    if schedule not in Agreement.ReportSchedule.values:
        raise ValidationError({"report_schedule": [_("Choose by period or by instalment.")]})
    every = data.get("report_every_months", 3)
    if isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= 12:
        raise ValidationError(
            {"report_every_months": [_("Give a whole number of months from 1 to 12.")]}
        )
    # Who signs for the agency, printed on the agreement: as typed, else the officer's
    # full name and position from their profile (never a username).
    cleaned["signatory_name"] = cleaned.get("signatory_name") or officer.get_full_name()[:255]
    cleaned["signatory_position"] = cleaned.get("signatory_position") or officer.position
    considered = data.get("considered_funding") is True
    with transaction.atomic():
        # The call first (its budget is shared by every award under it), then the proposal.
        call = Call.objects.select_for_update().get(pk=proposal.call_id)
        locked = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        if locked.status != Proposal.Status.SELECTED:
            raise InvalidTransition(
                _("Only a selected proposal can be awarded (it is “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        if Agreement.objects.filter(proposal=locked).exists():
            raise Conflict(_("This proposal already has its agreement."))
        budget = agreement_selectors.call_budget(call)
        if amount > budget.left:
            raise ValidationError(
                {
                    "amount": [
                        _(
                            "Only %(left)s baht of the call's total budget of %(total)s baht "
                            "is left (%(awarded)s baht is already awarded)."
                        )
                        % {
                            "left": f"{max(budget.left, 0):,.2f}",
                            "total": f"{budget.total:,.2f}",
                            "awarded": f"{budget.awarded:,.2f}",
                        }
                    ]
                }
            )
        # Double funding: the organisation's other active and recent agreements, from every
        # agency, are shown before the award, and the officer confirms having weighed them.
        others = agreement_selectors.other_funding(locked, start, end, _today())
        if others and not considered:
            overlapping = sum(row.overlaps for row in others)
            raise ValidationError(
                {
                    "considered_funding": [
                        _(
                            "The organisation has %(n)s other active or recent agreements "
                            "(%(overlapping)s overlapping this one): confirm you have "
                            "considered them, so the same work is not funded twice."
                        )
                        % {"n": len(others), "overlapping": overlapping}
                    ]
                }
            )
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
            beneficiary_groups=groups,
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
        agreement.number = reference_number(f"{instrument.number_prefix}-", agreement.pk)
        agreement.save(update_fields=["number"])
        _schedule_tranches(agreement, shares, on_request=on_request, milestones=milestones)
        _schedule_reports(agreement)
        _schedule_evaluations(agreement)
        audit_record(
            obj=agreement,
            actor=officer,
            action="award",
            to_status=agreement.status,
            data={
                "amount": str(agreement.amount),
                "shares": [str(s) for s in shares],
                "paid_on_request": on_request,
                "other_funding_considered": [
                    {"agreement": row.agreement.number, "overlaps": row.overlaps} for row in others
                ],
            },
        )
        _tell_cso(agreement, "agreement_offered")
    return agreement


# --- offer: sign or decline -------------------------------------------------------------


def agreement_accept(*, agreement: Agreement, user, signed_name: str, confirm: bool) -> Agreement:
    """The CSO signs the offer: its member types their full name and confirms; the name,
    the account and the time are recorded."""
    name, errors = signature_errors(signed_name)
    if confirm is not True:
        errors["confirm"] = [_("Confirm that you accept the terms on behalf of the organisation.")]
    if errors:
        require(agreement_permissions.can_sign_for_cso(user, agreement))
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
        permission=agreement_permissions.can_sign,
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
        permission=agreement_permissions.can_decline,
        reason=reason,
        apply=lambda obj: setattr(obj, "decline_reason", reason) or ["decline_reason"],
    )


# --- commissioning: co-design and delivery ------------------------------------------------


def agreement_update_design(
    *, agreement: Agreement, user, service_design=None, responsibilities=None
) -> Agreement:
    """Agency and CSO edit the shared service model and who does what, until delivery starts."""
    require(agreement_permissions.can_edit_service_design(user, agreement))
    fields, errors = [], {}
    if service_design is not None:
        service_design = str(service_design).strip()
        if len(service_design) > 50000:
            errors["service_design"] = [too_long(service_design, 50000)]
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
        require(agreement_permissions.can_edit_design(user, locked))
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
    require(agreement_permissions.can_manage_agreement(officer, agreement))
    with transaction.atomic():
        locked = _lock(agreement)
        require(agreement_permissions.can_start_delivery(officer, locked))
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
