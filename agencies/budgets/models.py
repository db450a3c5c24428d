"""Participatory budgeting (issue 16, item 3): an agency opens a round with an envelope;
residents propose projects with a cost, the agency checks each one's feasibility (a reason
for every refusal), residents vote (approval voting within the envelope: one ballot per
verified account, changeable until the round closes) and the result is computed by the
round's rule: the most voted projects that still fit the envelope."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class BudgetRound(models.Model):
    class Status(models.TextChoices):
        PROPOSING = "proposing", _("Taking project ideas")
        REVIEWING = "reviewing", _("Checking feasibility")
        VOTING = "voting", _("Voting")
        CLOSED = "closed", _("Results published")

    class Rule(models.TextChoices):
        APPROVAL_WITHIN_ENVELOPE = (
            "approval_within_envelope",
            _("Most votes first; a project that no longer fits is skipped"),
        )

    class TieBreak(models.TextChoices):
        LOWER_COST = "lower_cost", _("The cheaper project first, then the earlier proposal")
        EARLIER = "earlier", _("The earlier proposal first")

    owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="budget_rounds",
        verbose_name=_("agency"),
    )  # fmt: skip
    # A round run with (or for) a province's public-affairs network.
    network = models.ForeignKey(
        "csos.Network", on_delete=models.PROTECT, null=True, blank=True,
        related_name="budget_rounds", verbose_name=_("provincial network"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("what the money is for, and the rules"), max_length=10000)
    provinces = models.ManyToManyField(
        "portal.Province", related_name="budget_rounds", verbose_name=_("provinces")
    )
    envelope = models.DecimalField(
        _("envelope (baht)"), **MONEY, validators=[MinValueValidator(Decimal("1"))]
    )
    rule = models.CharField(
        _("counting rule"), max_length=32, choices=Rule.choices,
        default=Rule.APPROVAL_WITHIN_ENVELOPE,
    )  # fmt: skip
    tie_break = models.CharField(
        _("ties are broken by"), max_length=16, choices=TieBreak.choices,
        default=TieBreak.LOWER_COST,
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSING
    )
    ballot_count = models.PositiveIntegerField(_("ballots"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("budget round")
        verbose_name_plural = _("budget rounds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(envelope__gt=0), name="budgetround_envelope_positive"
            ),
        ]

    def __str__(self):
        return self.title


class BudgetProject(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        FEASIBLE = "feasible", _("Feasible: on the ballot")
        INFEASIBLE = "infeasible", _("Not feasible")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    class Delivery(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DELIVERED = "delivered", _("Delivered")

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("what it is and who it helps"), max_length=5000)
    place = models.CharField(_("where"), max_length=255, blank=True)
    cost = models.DecimalField(_("cost (baht)"), **MONEY)
    # Who proposed it is never shown: only that a resident did.
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="budget_projects"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    reason = models.TextField(_("why not feasible"), max_length=2000, blank=True)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)  # set at closing
    rank = models.PositiveIntegerField(_("place in the count"), null=True, blank=True)
    mission = models.ForeignKey(
        "agencies.Mission", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="budget_projects", verbose_name=_("mission that delivers it"),
    )  # fmt: skip
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, blank=True)
    delivery_note = models.TextField(_("progress"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gt=0), name="budgetproject_cost"),
        ]

    def __str__(self):
        return self.title


class Ballot(models.Model):
    """One verified account's ballot in a round: the projects it approves, whose total cost
    fits the envelope. Changeable until the round closes; never shown, only counted."""

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_ballots"
    )
    projects = models.ManyToManyField(BudgetProject, related_name="ballots")
    cast_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_voter"),
        ]

    def __str__(self):
        return f"{self.round_id}: {self.voter_id}"
