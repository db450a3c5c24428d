from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import ActivityField, Province
from portal.reference import MissionType, ServiceCategory


class Mission(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="missions",
    )
    title_th = models.CharField(_("title (Thai)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    service_category = models.CharField(
        _("service category"), max_length=32, choices=ServiceCategory.choices
    )
    mission_type = models.CharField(_("mission type"), max_length=32, choices=MissionType.choices)
    activity_field = models.ForeignKey(
        ActivityField,
        verbose_name=_("activity field"),
        on_delete=models.PROTECT,
        related_name="missions",
        help_text=_("The field of work a CSO needs to take this mission on."),
    )
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    provinces = models.ManyToManyField(
        Province,
        verbose_name=_("provinces"),
        blank=True,
        related_name="missions",
        help_text=_("Leave empty for a nationwide mission."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service_category__in=ServiceCategory.values),
                name="mission_service_category_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(mission_type__in=MissionType.values),
                name="mission_type_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.title_en if get_language() == "en" and self.title_en else self.title_th
