"""A poll: one question an agency asks the public, with 2–10 options; one vote per
verified account (issue 15, item 5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Poll(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class ShowResults(models.TextChoices):
        AFTER_VOTE = "after_vote", _("After voting")
        AFTER_CLOSE = "after_close", _("After the poll closes")

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="polls"
    )
    mission = models.ForeignKey(
        "agencies.Mission",
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="polls",
    )
    question = models.CharField(_("question"), max_length=500)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    show_results = models.CharField(
        _("show results"),
        max_length=16,
        choices=ShowResults.choices,
        default=ShowResults.AFTER_VOTE,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("option"), max_length=200)

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="polloption_position_unique"),
        ]

    def __str__(self):
        return self.text


class Vote(models.Model):
    """One account's vote; who voted for what is never shown, only the counts."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter"], name="vote_one_per_voter"),
        ]

    def __str__(self):
        return f"{self.poll_id}: {self.option_id}"
