"""Forms of the citizens' feedback: the charter, the survey's dimensions, a citizen's answer
and a moderator's reason. They shape the input; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.feedback import rules
from assessments.feedback.models import Charter, Dimension
from portal.forms import PortalForm

CHARTER_HINTS = {
    "service": _("What the service is, in words the people served use."),
    "who_may_use": _("Who may use it, and what they need to bring or show."),
    "where_when": _("Where it is given and on which days and hours."),
    "time_standard": _("How long each step takes at most, e.g. a home visit within 3 days."),
    "quality_standard": _("What people can expect of the service and of the staff."),
    "cost": _("What people pay, if anything. Leave empty if the service is free."),
    "remedy": _("What people get and whom they tell when a standard is missed."),
}


class CharterForm(PortalForm):
    """The charter's parts; every one but the cost must be written before a side agrees."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Charter.TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=Charter._meta.get_field(name).verbose_name.capitalize(),
                help_text=CHARTER_HINTS[name],
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.describe_fields()

    @classmethod
    def initial_from(cls, charter) -> dict:
        if charter is None:
            return {}
        return {name: getattr(charter, name) for name in Charter.TEXT_FIELDS}


class DimensionsForm(PortalForm):
    dimensions = forms.MultipleChoiceField(
        label=_("What people rate"),
        help_text=_("Overall is always asked: the report card's trend follows it."),
        choices=Dimension.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


SCALE_LABELS = {
    1: _("1 – very poor"),
    2: _("2 – poor"),
    3: _("3 – fair"),
    4: _("4 – good"),
    5: _("5 – very good"),
}


class SurveyForm(PortalForm):
    """A rating from 1 to 5 for each dimension the survey asks (overall required), a comment
    and a field people leave empty (a trap for robots, hidden from people and screen readers)."""

    def __init__(self, *args, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension_codes = list(dimensions)
        for code in self.dimension_codes:
            overall = code == Dimension.OVERALL
            self.fields[f"rate_{code}"] = forms.TypedChoiceField(
                label=Dimension(code).label,
                choices=[(n, SCALE_LABELS[n]) for n in rules.SCALE],
                coerce=int,
                empty_value=None,
                required=overall,
                widget=forms.RadioSelect,
                error_messages={"required": _("Rate the service overall, from 1 to 5.")},
            )
        self.fields["comment"] = forms.CharField(
            label=_("Anything you would like to tell us? (optional)"),
            help_text=_(
                "Do not write your name, phone number or ID number: the comment may be shown "
                "publicly."
            ),
            required=False,
            max_length=rules.COMMENT_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["website"] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.describe_fields()

    service_fields = {code: f"rate_{code}" for code in Dimension.values}

    def rating_fields(self):
        return [self[f"rate_{code}"] for code in self.dimension_codes]

    def ratings(self) -> dict:
        return {
            code: self.cleaned_data.get(f"rate_{code}")
            for code in self.dimension_codes
            if self.cleaned_data.get(f"rate_{code}") is not None
        }


class HideForm(PortalForm):
    reason = forms.CharField(
        label=_("Why hide this comment?"),
        help_text=_("For example: abusive language, a person named. It is recorded."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
