"""FAQs (issue 15, item 7): each agency answers the questions people ask about its services
(missions); citizens suggest questions; the most read rise to the top."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Faq(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")
        UNPUBLISHED = "unpublished", _("Taken down")

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="faqs"
    )
    mission = models.ForeignKey(
        "agencies.Mission",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faqs",
    )
    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"), max_length=10000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUGGESTED)
    # Who suggested it: told when it is answered or declined, never shown to the public.
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_suggestions",
    )
    decline_reason = models.CharField(max_length=1000, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")
        ordering = ["-views", "-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["suggested", "published", "declined", "unpublished"]
                ),
                name="faq_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | ~models.Q(answer=""),
                name="faq_published_has_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-views", "-published_at"], name="faq_status_views"),
        ]

    def __str__(self):
        return self.question
