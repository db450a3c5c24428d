from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Agreements")

    def ready(self):
        # The agreements' notice kinds and their listener for a partner's change of bank
        # account, connected wherever Django runs (web, worker, commands).
        from contracts.agreements import notices  # noqa: F401

        # Proposal documents, expense receipts and progress reports' evidence count towards
        # what their organisation may keep.
        from contracts.agreements.selectors import evidence_bytes, expense_bytes
        from contracts.proposals.selectors import document_bytes
        from portal.uploads import register_organisation_usage

        register_organisation_usage(document_bytes)
        register_organisation_usage(expense_bytes)
        register_organisation_usage(evidence_bytes)
