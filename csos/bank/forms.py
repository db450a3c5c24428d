from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm, ServiceCheckedField
from portal.models import Bank


class BankAccountForm(PortalForm):
    """The account payments go to; the service checks every rule (csos.bank.rules) and
    reports each problem on its field at once."""

    bank = forms.ChoiceField(label=_("Bank"), error_messages={"required": _("Choose the bank.")})
    branch = ServiceCheckedField(label=_("Branch"), max_length=255)
    account_name = ServiceCheckedField(
        label=_("Account name"),
        max_length=255,
        help_text=_("As the bank shows it, usually the organisation's name."),
    )
    account_number = ServiceCheckedField(
        label=_("Account number"),
        max_length=64,
        help_text=_(
            "Digits only; dashes and spaces are fine. 10 digits, or 12 at the Government "
            "Savings Bank, the Government Housing Bank and BAAC."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = [("", _("Choose…"))] + [
            (bank.code, str(bank)) for bank in Bank.objects.all()
        ]

    @classmethod
    def initial_from(cls, account) -> dict:
        if account is None:
            return {}
        return {
            "bank": account.bank_id,
            "branch": account.branch,
            "account_name": account.account_name,
            "account_number": account.account_number,
        }
