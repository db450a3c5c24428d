"""Advisory groups and task forces (issue 15, item 8): standing bodies of an agency with
members from agencies, CSOs, experts and citizens (each with a term), their meetings and
minutes, their recommendations and the agency's answer to each."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdvisoryGroup(models.Model):
    class Kind(models.TextChoices):
        ADVISORY_GROUP = "advisory_group", _("Advisory group")
        TASK_FORCE = "task_force", _("Task force")
        EXPERT_PANEL = "expert_panel", _("Expert panel")
        CITIZENS_PANEL = "citizens_panel", _("Citizens' panel")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="advisory_groups"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    purpose = models.TextField(_("purpose and terms of reference"), max_length=10000)
    missions = models.ManyToManyField(
        "agencies.Mission", verbose_name=_("missions it advises on"), blank=True,
        related_name="advisory_groups",
    )  # fmt: skip
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("advisory group")
        verbose_name_plural = _("advisory groups")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "active", "dissolved"]),
                name="advisory_group_status_valid",
            )
        ]

    def __str__(self):
        return self.name


class Member(models.Model):
    class Type(models.TextChoices):
        AGENCY = "agency", _("Government agency")
        CSO = "cso", _("Civil society organisation")
        EXPERT = "expert", _("Expert")
        CITIZEN = "citizen", _("Citizen")

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(AdvisoryGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=255)
    member_type = models.CharField(_("member type"), max_length=16, choices=Type.choices)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="advisory_memberships",
    )  # fmt: skip

    class Meta:
        verbose_name = _("advisory group member")
        verbose_name_plural = _("advisory group members")
        ordering = ["role", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="advisory_member_term_order",
            )
        ]

    def __str__(self):
        return self.name


class GroupMeeting(models.Model):
    group = models.ForeignKey(AdvisoryGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), max_length=5000)
    minutes = models.TextField(_("minutes"), max_length=50000, blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("advisory group meeting")
        verbose_name_plural = _("advisory group meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.group} {self.held_on}"


class Recommendation(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        CONSIDERING = "considering", _("Under consideration")

    group = models.ForeignKey(
        AdvisoryGroup, on_delete=models.CASCADE, related_name="recommendations"
    )
    meeting = models.ForeignKey(
        GroupMeeting, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recommendations",
    )  # fmt: skip
    text = models.TextField(_("recommendation"), max_length=5000)
    made_on = models.DateField(_("made on"))
    answer = models.CharField(
        _("the agency's answer"), max_length=16, choices=Answer.choices, default=Answer.PENDING
    )
    explanation = models.TextField(_("explanation"), max_length=5000, blank=True)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-made_on", "-pk"]

    def __str__(self):
        return self.text[:60]
