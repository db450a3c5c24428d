"""Citizens' assemblies chosen by lot (issue 16, item 4): volunteers register with the
characteristics the organiser chose; the portal draws the members by stratified random
selection from a published seed (sortition.py); reserves take the seats of members who drop
out; sessions and recommendations are recorded, with the agency's answer to each."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..advisory.models import Recommendation as AdvisoryRecommendation


class Characteristic(models.TextChoices):
    DISTRICT = "district", _("District")
    AGE_BAND = "age_band", _("Age band")
    GENDER = "gender", _("Gender")
    OCCUPATION = "occupation", _("Occupation")


class Assembly(models.Model):
    class Status(models.TextChoices):
        RECRUITING = "recruiting", _("Taking volunteers")
        DRAWN = "drawn", _("Members drawn")
        MEETING = "meeting", _("Meeting")
        REPORTED = "reported", _("Reported")

    owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="assemblies",
        verbose_name=_("agency"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=255)
    purpose = models.TextField(_("the question it answers"), max_length=10000)
    budget_round = models.ForeignKey(
        "agencies.BudgetRound", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assemblies", verbose_name=_("budget round"),
    )  # fmt: skip
    consultation = models.ForeignKey(
        "agencies.Consultation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assemblies", verbose_name=_("consultation"),
    )  # fmt: skip
    seats = models.PositiveSmallIntegerField(_("seats"))
    reserves = models.PositiveSmallIntegerField(_("reserves"), default=0)
    # {characteristic: {value: seats}}; each characteristic's seats add up to ``seats``.
    quotas = models.JSONField(_("quotas"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECRUITING
    )
    volunteer_count = models.PositiveIntegerField(default=0)
    # The draw, published: the seed, the snapshot it was drawn from and its hash, and the
    # quotas the volunteers could not fill.
    seed = models.CharField(_("seed"), max_length=200, blank=True)
    snapshot = models.JSONField(default=list, blank=True)
    snapshot_hash = models.CharField(max_length=64, blank=True)
    unmet = models.JSONField(default=dict, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("citizens' assembly")
        verbose_name_plural = _("citizens' assemblies")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=2), name="assembly_seats"),
        ]

    def __str__(self):
        return self.title


class Volunteer(models.Model):
    """A person who offered to sit: known to the public only by their number."""

    class Status(models.TextChoices):
        VOLUNTEERED = "volunteered", _("Volunteered")
        MEMBER = "member", _("Member")
        RESERVE = "reserve", _("Reserve")
        NOT_DRAWN = "not_drawn", _("Not drawn")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="volunteers")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assembly_volunteering"
    )
    number = models.PositiveIntegerField(_("volunteer number"))
    traits = models.JSONField(_("characteristics"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VOLUNTEERED
    )
    reserve_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "person"], name="volunteer_once"),
            models.UniqueConstraint(fields=["assembly", "number"], name="volunteer_number"),
        ]

    def __str__(self):
        return f"{self.assembly_id} #{self.number}"


class Session(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    summary = models.TextField(_("what was discussed"), max_length=20000)

    class Meta:
        verbose_name = _("assembly session")
        verbose_name_plural = _("assembly sessions")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.assembly} {self.held_on}"


class AssemblyRecommendation(models.Model):
    Answer = AdvisoryRecommendation.Answer

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"), max_length=5000)
    made_on = models.DateField(_("made on"))
    answer = models.CharField(max_length=16, choices=Answer.choices, default=Answer.PENDING)
    explanation = models.TextField(_("explanation"), max_length=5000, blank=True)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("assembly recommendation")
        verbose_name_plural = _("assembly recommendations")
        ordering = ["made_on", "pk"]

    def __str__(self):
        return self.text[:60]
