from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField
from portal.reference import ServiceCategory

from .models import Consultation, Contribution, Question


class ConsultationForm(PortalForm):
    title = ServiceCheckedField(label=_("Title"), max_length=255)
    summary = ServiceCheckedField(
        label=_("Summary in plain language"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the consultation is about and what will be decided, in a few lines."),
    )
    background = forms.CharField(
        label=_("Background"), required=False, max_length=20000, widget=forms.Textarea
    )
    mission = forms.ModelChoiceField(label=_("Mission"), queryset=None, required=False)
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        choices=[("", _("The mission's topic"))] + list(ServiceCategory.choices),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=None,
        required=False,
        empty_label=_("Nationwide"),
    )
    opens_at = DateBoxesField(label=_("Open for comments from"), mode="datetime")
    closes_at = DateBoxesField(label=_("Open for comments until"), mode="datetime")
    audience = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Consultation.Audience.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Audience.EVERYONE,
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=Consultation.Moderation.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Moderation.POST,
        help_text=_(
            "Before publication: contributions wait for a moderator. After publication: they "
            "appear at once and moderators act on reports."
        ),
    )

    def __init__(self, *args, missions, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        self.fields["province"].queryset = provinces


class QuestionForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    text = ServiceCheckedField(label=pgettext_lazy("consultation", "Question"), max_length=1000)
    help_text = forms.CharField(label=_("Explanation"), required=False, max_length=1000)
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For one choice, several choices and ranking."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)


class DocumentForm(PortalForm):
    title = ServiceCheckedField(label=_("Title"), max_length=255)
    summary = ServiceCheckedField(
        label=_("Summary in plain language"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(label=_("PDF file"))


class PanelForm(PortalForm):
    person = forms.CharField(label=_("Username or email of the person to invite"), max_length=254)


class ContributionForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=Contribution.Kind.choices, widget=forms.RadioSelect
    )
    text = ServiceCheckedField(
        label=_("Your contribution"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    show_name = forms.BooleanField(
        label=_("Show my name (otherwise it shows “a citizen” or your organisation's type)"),
        required=False,
    )
    question = forms.IntegerField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MeetingInputForm(PortalForm):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None)
    question = forms.ModelChoiceField(
        label=pgettext_lazy("consultation", "Question"), queryset=None, required=False
    )
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=Contribution.Kind.choices, widget=forms.RadioSelect
    )
    text = ServiceCheckedField(
        label=_("What was said"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, meetings, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["question"].queryset = questions


class FlagForm(PortalForm):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=Contribution.HiddenReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Anything to add"), required=False, max_length=500)


class HideForm(PortalForm):
    reason = forms.ChoiceField(
        label=_("Reason shown in its place"),
        choices=Contribution.HiddenReason.choices,
    )


def answers_form_class(questions):
    """A form with one field per question, of the question's kind."""
    fields = {}
    for q in questions:
        name = f"q{q.pk}"
        label = q.text
        common = {"label": label, "required": False, "help_text": q.help_text}
        K = Question.Kind
        if q.kind == K.TEXT:
            field = forms.CharField(
                max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        elif q.kind == K.SINGLE:
            field = forms.ChoiceField(
                choices=[(o, o) for o in q.options], widget=forms.RadioSelect, **common
            )
        elif q.kind == K.MULTIPLE:
            field = forms.MultipleChoiceField(
                choices=[(o, o) for o in q.options], widget=forms.CheckboxSelectMultiple, **common
            )
        elif q.kind == K.SCALE:
            field = forms.ChoiceField(
                choices=[(str(n), str(n)) for n in range(1, 6)],
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                **common,
            )
        else:  # ranking: a place number for each option
            for i, option in enumerate(q.options):
                fields[f"{name}_{i}"] = forms.TypedChoiceField(
                    label=option,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "–")] + [(str(n), str(n)) for n in range(1, len(q.options) + 1)],
                )
            continue
        if q.required:
            field.widget.attrs["aria-required"] = "true"
        fields[name] = field
    return type("AnswersForm", (PortalForm,), fields)


def answers_from_form(questions, data: dict) -> dict:
    """The service's answers ({question id: value}) from the form's cleaned data."""
    answers = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == Question.Kind.RANKING:
            places = {o: data.get(f"{name}_{i}") for i, o in enumerate(q.options)}
            if any(v is not None for v in places.values()):
                if None in places.values() or len(set(places.values())) != len(places):
                    answers[str(q.pk)] = ["__incomplete__"]
                else:
                    answers[str(q.pk)] = sorted(places, key=places.get)
            continue
        value = data.get(name)
        if value not in (None, "", []):
            answers[str(q.pk)] = value
    return answers


def initial_from_answers(questions, answers: dict) -> dict:
    initial = {}
    for q in questions:
        value = answers.get(str(q.pk))
        if value is None:
            continue
        name = f"q{q.pk}"
        if q.kind == Question.Kind.RANKING:
            for i, option in enumerate(q.options):
                if option in value:
                    initial[f"{name}_{i}"] = str(value.index(option) + 1)
        else:
            initial[name] = str(value) if q.kind == Question.Kind.SCALE else value
    return initial
