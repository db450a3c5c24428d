from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        # Selecting a proposal (contracts) judges it against the ranking, which is ours.
        from assessments.reviews.selectors import proposal_standing
        from contracts.proposals.rules import register_standing_reader

        register_standing_reader(proposal_standing)

        # The renewal and award screens (contracts) show the citizens' grievance record.
        from assessments.grievances.selectors import agreement_record_panel, cso_record_panel
        from contracts.agreements.records import register_record_readers

        register_record_readers(agreement=agreement_record_panel, cso=cso_record_panel)
        # What citizens said of an agreement's service (ours), read by contracts' open data
        # and its renewal and award screens.
        from assessments.feedback import selectors as feedback_selectors
        from contracts.report_cards import register_report_card_readers

        register_report_card_readers(
            agreements=feedback_selectors.agreement_summaries,
            cso=feedback_selectors.cso_summary,
            version_columns=feedback_selectors.feedback_version_columns,
        )
