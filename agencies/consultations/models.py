"""E-consultation (issue 15, items 1–4): an agency asks the public about one of its missions
or a policy question, people answer its questions and discuss each one in an issue-based
thread, moderators keep the threads fit to read, and the agency answers what it heard.

Counts shown on public pages (responses, contributions, agree/disagree, reports) are kept on
the rows by the services, so a list or a thread is read in a constant number of queries.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.reference import ServiceCategory

# Public consultation pages are cached under this area (portal.caching) until a row changes.
CACHE_AREA = "consultations"


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        REPORTED = "reported", _("Reported")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone with an account")
        CITIZENS = "citizens", _("Signed-in citizens")
        CSOS = "csos", _("Civil society organisations")
        PANEL = "panel", _("An invited panel")

    class Moderation(models.TextChoices):
        PRE = "pre", _("Before publication")
        POST = "post", _("After publication")

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    mission = models.ForeignKey(
        "agencies.Mission",
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    province = models.ForeignKey(
        "portal.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for a nationwide consultation."),
    )
    topic = models.CharField(
        _("topic"), max_length=32, choices=ServiceCategory.choices, blank=True, default=""
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("plain-language summary"), max_length=2000)
    background = models.TextField(_("background"), max_length=20000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    audience = models.CharField(
        _("who may take part"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE
    )
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.POST
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited panel"),
        blank=True,
        related_name="consultation_panels",
    )
    response_count = models.PositiveIntegerField(_("responses"), default=0)
    contribution_count = models.PositiveIntegerField(_("contributions"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "closed", "reported"]),
                name="consultation_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "-opens_at"], name="consult_status_opens")]

    def __str__(self):
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT


class Document(models.Model):
    """A PDF the consultation asks people to read, with its summary in plain language."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("plain-language summary"), max_length=2000)
    file = models.FileField(_("file"), upload_to="consultations/%Y/")
    size = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Open text")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("Scale of 1 to 5")
        RANKING = "ranking", _("Ranking of options")

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING}

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=1000)
    help_text = models.CharField(_("explanation"), max_length=1000, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        verbose_name = _("consultation question")
        verbose_name_plural = _("consultation questions")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="consult_question_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["text", "single", "multiple", "scale", "ranking"]),
                name="consult_question_kind_valid",
            ),
        ]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One account's answers to a consultation: a draft until sent; one per account."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="consultation_responses",
    )
    respondent_type = models.CharField(_("respondent type"), max_length=16, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    saved_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consultation response")
        verbose_name_plural = _("consultation responses")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "respondent"], name="consult_response_one_per_account"
            ),
        ]

    def __str__(self):
        return f"{self.consultation_id}/{self.pk}"


class Theme(models.Model):
    """A theme the agency tags contributions with while analysing what it heard."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("theme"), max_length=200)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="consult_theme_unique")
        ]

    def __str__(self):
        return self.name


class Contribution(models.Model):
    """One post in a question's thread, typed as the issue-based structure (IBIS) has it."""

    class Kind(models.TextChoices):
        IDEA = "idea", _("Idea")
        PRO = "pro", _("Argument for")
        CON = "con", _("Argument against")
        QUESTION = "question", pgettext_lazy("consultation", "Question")

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HELD = "held", _("Waiting for moderation")
        HIDDEN = "hidden", _("Hidden by the moderator")

    class HiddenReason(models.TextChoices):
        ABUSIVE = "abusive", _("abusive")
        PERSONAL_DATA = "personal_data", _("personal data")
        OFF_TOPIC = "off_topic", _("off-topic")
        SPAM = "spam", _("spam")

    class AuthorType(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        CSO = "cso", _("Civil society organisation")
        AGENCY = "agency", _("Government agency")
        MEETING = "meeting", _("Said at a public meeting")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="contributions"
    )
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_contributions",
    )
    # What the public sees of the author, fixed when written (and blanked on anonymising).
    author_name = models.CharField(max_length=300, blank=True)
    author_type = models.CharField(max_length=16, choices=AuthorType.choices)
    organisation = models.CharField(max_length=300, blank=True)
    meeting = models.ForeignKey(
        "agencies.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        help_text=_("Said in the room at this meeting, entered by its facilitator."),
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.VISIBLE)
    hidden_reason = models.CharField(
        max_length=16, choices=HiddenReason.choices, blank=True, default=""
    )
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    themes = models.ManyToManyField(Theme, blank=True, related_name="contributions")
    created_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["idea", "pro", "con", "question"]),
                name="contribution_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["visible", "held", "hidden"]),
                name="contribution_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="hidden") | ~models.Q(hidden_reason=""),
                name="contribution_hidden_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "status"], name="contrib_consult_status"),
        ]

    def __str__(self):
        return self.text[:60]


class Reaction(models.Model):
    class Value(models.TextChoices):
        AGREE = "agree", _("Agree")
        DISAGREE = "disagree", _("Disagree")

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="reactions"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=8, choices=Value.choices)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "person"], name="reaction_one_per_account"
            ),
        ]

    def __str__(self):
        return f"{self.contribution_id}: {self.value}"


class Flag(models.Model):
    """A participant's report that a contribution breaks the rules."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=Contribution.HiddenReason.choices)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "reporter"], name="flag_one_per_account"
            ),
        ]

    def __str__(self):
        return f"{self.contribution_id}: {self.reason}"


class ResponseReport(models.Model):
    """What we heard, what we will do: the agency's public answer after closing."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="report"
    )
    introduction = models.TextField(_("introduction"), max_length=10000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response report")
        verbose_name_plural = _("response reports")

    def __str__(self):
        return str(self.consultation)


class Decision(models.Model):
    """For one theme: what was heard and what the agency will do, or why not."""

    class Outcome(models.TextChoices):
        WILL_DO = "will_do", _("We will do this")
        PARTLY = "partly", _("We will do part of this")
        WILL_NOT = "will_not", _("We will not do this")
        CONSIDERING = "considering", _("We are still considering this")

    report = models.ForeignKey(ResponseReport, on_delete=models.CASCADE, related_name="decisions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="decisions")
    heard = models.TextField(_("what we heard"), max_length=5000)
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    action = models.TextField(_("what we will do, or why not"), max_length=5000)
    contributions = models.ManyToManyField(Contribution, blank=True, related_name="decisions")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="decision_one_per_theme"),
        ]

    def __str__(self):
        return self.heard[:60]
