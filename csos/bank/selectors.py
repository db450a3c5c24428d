"""Reads of bank accounts: an organisation's account, the flag that saves a query per row
when a list asks who may read it, and the account's audited changes."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_history
from portal.models import Bank
from portal.roles import Role, has_role

from . import rules
from .models import BankAccount

CHANGE_ACTION = "bank_account_change"

# The audited fields in the order a change lists them, with their labels.
FIELDS = {
    "bank": _("Bank"),
    "branch": _("Branch"),
    "account_name": _("Account name"),
    "account_number": _("Account number"),
}


def bank_account_of(cso) -> BankAccount | None:
    """The organisation's account, or None while it has recorded none (read through the
    relation, so a queryset that selected ``bank_account__bank`` costs no query)."""
    try:
        return cso.bank_account
    except ObjectDoesNotExist:
        return None


def with_partner_flag(queryset, user):
    """Mark each CSO in ``queryset`` with ``partner_of_agency``: whether ``user``'s agency has
    an agreement with it (one subquery instead of a query per row)."""
    if not (has_role(user, Role.AGENCY_OFFICER) and user.agency_id):
        return queryset
    agreements = queryset.model.agreements.rel.related_model.objects  # contracts' Agreement
    return queryset.annotate(
        partner_of_agency=Exists(agreements.filter(cso_id=OuterRef("pk"), agency_id=user.agency_id))
    )


def bank_account_changes(account: BankAccount | None) -> list[dict]:
    """Each audited change, oldest first: when, who, and each field's old and new value
    (account numbers masked, as the audit row keeps them; banks by their names, and by
    their codes in ``old_code``/``new_code``)."""
    if account is None:
        return []
    rows = list(audit_history(account).filter(action=CHANGE_ACTION))
    banks = {b.code: b for b in Bank.objects.all()} if rows else {}
    changes = []
    for row in rows:
        changed = (row.data or {}).get("changes", {})
        fields = []
        for name, label in FIELDS.items():
            if name not in changed:
                continue
            old_code, new_code = old, new = changed[name]
            if name == "bank":
                old, new = (str(banks.get(v, v)) if v else v for v in (old, new))
            fields.append(
                {
                    "name": name,
                    "label": label,
                    "old": old,
                    "new": new,
                    "old_code": old_code,
                    "new_code": new_code,
                }
            )
        changes.append({"at": row.at, "actor": row.actor, "fields": fields})
    return changes


def bank_account_summary(cso) -> dict:
    """What a page shows of the account to someone who may read it: the account, its number
    spaced as banks print it, and every change (templates/csos/bank/_account.html)."""
    account = bank_account_of(cso)
    return {
        "account": account,
        "number": rules.spaced(account.account_number) if account else "",
        "changes": bank_account_changes(account),
    }
