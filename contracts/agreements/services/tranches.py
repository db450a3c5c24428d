"""The money of an agreement: the officer releases a tranche into the organisation's bank
account as it stands, the finance system records its payment. Never twice, never to a
suspended organisation.

Lock order, the same in both: the agreement (termination locks it), then its CSO (the
committee's suspension and a change of bank account lock it), then the tranche. So a
suspension, a termination or a new account either lands before a release, which then sees
it, or waits until the release has committed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import permissions as agreement_permissions
from contracts.agreements.models import (
    Agreement,
    MoneyMovement,
    PaymentRequest,
    Tranche,
)
from contracts.agreements.rules import _today, payment_problems
from contracts.agreements.services.base import _tell_cso
from contracts.agreements.services.expenses import restate_settlement
from csos.bank.rules import masked
from csos.bank.selectors import bank_account_of
from csos.models import CSO
from portal.audit import audit_record
from portal.validation import too_long
from portal.workflow import (
    Conflict,
    InvalidTransition,
    assert_transition,
    require,
)

TS = Tranche.Status
PRS = PaymentRequest.Status


PAYEE_FIELDS = [
    "payee_bank",
    "payee_bank_name_th",
    "payee_bank_name_en",
    "payee_branch",
    "payee_account_name",
    "payee_account_number",
]


def _lock(tranche: Tranche) -> tuple[Agreement, Tranche]:
    """The agreement, its CSO and the tranche, locked in that order (see the module's
    docstring), the locked CSO on the agreement and the agreement on the tranche."""
    agreement = Agreement.objects.select_for_update().get(pk=tranche.agreement_id)
    agreement.cso = CSO.objects.select_for_update().get(pk=agreement.cso_id)
    locked = Tranche.objects.select_for_update().get(pk=tranche.pk)
    locked.agreement = agreement
    return agreement, locked


def tranche_release(*, tranche: Tranche, officer) -> Tranche:
    """Release a tranche for payment into the organisation's bank account, copied onto the
    tranche as it stands now. Nothing is released twice: the tranche row is locked, its
    status re-checked, and the ledger's unique (tranche, release) row is the last word.
    Nothing is released to a suspended organisation or one without a bank account."""
    require(agreement_permissions.can_manage_agreement(officer, tranche.agreement))
    with transaction.atomic():
        agreement, locked = _lock(tranche)
        # The one answer to "who may release this tranche, and when", asked on the locked
        # rows: the page's release button asks the same function (suspension and a missing
        # bank account included).
        require(agreement_permissions.can_release_tranche(officer, locked))
        # Read under the CSO's lock: the account as it stands, never one being changed.
        account = bank_account_of(agreement.cso)
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
        locked.payee_bank = account.bank.code
        locked.payee_bank_name_th = account.bank.name_th
        locked.payee_bank_name_en = account.bank.name_en
        locked.payee_branch = account.branch
        locked.payee_account_name = account.account_name
        locked.payee_account_number = account.account_number
        locked.save(update_fields=["status", "released_at", *PAYEE_FIELDS])
        approved = _approve_request(locked, officer, now)
        audit_record(
            obj=locked,
            actor=officer,
            action="release",
            from_status=TS.SCHEDULED,
            to_status=TS.RELEASED,
            data={
                "amount": str(locked.amount),
                "agreement": agreement.pk,
                "seq": locked.seq,
                "bank": account.bank.code,
                "account_number": masked(account.account_number),
                "payment_request": approved.number if approved else None,
            },
        )
        _tell_cso(
            agreement, "tranche_released", locked, seq=locked.seq, amount=f"{locked.amount:,.2f}"
        )
    return locked


def _approve_request(tranche: Tranche, officer, now) -> PaymentRequest | None:
    """Inside a release, under its locks: a tranche paid on request is released by approving
    the request waiting for it (rules.release_problems makes sure there is one)."""
    if tranche.condition != Tranche.Condition.ON_REQUEST:
        return None
    request = PaymentRequest.objects.select_for_update().get(tranche=tranche, status=PRS.PENDING)
    request.status, request.answered_by, request.answered_at = PRS.APPROVED, officer, now
    request.save(update_fields=["status", "answered_by", "answered_at"])
    audit_record(
        obj=request,
        actor=officer,
        action="approve_payment_request",
        from_status=PRS.PENDING,
        to_status=PRS.APPROVED,
        data={"agreement": tranche.agreement_id, "seq": tranche.seq},
    )
    return request


def tranche_pay(*, tranche: Tranche, user, payment_reference: str, paid_on) -> Tranche:
    """The finance system records that a released tranche was paid. Never twice, and never
    while the committee has the organisation suspended (rules.payment_problems)."""
    require(agreement_permissions.can_record_payment(user, tranche.agreement))
    reference = str(payment_reference or "").strip()
    errors = {}
    if not reference:
        errors["payment_reference"] = [_("Give the payment reference.")]
    elif len(reference) > 64:
        errors["payment_reference"] = [too_long(reference, 64)]
    if not isinstance(paid_on, datetime.date) or isinstance(paid_on, datetime.datetime):
        errors["paid_on"] = [_("Give the date of payment.")]
    elif paid_on > _today():
        errors["paid_on"] = [_("The payment date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement, locked = _lock(tranche)
        assert_transition(
            Tranche.TRANSITIONS, locked.status, TS.PAID, label=locked.get_status_display()
        )
        problems = payment_problems(locked, agreement)
        if problems:
            raise InvalidTransition(" ".join(problems))
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
        restate_settlement(agreement, user)
        _tell_cso(
            locked.agreement,
            "tranche_paid",
            locked,
            seq=locked.seq,
            amount=f"{locked.amount:,.2f}",
            reference=reference,
        )
    return locked
