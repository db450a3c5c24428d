"""Forms of the scoring and selection pages: an evaluator's scores, a declared conflict of
interest and the officer's decisions. They shape the input; the services hold the rules."""

from django import forms
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from contracts.calls.models import CRITERIA
from contracts.proposals.rules import PART_LABELS, PARTS
from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField
from portal.reference import SelectionCriterion

# What each criterion means (domain.md, the five selection criteria of the report, 3.3.2).
CRITERION_HINTS = {
    "expertise": _(
        "Expertise and experience in the mission: years in the field, understanding of the "
        "problem, clearly more experience than others."
    ),
    "standards": _(
        "Organisational standards: certification for this service, or professionally "
        "certified staff."
    ),
    "service_area": _("The organisation serves the specific area the mission targets."),
    "track_record": _("Visible results and reputation, for formal and informal groups alike."),
    "networking": _("Ability to build networks and mobilise resources across organisations."),
}


SCORE_CHOICES = [
    (0, _("0 – no evidence")),
    (1, _("1 – very weak")),
    (2, _("2 – weak")),
    (3, _("3 – adequate")),
    (4, _("4 – good")),
    (5, _("5 – excellent")),
]


class ScoreField(forms.TypedChoiceField):
    """A 0–5 radio group; left empty in a draft."""

    def __init__(self, criterion, **kwargs):
        super().__init__(
            label=SelectionCriterion(criterion).label,
            choices=SCORE_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Give a score from 0 to 5.")},
            **kwargs,
        )


class CriterionCommentField(forms.CharField):
    def __init__(self, criterion, **kwargs):
        super().__init__(
            label=format_lazy("{}: {}", SelectionCriterion(criterion).label, _("comment")),
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            **kwargs,
        )


class ReviewForm(PortalForm):
    no_conflict_of_interest = forms.BooleanField(
        label=_(
            "I have no conflict of interest with this organisation: I am not a member of it "
            "or of its networks, and I gain nothing from its selection."
        ),
        help_text=_("Required before you save or submit your scores."),
        error_messages={
            "required": _("Declare that you have no conflict of interest before you score.")
        },
    )
    score_expertise = ScoreField("expertise")
    comment_expertise = CriterionCommentField("expertise")
    score_standards = ScoreField("standards")
    comment_standards = CriterionCommentField("standards")
    score_service_area = ScoreField("service_area")
    comment_service_area = CriterionCommentField("service_area")
    score_track_record = ScoreField("track_record")
    comment_track_record = CriterionCommentField("track_record")
    score_networking = ScoreField("networking")
    comment_networking = CriterionCommentField("networking")
    comment = forms.CharField(
        label=_("Overall comment"),
        max_length=5000,
        required=False,
        help_text=_("The organisation reads the comments, without your name, after the decision."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @staticmethod
    def initial_from(review) -> dict:
        if review is None:
            return {}
        initial = {
            "no_conflict_of_interest": review.no_conflict_of_interest,
            "comment": review.comment,
        }
        for c in CRITERIA:
            initial[f"score_{c}"] = review.scores[c]
            initial[f"comment_{c}"] = review.comments.get(c, "")
        return initial

    def criteria(self, weights: dict, facts: dict) -> list[dict]:
        """One entry per criterion, in the report's order, for the template."""
        return [
            {
                "code": c,
                "label": SelectionCriterion(c).label,
                "hint": CRITERION_HINTS[c],
                "weight": weights[c],
                "score": self[f"score_{c}"],
                "comment": self[f"comment_{c}"],
                "facts": facts.get(c, []),
            }
            for c in CRITERIA
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {c: data[f"score_{c}"] for c in CRITERIA},
            "comments": {c: data[f"comment_{c}"] for c in CRITERIA},
            "comment": data["comment"],
            "no_conflict_of_interest": data["no_conflict_of_interest"],
        }

    def service_field(self, name: str) -> str | None:
        """The service names criteria ``scores.<code>`` and ``comments.<code>``."""
        group, _dot, code = name.partition(".")
        name = {"scores": f"score_{code}", "comments": f"comment_{code}"}.get(group, name)
        return super().service_field(name)


class RecuseForm(PortalForm):
    reason = forms.CharField(
        label=_("What is the conflict?"),
        max_length=2000,
        help_text=_(
            "For example: a relative works there, or you advised it on this proposal. The "
            "officers of the call see this."
        ),
        error_messages={"required": _("Say briefly what the conflict is.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShortlistForm(PortalForm):
    pass


class MarkPresentedForm(PortalForm):
    pass


class ScheduleForm(PortalForm):
    at = DateBoxesField(
        label=_("Date and time"), mode="datetime", required_message=_("Give the date and time.")
    )
    location = forms.CharField(
        label=_("Place or online meeting link"),
        max_length=500,
        error_messages={"required": _("Give the place or the online meeting link.")},
    )


class SelectForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=5000,
        required=False,
        help_text=_("The organisation will see this."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, needs_reason=(), **kwargs):
        """``needs_reason``: why this selection needs a written reason (out of rank order,
        reviews missing); the field is then shown as required and says why. The service
        refuses an empty one."""
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["reason"] = ServiceCheckedField(
                label=_("Reason"),
                max_length=5000,
                help_text=format_lazy(
                    "{} {}",
                    _("Selecting this proposal needs a written reason: %(why)s.")
                    % {"why": "; ".join(needs_reason)},
                    _("The organisation will see this."),
                ),
                widget=forms.Textarea(
                    attrs={
                        "rows": 3,
                        "aria-required": "true",
                        "aria-describedby": f"{self.auto_id % self.add_prefix('reason')}_hint",
                    }
                ),
            )


class RejectForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        help_text=_("The organisation will see this."),
        error_messages={"required": _("Give a reason; the organisation will see it.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InformationRequestForm(PortalForm):
    """Ask the organisation more before deciding: the questions, when the answer is due,
    and the parts it may change (the service checks each)."""

    questions = forms.CharField(
        label=_("Questions for the organisation"),
        max_length=5000,
        help_text=_("The organisation reads these and answers when it sends the proposal again."),
        error_messages={"required": _("Write the questions the organisation should answer.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reply_by = DateBoxesField(
        label=_("Reply by"), mode="datetime", required_message=_("Give the date and time.")
    )
    parts = forms.MultipleChoiceField(
        label=_("Parts the organisation may change"),
        required=False,
        help_text=_("None chosen: every part may change."),
        choices=[(part, capfirst(PART_LABELS[part])) for part in PARTS],
        widget=forms.CheckboxSelectMultiple,
    )


class CancelInformationForm(RejectForm):
    """Withdraw the questions: a reason the organisation reads, as when not selecting."""
