"""The open-data files as last built: one row per file and language."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    """One open-data file (``ocds.json`` in Thai, say) as last built in the background: what
    it was built from (``stamp``: the data's version, the portal's address, the licence), where
    the file lies in storage, and what building it cost. The file before it stays one build
    longer, so a download already under way is never cut short."""

    name = models.CharField(_("file"), max_length=32)
    language = models.CharField(_("language"), max_length=8)
    stamp = models.CharField(max_length=64)
    path = models.CharField(max_length=255)
    previous_path = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    items = models.PositiveIntegerField(_("grants, releases or rows"))
    built_at = models.DateTimeField(_("built at"))
    seconds = models.FloatField(_("seconds to build"))

    class Meta:
        verbose_name = _("open-data file")
        verbose_name_plural = _("open-data files")
        constraints = [
            models.UniqueConstraint(fields=["name", "language"], name="open_data_export_once")
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"
