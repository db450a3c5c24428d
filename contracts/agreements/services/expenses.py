"""Expenses against the agreement's budget: the organisation records what it spent on each
budget line, with the receipt; a line may run over its budget by a set share
(``BUDGET_LINE_TOLERANCE_PERCENT``), beyond which moving money between lines needs a
variation. Each expense writes an audit row (a money movement)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import money as agreement_money
from contracts.agreements import permissions as agreement_permissions
from contracts.agreements import selectors as agreement_selectors
from contracts.agreements.models import Agreement, Expense, Settlement
from contracts.agreements.notices import agreement_context, officers
from contracts.agreements.rules import disbursed_total
from contracts.agreements.services.base import _lock
from csos.models import CSO
from csos.registration.selectors import cso_members as members
from portal.audit import audit_record
from portal.dates import format_be
from portal.notices.services import notify, url_for
from portal.uploads import check_room, stored_upload
from portal.validation import check_name, money, too_long
from portal.workflow import InvalidTransition, require

AS = Agreement.Status
OPEN_FOR_EXPENSES = {AS.ACTIVE, AS.COMPLETED}


def expense_record(
    *, agreement: Agreement, user, budget_line, spent_on, amount, payee: str, description: str,
    receipt,
) -> Expense:  # fmt: skip
    """The organisation records one expense on a line of the agreement's budget, with its
    receipt, while the agreement runs or until it is settled."""
    require(agreement_permissions.can_act_for_cso(user, agreement))
    errors = {}
    lines = {line.pk: line for line in agreement.proposal.budget_lines.all()}
    line = lines.get(getattr(budget_line, "pk", budget_line))
    if line is None:
        errors["budget_line"] = [_("Choose a line of this agreement's budget.")]
    try:
        amount = money(amount, field="amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    today = timezone.localdate()
    if not isinstance(spent_on, datetime.date) or isinstance(spent_on, datetime.datetime):
        errors["spent_on"] = [_("Give a date.")]
    elif spent_on > today:
        errors["spent_on"] = [_("Give the day the money was spent: not a future date.")]
    elif not agreement.start_date <= spent_on <= agreement.end_date:
        errors["spent_on"] = [
            _("Give a date within the agreement's period (%(start)s to %(end)s).")
            % {"start": format_be(agreement.start_date), "end": format_be(agreement.end_date)}
        ]
    texts = {"payee": (payee, 255, _("Say who was paid.")),
             "description": (description, 500, _("Say what it paid for."))}  # fmt: skip
    cleaned = {}
    for name, (value, limit, missing) in texts.items():
        value = " ".join(str(value or "").split())
        if not value:
            errors[name] = [missing]
        elif len(value) > limit:
            errors[name] = [too_long(value, limit)]
        cleaned[name] = value
    if receipt is None:
        errors["receipt"] = [_("Attach the receipt: a photo or a PDF.")]
    if errors:
        raise ValidationError(errors)
    check_name(cleaned["payee"], field="payee")
    try:
        stored = stored_upload(receipt)
    except ValidationError as exc:
        raise ValidationError({"receipt": exc.message_dict["file"]}) from exc
    with transaction.atomic():
        # The agreement first (its lines' totals), then the organisation (its stored total):
        # the order releasing and paying a tranche keep.
        locked = _lock(agreement)
        CSO.objects.select_for_update().only("pk").get(pk=agreement.cso_id)
        if locked.status not in OPEN_FOR_EXPENSES:
            raise InvalidTransition(
                _("Expenses are recorded while the agreement runs, until it is settled (it is "
                  "“%(status)s”).") % {"status": locked.get_status_display()}
            )  # fmt: skip
        try:
            check_room(documents=0, cso_id=locked.cso_id, size=stored["size"])
        except ValidationError as exc:
            raise ValidationError({"receipt": exc.message_dict["file"]}) from exc
        _check_line(locked, line, amount)
        expense = Expense.objects.create(
            agreement=locked,
            budget_line=line,
            spent_on=spent_on,
            amount=amount,
            uploaded_by=user,
            **cleaned,
            **stored,
        )
        restate_settlement(locked, user)  # a settlement already stated follows
        audit_record(
            obj=expense,
            actor=user,
            action="record_expense",
            to_status=expense.check_status,
            data={"amount": str(amount), "budget_line": line.pk, "spent_on": spent_on.isoformat()},
        )
    return expense


def _check_line(agreement: Agreement, line, amount) -> None:
    """A line may run over its budget by the set share; beyond it, a variation moves the
    money."""
    row = next(r for r in agreement_selectors.budget_of(agreement) if r.line.pk == line.pk)
    share = settings.BUDGET_LINE_TOLERANCE_PERCENT
    most = row.budget + row.budget * share / 100
    if row.spent + amount > most:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "This takes “%(line)s” to %(total)s baht, more than its budget of "
                        "%(budget)s baht by over %(share)s %%: moving money between budget "
                        "lines beyond that needs a variation of the agreement."
                    )
                    % {
                        "line": line.description,
                        "total": f"{row.spent + amount:,.2f}",
                        "budget": f"{row.budget:,.2f}",
                        "share": share,
                    }
                ]
            }
        )


def expense_delete(*, expense: Expense, user) -> None:
    """The organisation removes an expense the officer has not checked yet (a mistake);
    the audit row stays, the receipt goes once the change is committed."""
    require(agreement_permissions.can_act_for_cso(user, expense.agreement))
    with transaction.atomic():
        locked = _lock(expense.agreement)
        held = Expense.objects.select_for_update().get(pk=expense.pk)
        held.agreement = locked
        if held.check_status != Expense.Check.PENDING:
            raise InvalidTransition(_("An expense the agency has checked stays."))
        audit_record(
            obj=held.agreement,
            actor=user,
            action="delete_expense",
            from_status=held.agreement.status,
            to_status=held.agreement.status,
            data={"amount": str(held.amount), "budget_line": held.budget_line_id,
                  "spent_on": held.spent_on.isoformat()},
        )  # fmt: skip
        file = held.file
        held.delete()
        restate_settlement(held.agreement, user)
        transaction.on_commit(lambda: file.delete(save=False))


CHECKS = {Expense.Check.ACCEPTED, Expense.Check.QUERIED, Expense.Check.REJECTED}


def expense_check(*, expense: Expense, officer, check: str, note: str = "") -> Expense:
    """The agency's officer checks one expense: accepted, queried (with the question the
    organisation reads) or rejected (with the reason). A rejected expense no longer counts
    as spent: a settlement already stated follows it. Checked again while not settled."""
    require(agreement_permissions.can_manage_agreement(officer, expense.agreement))
    note = str(note or "").strip()
    if check not in CHECKS:
        raise ValidationError({"check": [_("Accept, query or reject the expense.")]})
    if check != Expense.Check.ACCEPTED and not note:
        raise ValidationError(
            {"note": [_("Say what the organisation should explain, or why it is rejected.")]}
        )
    if len(note) > 5000:
        raise ValidationError({"note": [too_long(note, 5000)]})
    with transaction.atomic():
        locked = _lock(expense.agreement)
        if locked.status not in OPEN_FOR_EXPENSES:
            raise InvalidTransition(
                _("Expenses are checked until the agreement is settled (it is “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        held = Expense.objects.select_for_update().get(pk=expense.pk)
        before = held.check_status
        held.check_status, held.check_note = check, note
        held.save(update_fields=["check_status", "check_note"])
        audit_record(
            obj=held,
            actor=officer,
            action="check_expense",
            from_status=before,
            to_status=check,
            reason=note,
            data={"amount": str(held.amount)},
        )
        if Expense.Check.REJECTED in {before, check}:
            restate_settlement(locked, officer)
        if check == Expense.Check.QUERIED:
            _tell_about(held, locked, "expense_queried", members(locked.cso_id), note)
    return held


def expense_answer(*, expense: Expense, user, answer: str) -> Expense:
    """The organisation answers the officer's question about a queried expense: the
    expense goes back to be checked, with the answer, and the agency's officers are told.
    A corrected receipt is recorded as a new expense (and the queried one removed)."""
    require(agreement_permissions.can_act_for_cso(user, expense.agreement))
    answer = str(answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("Answer the officer's question.")]})
    if len(answer) > 5000:
        raise ValidationError({"answer": [too_long(answer, 5000)]})
    with transaction.atomic():
        locked = _lock(expense.agreement)
        held = Expense.objects.select_for_update().get(pk=expense.pk)
        if locked.status not in OPEN_FOR_EXPENSES or held.check_status != Expense.Check.QUERIED:
            raise InvalidTransition(
                _("Only a queried expense is answered, before the agreement is settled (it is "
                  "“%(status)s”).") % {"status": held.get_check_status_display()}
            )  # fmt: skip
        held.check_status, held.answer = Expense.Check.PENDING, answer
        held.save(update_fields=["check_status", "answer"])
        audit_record(
            obj=held,
            actor=user,
            action="answer_expense",
            from_status=Expense.Check.QUERIED,
            to_status=Expense.Check.PENDING,
            reason=answer,
            data={"amount": str(held.amount)},
        )
        _tell_about(held, locked, "expense_answered", officers(locked.agency_id), answer)
    return held


def _tell_about(expense: Expense, agreement: Agreement, kind: str, recipients, text) -> None:
    """Notify one side about an expense, inside the change's transaction."""
    notify(
        kind,
        recipients,
        expense,
        context=agreement_context(
            agreement,
            cso=agreement.cso.name_th,
            amount=f"{expense.amount:,.2f}",
            payee=expense.payee,
            reason=text,
        ),
        url=url_for("agreement-expenses", agreement.pk),
        extra=str(timezone.now().timestamp()),
    )


