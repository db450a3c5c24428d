from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies and missions")

    def ready(self):
        from portal import caching

        from .consultations import models as c

        # The public consultation pages are cached until one of these rows changes.
        caching.watch(
            c.CACHE_AREA,
            c.Consultation, c.Document, c.Question, c.Response, c.Theme, c.Contribution,
            c.Reaction, c.Flag, c.ResponseReport, c.Decision, c.Consultation.panel.through,
            c.Contribution.themes.through, c.Decision.contributions.through,
        )  # fmt: skip
