"""Public action contracts (บันทึกข้อตกลงความร่วมมือ, issue 16, item 2): the way a network
agreed to handle a local issue, between named parties, each with its commitments and a date;
signed by every party, tracked to completion in public like community oversight, and marked
as fed into the provincial development plan (plan year, project code)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionContract(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    issue = models.OneToOneField(
        "csos.LocalIssue", on_delete=models.CASCADE, related_name="contract"
    )
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # Fed into the provincial development plan.
    plan_year = models.PositiveSmallIntegerField(_("plan year (B.E.)"), null=True, blank=True)
    plan_project_code = models.CharField(_("plan project code"), max_length=50, blank=True)
    plan_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("public action contract")
        verbose_name_plural = _("public action contracts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class ContractParty(models.Model):
    contract = models.ForeignKey(ActionContract, on_delete=models.CASCADE, related_name="parties")
    member = models.ForeignKey(
        "csos.NetworkMember", on_delete=models.PROTECT, null=True, blank=True,
        related_name="contract_parties",
    )  # fmt: skip
    name = models.CharField(_("party"), max_length=255)
    commitments = models.TextField(_("commitments"), max_length=5000)
    due_date = models.DateField(_("to be done by"))
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_name = models.CharField(_("signed by"), max_length=255, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    on_paper = models.BooleanField(_("signed on paper"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ProgressUpdate(models.Model):
    """What a party reports on its commitments, shown in public in date order."""

    contract = models.ForeignKey(ActionContract, on_delete=models.CASCADE, related_name="updates")
    party = models.ForeignKey(ContractParty, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("progress"), max_length=5000)
    completes = models.BooleanField(_("commitments met"), default=False)
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reported_at", "-pk"]

    def __str__(self):
        return f"{self.party}: {self.text[:40]}"