def expenses_spent(agreement: Agreement):
    """What the recorded expenses add up to (those rejected aside), or None without any."""
    rows = Expense.objects.filter(agreement=agreement)
    if not rows.exists():
        return None
    total = rows.exclude(check_status=Expense.Check.REJECTED).aggregate(total=Sum("amount"))
    return total["total"] or Decimal("0.00")


def restate_settlement(agreement: Agreement, user) -> None:
    """A stated settlement follows what moved after it: a payment recorded (what was
    disbursed) or an expense rejected or no longer rejected (what was spent, when the
    settlement is built from expenses); its refund due with them. The change is audited on
    the agreement, naming what moved. The agreement is locked by the caller."""
    settlement = Settlement.objects.select_for_update().filter(agreement=agreement).first()
    if settlement is None:
        return
    before = {
        "disbursed_total": settlement.disbursed_total,
        "spent_total": settlement.spent_total,
        "refund_due": settlement.refund_due,
    }
    settlement.disbursed_total = disbursed_total(agreement)
    spent = expenses_spent(agreement)
    if spent is not None:
        settlement.spent_total = spent
    settlement.refund_due = agreement_money.refund_due(
        settlement.disbursed_total, settlement.spent_total
    )
    moved = {
        name: [str(was), str(getattr(settlement, name))]
        for name, was in before.items()
        if getattr(settlement, name) != was
    }
    if not moved:
        return
    settlement.save(update_fields=["disbursed_total", "spent_total", "refund_due"])
    audit_record(
        obj=agreement,
        actor=user,
        action="settlement_restated",
        from_status=agreement.status,
        to_status=agreement.status,
        data={**moved, "uncovered": str(settlement.uncovered)},
    )
