"""The bank account a CSO's payments go to."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _


class BankAccount(models.Model):
    """One per organisation, recorded and changed by its members only. Every change is
    audited with the numbers masked (csos.bank.services); a tranche keeps a copy of the
    account as it stood when it was released, so the money's destination never changes
    after the order to pay."""

    cso = models.OneToOneField(
        "csos.CSO",
        on_delete=models.CASCADE,
        related_name="bank_account",
        verbose_name=_("organisation"),
    )
    bank = models.ForeignKey(
        "portal.Bank", on_delete=models.PROTECT, related_name="+", verbose_name=_("bank")
    )
    branch = models.CharField(_("branch"), max_length=255)
    account_name = models.CharField(_("account name"), max_length=255)
    # Digits only, as the bank numbers it (csos.bank.rules): 10 digits, or 12 at some banks.
    account_number = models.CharField(_("account number"), max_length=12)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        constraints = [
            models.CheckConstraint(
                condition=In(Length("account_number"), [10, 12]),
                name="bank_account_number_length",
            ),
        ]

    def __str__(self):
        # Never the full number: this is what logs and the admin's messages print.
        return f"{self.bank_id} xxxxxx{self.account_number[-4:]}"
