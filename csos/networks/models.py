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


class GroupKind(models.TextChoices):
    """The network's committees and sub-networks, from the report's section 3.4."""

    PARTNERSHIP_WG = "partnership_wg", _("Strategic partnership working group")
    EXECUTIVE = "executive", _("Executive committee")
    STEERING = "steering", _("Steering committee")
    MONITORING = "monitoring", _("Monitoring committee")
    SUPPORT_TEAM = "support_team", _("Provincial administration support team")
    SERVICE_DELIVERY = "service_delivery", _("Public-service delivery sub-network")
    DATA_SHARING = "data_sharing", _("Area data-sharing sub-network")
    ISSUE_MANAGEMENT = "issue_management", _("Local issue management sub-network")
    CAPACITY = "capacity", _("Community capacity-building sub-network")


COMMITTEES = (
    GroupKind.PARTNERSHIP_WG,
    GroupKind.EXECUTIVE,
    GroupKind.STEERING,
    GroupKind.MONITORING,
    GroupKind.SUPPORT_TEAM,
)
SUB_NETWORKS = (
    GroupKind.SERVICE_DELIVERY,
    GroupKind.DATA_SHARING,
    GroupKind.ISSUE_MANAGEMENT,
    GroupKind.CAPACITY,
)


class NetworkGroup(models.Model):
    """One of the network's committees or sub-networks: certified members seated with a role
    and a term, meetings with minutes, and numbered decisions."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("committee or sub-network"), max_length=24, choices=GroupKind.choices)
    purpose = models.TextField(_("what it does"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network committee or sub-network")
        verbose_name_plural = _("network committees and sub-networks")
        constraints = [
            models.UniqueConstraint(fields=["network", "kind"], name="network_group_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.network})"

    @property
    def is_committee(self) -> bool:
        return self.kind in COMMITTEES


class GroupSeat(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(NetworkGroup, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    term_ends = models.DateField(_("term ends"), null=True, blank=True)
    seated_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["role", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=models.Q(ended_at__isnull=True),
                name="group_seat_once",
            )
        ]

    def __str__(self):
        return f"{self.member} – {self.group}"


class GroupMeeting(models.Model):
    group = models.ForeignKey(NetworkGroup, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveIntegerField(_("meeting number"))
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="group_meeting_number")
        ]

    def __str__(self):
        return f"{self.group} {self.number}"


class GroupDecision(models.Model):
    """A resolution (มติ) taken at a meeting, numbered within it."""

    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("decision"), max_length=2000)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["number"]

    def __str__(self):
        return f"{self.meeting}.{self.number}"
