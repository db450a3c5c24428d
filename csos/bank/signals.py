"""Told when an organisation's bank account changes. The registry sits below the agreements
(csos may not import contracts), so the agreements listen here to warn the agencies that pay
the organisation (contracts.agreements.notices)."""

from django.dispatch import Signal

# Sent inside the change's transaction, after its audit row: sender=BankAccount, with
# ``account`` (the account as it now stands), ``actor`` and ``audit`` (the audit row).
bank_account_changed = Signal()
