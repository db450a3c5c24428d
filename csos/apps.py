from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CsosConfig(AppConfig):
    name = "csos"
    verbose_name = _("CSO registry")

    def ready(self):
        # An organisation's registration documents count towards what it may keep.
        from csos.registration.selectors import document_bytes
        from portal.uploads import register_organisation_usage

        register_organisation_usage(document_bytes)
