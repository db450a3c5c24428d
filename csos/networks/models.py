"""Provincial public-affairs networks (issue 16, item 1; the report's section 3.4): one per
province, with members from every sector (organisations or individuals, each with what it
brings), connectors who link their sector to the others and a manager who runs it.
Membership is certified by the manager and has a term; the network's working group is
appointed by the provincial governor's order (number, date, PDF)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COMMUNITY = "community", _("Community")
    ACADEMIA = "academia", _("Academia")
    MEDIA = "media", _("Media")


class Resource(models.TextChoices):
    """What a member brings, from the report's list."""

    BUDGET = "budget", _("Budget")
    AUTHORITY = "authority", _("Authority")
    STAFF = "staff", _("Staff")
    PLACES = "places", _("Places")
    TECHNOLOGY = "technology", _("Technology")
    KNOWLEDGE = "knowledge", _("Knowledge")
    LOCAL_WISDOM = "local_wisdom", _("Local wisdom")
    SOCIAL_CAPITAL = "social_capital", _("Social capital")
    POLITICAL_CAPITAL = "political_capital", _("Political capital")


class Network(models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        APPOINTED = "appointed", _("Appointed by the governor")

    province = models.OneToOneField(
        "portal.Province", on_delete=models.PROTECT, related_name="network"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_networks",
        verbose_name=_("network manager"),
    )  # fmt: skip
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FORMING)
    # The provincial governor's order appointing the network's working group.
    order_number = models.CharField(_("order number"), max_length=50, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    order_file = models.FileField(_("order (PDF)"), upload_to="networks/orders/", blank=True)
    member_count = models.PositiveIntegerField(default=0)  # certified members
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provincial public-affairs network")
        verbose_name_plural = _("provincial public-affairs networks")
        ordering = ["province__name_th"]

    def __str__(self):
        return str(self.province)


class NetworkMember(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Individual")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CONNECTOR = "connector", _("Connector")
        MANAGER = "manager", _("Network manager")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        CERTIFIED = "certified", _("Certified")
        ENDED = "ended", _("Ended")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    resources = models.JSONField(_("what it brings"), default=list)
    cso = models.ForeignKey(
        "csos.CSO", on_delete=models.PROTECT, null=True, blank=True,
        related_name="network_memberships",
    )  # fmt: skip
    # An agency member (the agencies app sits above this one: the id, checked where it is set).
    agency_id = models.PositiveIntegerField(null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="network_memberships",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLIED
    )
    term_ends = models.DateField(_("term ends"), null=True, blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    certified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        ordering = ["sector", "name", "pk"]

    def __str__(self):
        return self.name

    def resource_labels(self) -> list[str]:
        labels = dict(Resource.choices)
        return [str(labels.get(r, r)) for r in self.resources]
