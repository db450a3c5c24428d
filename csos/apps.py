from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CsosConfig(AppConfig):
    name = "csos"
    verbose_name = _("CSO registry")
