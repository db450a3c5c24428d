"""User management committees (issue 16, item 5): for a commissioned service, a committee of
the service's users with the agency and the CSO, with members and terms, meetings, decisions
and recommendations the agency answers; shown with the funded project."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.advisory.models import Recommendation as AdvisoryRecommendation


class UserCommittee(models.Model):
    agreement = models.OneToOneField(
        "contracts.Agreement", on_delete=models.CASCADE, related_name="user_committee"
    )
    purpose = models.TextField(_("what the committee oversees"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("user management committee")
        verbose_name_plural = _("user management committees")

    def __str__(self):
        return f"{self.agreement}"


class CommitteeMember(models.Model):
    class Side(models.TextChoices):
        SERVICE_USER = "service_user", _("Service user")
        AGENCY = "agency", _("Agency")
        CSO = "cso", _("Civil society organisation")

    committee = models.ForeignKey(UserCommittee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=255)
    side = models.CharField(_("who they are"), max_length=16, choices=Side.choices)
    is_chair = models.BooleanField(_("chair"), default=False)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["side", "name", "pk"]

    def __str__(self):
        return self.name


class CommitteeMeeting(models.Model):
    committee = models.ForeignKey(UserCommittee, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    minutes = models.TextField(_("minutes"), max_length=20000)
    decisions = models.TextField(_("decisions"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.committee} {self.held_on}"


class CommitteeRecommendation(models.Model):
    Answer = AdvisoryRecommendation.Answer

    committee = models.ForeignKey(
        UserCommittee, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"), max_length=5000)
    made_on = models.DateField(_("made on"))
    answer = models.CharField(max_length=16, choices=Answer.choices, default=Answer.PENDING)
    explanation = models.TextField(_("explanation"), max_length=5000, blank=True)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("committee recommendation")
        verbose_name_plural = _("committee recommendations")
        ordering = ["-made_on", "-pk"]

    def __str__(self):
        return self.text[:60]
