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
