from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .discovery import autodiscover


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the deploy checks)
            idle,  # noqa: F401  (starts the idle clock at sign-in)
        )
        from .lockouts import signals  # noqa: F401  (audits each sign-in lock)
        from .page_cache import start_watching

        # Every write through Django's connections moves its table's version (portal/page_cache).
        start_watching()

        # Every app's notice kinds and deadline rules (<app>.notices, <app>.<noun>.notices).
        autodiscover("notices")
        # Every noun's work queues for the "what needs you" page (<app>.<noun>.queues).
        autodiscover("queues")
