"""Local issues a provincial network works on (issue 16, item 2): a member raises a public
issue of the area with its evidence and the places affected; the network sets goals and the
results it expects and agrees a way to handle it, which becomes a public action contract."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocalIssue(models.Model):
    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        PLANNED = "planned", _("Goals agreed")
        CONTRACTED = "contracted", _("Action contract drawn up")
        CLOSED = "closed", _("Closed")

    network = models.ForeignKey("csos.Network", on_delete=models.CASCADE, related_name="issues")
    raised_by = models.ForeignKey(
        "csos.NetworkMember", on_delete=models.PROTECT, related_name="issues_raised",
        verbose_name=_("raised by"),
    )  # fmt: skip
    title = models.CharField(_("issue"), max_length=255)
    description = models.TextField(_("what is happening"), max_length=5000)
    evidence = models.TextField(_("evidence"), max_length=5000, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="networks/issues/", blank=True)
    places = models.CharField(_("places affected"), max_length=500)
    goals = models.TextField(_("goals"), max_length=5000, blank=True)
    results = models.TextField(_("expected results"), max_length=5000, blank=True)
    approach = models.TextField(_("agreed way to handle it"), max_length=5000, blank=True)
    close_reason = models.TextField(_("why it was closed"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RAISED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    planned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("local issue")
        verbose_name_plural = _("local issues")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["network", "-created_at"], name="issue_network_recent")]

    def __str__(self):
        return self.title
