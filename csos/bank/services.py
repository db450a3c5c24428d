"""Recording an organisation's bank account. Views and API views call this; the account
number never reaches a log: the audit row keeps it masked, and the locals of a failing call
are hidden from error reports."""

from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from portal.audit import audit_record
from portal.models import Bank
from portal.workflow import require

from . import permissions, rules
from .models import BankAccount
from .selectors import CHANGE_ACTION, FIELDS
from .signals import bank_account_changed


def _audited(account: BankAccount | None) -> dict:
    """What the audit row compares: the number masked, never in full."""
    if account is None:
        return dict.fromkeys(FIELDS)
    return {
        "bank": account.bank_id,
        "branch": account.branch,
        "account_name": account.account_name,
        "account_number": rules.masked(account.account_number),
    }


@sensitive_variables("account_number", "number", "account")
def bank_account_set(
    *, cso, user, bank: str, branch: str, account_name: str, account_number: str
) -> BankAccount:
    """Record the account the organisation's payments go to, or change it (its own members
    only). Every change writes an audit row with what changed, the numbers masked; saving
    the same account again changes nothing. The CSO row is locked first, as a tranche's
    release locks it before reading the account, so a release pays into the account as it
    stood either before or after this change, never half of each."""
    require(permissions.can_edit_bank_account(user, cso))
    bank_code = str(bank or "").strip()
    branch = str(branch or "").strip()
    account_name = " ".join(str(account_name or "").split())
    number = rules.clean_account_number(account_number)
    bank_row = Bank.objects.filter(code=bank_code).first() if bank_code else None
    rules.validate_bank_account(
        bank=bank_row, bank_code=bank_code, branch=branch, account_name=account_name, number=number
    )
    cso_model = BankAccount._meta.get_field("cso").related_model
    with transaction.atomic():
        locked = cso_model.objects.select_for_update().get(pk=cso.pk)
        account = BankAccount.objects.filter(cso=locked).first()
        before = _audited(account)
        number_changed = account is None or account.account_number != number
        if account is None:
            account = BankAccount(cso=locked)
        account.bank = bank_row
        account.branch = branch
        account.account_name = account_name
        account.account_number = number
        after = _audited(account)
        changes = {k: [before[k], after[k]] for k in FIELDS if before[k] != after[k]}
        if number_changed:  # even to another number with the same last 4 digits
            changes["account_number"] = [before["account_number"], after["account_number"]]
        if not changes:
            return account
        account.updated_by = user
        account.save()
        row = audit_record(obj=account, actor=user, action=CHANGE_ACTION, data={"changes": changes})
        bank_account_changed.send(BankAccount, account=account, actor=user, audit=row)
    return account
