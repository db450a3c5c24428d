from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import Province

from .advisory.models import AdvisoryGroup, GroupMeeting, Member, Recommendation
from .assemblies.models import Assembly, AssemblyRecommendation, Session, Volunteer
from .budgets.models import Ballot, BudgetProject, BudgetRound
from .consultations.models import (
    Consultation,
    Contribution,
    Decision,
    Document,
    Flag,
    Question,
    Reaction,
    Response,
    ResponseReport,
    Theme,
)
from .faqs.models import Faq
from .meetings.models import Material, Meeting, Registration
from .missions.models import Mission
from .ogp.models import Commitment, Milestone, Plan, ProgressReport
from .polls.models import Poll, PollOption, Vote

__all__ = [
    "AdvisoryGroup",
    "GroupMeeting",
    "Member",
    "Recommendation",
    "Agency",
    "Assembly",
    "AssemblyRecommendation",
    "Session",
    "Volunteer",
    "Ballot",
    "BudgetProject",
    "BudgetRound",
    "Consultation",
    "Contribution",
    "Decision",
    "Document",
    "Flag",
    "Question",
    "Reaction",
    "Response",
    "ResponseReport",
    "Theme",
    "Faq",
    "Material",
    "Meeting",
    "Mission",
    "Commitment",
    "Milestone",
    "Plan",
    "ProgressReport",
    "Poll",
    "PollOption",
    "Registration",
    "Vote",
]


class Agency(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        DEPARTMENT = "department", _("Department")
        PROVINCIAL_OFFICE = "provincial_office", _("Provincial office")
        OTHER = "other", _("Other")

    name_th = models.CharField(_("Thai name"), max_length=255, unique=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_th"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["ministry", "department", "provincial_office", "other"]
                ),
                name="agency_kind_valid",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if get_language() == "en" and self.name_en else self.name_th
