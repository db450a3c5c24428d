"""Forms of the call pages: the public list's filters, the officer's call form, the panel of
evaluators. They check the shape of what was typed; the rules live in contracts.services."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from contracts.calls.models import CALL_STAGES, CRITERIA, Call, Instrument
from contracts.calls.rules import clean_weights
from portal.date_fields import DateBoxesField
from portal.forms import (
    CodeMultipleChoiceField,
    PortalForm,
    ProvincePicker,
    grouped_province_choices,
)
from portal.models import ActivityField, Province
from portal.reference import CostingMethod, SelectionCriterion
from portal.roles import Role

WEIGHT_FIELDS = [f"weight_{c}" for c in CRITERIA]


class CallFilterForm(PortalForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    instrument = forms.ChoiceField(
        label=_("Instrument"), required=False, choices=[("", _("All"))] + Instrument.choices
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    activity_field = forms.ChoiceField(label=_("Activity field"), required=False)
    closing_soon = forms.BooleanField(label=_("Closing within 7 days"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = (
            Agency.objects.filter(calls__status=Call.Status.OPEN).distinct().order_by("name_th")
        )
        self.fields["agency"].choices = [("", _("All"))] + [(str(a.pk), a.name) for a in agencies]
        self.fields["province"].choices = [
            ("", _("All")),
            *grouped_province_choices(Province.objects.all()),
        ]
        self.fields["activity_field"].choices = [("", _("All"))] + [
            (a.code, a.name) for a in ActivityField.objects.all()
        ]

    def filters(self) -> dict:
        """The valid filters; a filter with an unknown value is ignored, not an error."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "agency": data.get("agency") or "",
            "instrument": data.get("instrument") or "",
            "province": data.get("province") or "",
            "activity_field": data.get("activity_field") or "",
            "closing_soon": bool(data.get("closing_soon")),
        }


class CallForm(PortalForm):
    instrument = forms.ChoiceField(
        label=_("Instrument"),
        choices=[("", _("Choose…"))] + Instrument.choices,
        help_text=_("A performance contract shortlists proposals and hears each CSO's vision."),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    stages = forms.TypedChoiceField(
        label=_("Stages"),
        choices=CALL_STAGES,
        coerce=int,
        initial=1,
        required=False,
        empty_value=1,
        widget=forms.RadioSelect,
        help_text=_(
            "In two stages, organisations first send a short concept note (a summary and a "
            "budget estimate); you invite the best to send a full proposal by a deadline you set."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    budget_ceiling = forms.CharField(
        label=_("Budget ceiling (baht)"),
        max_length=32,
        help_text=_("The most one proposal may ask for, e.g. 500,000.00."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    budget_total = forms.CharField(
        label=_("Total budget (baht)"),
        max_length=32,
        required=False,
        help_text=_(
            "What all the agreements under the call may add up to. Leave empty if the call "
            "funds one proposal."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    opens_at = DateBoxesField(label=_("Opens at"), mode="datetime")
    closes_at = DateBoxesField(
        label=_("Closes at"),
        mode="datetime",
        help_text=_("Proposals are refused from this minute on, Bangkok time."),
    )
    costing_method = forms.ChoiceField(
        label=_("Costing method"),
        choices=[("", _("Choose…"))] + CostingMethod.choices,
        help_text=_("How CSOs cost their budget lines."),
    )
    eligible_provinces = CodeMultipleChoiceField(
        label=_("Eligible provinces"),
        queryset=Province.objects.all(),
        to_field_name="code",
        required=False,
        help_text=_("Leave all unticked to accept organisations from every province."),
        widget=ProvincePicker,
    )
    eligible_activity_fields = CodeMultipleChoiceField(
        label=_("Eligible activity fields"),
        queryset=ActivityField.objects.all(),
        to_field_name="code",
        required=False,
        help_text=_("Leave all unticked to accept organisations of every field."),
        widget=forms.CheckboxSelectMultiple,
    )
    required_documents = forms.CharField(
        label=_("Required documents"),
        required=False,
        max_length=6000,
        help_text=_("One document per line, e.g. work plan."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in CRITERIA:
            self.fields[f"weight_{code}"] = forms.IntegerField(
                label=SelectionCriterion(code).label,
                min_value=0,
                max_value=100,
                initial=20,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "class": "weight", "aria-required": "true"}
                ),
            )
        self.weights_errors: list[str] = []

    def clean(self):
        cleaned = super().clean()
        weights = {c: cleaned.get(f"weight_{c}") for c in CRITERIA}
        if None not in weights.values():
            try:
                clean_weights(weights)
            except ValidationError as exc:
                self.weights_errors = exc.messages
                self._mark_weights_invalid()
        return cleaned

    def _mark_weights_invalid(self):
        for name in WEIGHT_FIELDS:
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = "weights_error"

    def add_service_errors(self, exc: ValidationError):
        """The service names the five weights ``criteria_weights``: show that on their
        group; everything else on its field."""
        if hasattr(exc, "error_dict") and "criteria_weights" in exc.error_dict:
            messages = exc.message_dict
            self.weights_errors = messages.pop("criteria_weights")
            self._mark_weights_invalid()
            if not messages:
                return
            exc = ValidationError(messages)
        super().add_service_errors(exc)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.weights_errors)

    def weight_fields(self):
        return [self[name] for name in WEIGHT_FIELDS]

    def other_fields(self):
        return [self[name] for name in self.fields if name not in WEIGHT_FIELDS]

    def weights_total(self):
        """The sum of what is in the five boxes now (for the hint beside them)."""
        total = 0
        for bound in self.weight_fields():
            try:
                total += int(bound.value())
            except (TypeError, ValueError):
                continue
        return total

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "instrument": data["instrument"],
            "title": data["title"],
            "stages": data["stages"],
            "description": data["description"],
            "budget_ceiling": data["budget_ceiling"],
            "budget_total": data["budget_total"] or None,
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "costing_method": data["costing_method"],
            "eligible_provinces": [p.code for p in data["eligible_provinces"]],
            "eligible_activity_fields": [a.code for a in data["eligible_activity_fields"]],
            "required_documents": [
                line.strip() for line in data["required_documents"].splitlines() if line.strip()
            ],
            "criteria_weights": {c: data[f"weight_{c}"] for c in CRITERIA},
        }

    @classmethod
    def initial_for_mission(cls, mission) -> dict:
        return {
            "eligible_provinces": [p.code for p in mission.provinces.all()],
            "eligible_activity_fields": [mission.activity_field_id],
        }

    @classmethod
    def initial_from(cls, call) -> dict:
        initial = {
            "instrument": call.instrument,
            "title": call.title,
            "stages": call.stages,
            "description": call.description,
            "budget_ceiling": f"{call.budget_ceiling:.2f}",
            "budget_total": f"{call.budget_total:.2f}",
            "opens_at": call.opens_at,
            "closes_at": call.closes_at,
            "costing_method": call.costing_method,
            "eligible_provinces": [p.code for p in call.eligible_provinces.all()],
            "eligible_activity_fields": [a.code for a in call.eligible_activity_fields.all()],
            "required_documents": "\n".join(call.required_documents or []),
        }
        initial.update({f"weight_{c}": w for c, w in call.criteria_weights.items()})
        return initial


class CancelCallForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=5000,
        help_text=_("Organisations that sent a proposal will see this."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvaluatorPanelForm(PortalForm):
    usernames = forms.MultipleChoiceField(
        label=_("Evaluators"),
        required=False,
        help_text=_("Tick everyone who will score this call's proposals."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        evaluators = (
            get_user_model()
            .objects.filter(role_rows__role=Role.EVALUATOR, is_active=True)
            .distinct()
            .order_by("username")
        )
        self.fields["usernames"].choices = [
            (u.username, f"{u.username} — {u.get_full_name()}" if u.get_full_name() else u.username)
            for u in evaluators
        ]


class AgencyCallsFilterForm(PortalForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Call.Status.choices
    )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {"status": self.cleaned_data["status"]}


class AmendForm(CallForm):
    """An addendum to an open call: what changes and why, a later closing time, the text,
    the weights (while nothing is submitted) and a document. Starts from the call."""

    KEPT = ("closes_at", "description")

    summary = forms.CharField(
        label=_("What changes and why"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Every organisation reads this on the call's page; those with a draft are told."
        ),
    )
    document = forms.FileField(label=_("Add a document (PDF)"), required=False)
    document_title = forms.CharField(
        label=_("Title of the document"), max_length=255, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in (*self.KEPT, "summary", "document", "document_title", *WEIGHT_FIELDS):
                del self.fields[name]
        self.fields["closes_at"].required = False
        self.fields["closes_at"].help_text = _("Only a later time: a deadline is never shortened.")
        self.order_fields(["summary", "closes_at", "description", "document", "document_title"])

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "closes_at": data["closes_at"],
            "description": data["description"],
            "criteria_weights": {c: data[f"weight_{c}"] for c in CRITERIA},
            "document": data.get("document"),
            "document_title": data["document_title"],
        }


class QuestionForm(PortalForm):
    question = forms.CharField(
        label=_("Your question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The answer is published for every organisation, without your name."),
    )


class AnswerForm(PortalForm):
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SavedSearchForm(PortalForm):
    words = forms.CharField(
        label=_("Words in the call"), max_length=200, required=False,
        help_text=_("Every word must appear in the call's title, description or mission."),
    )  # fmt: skip
    fields = CodeMultipleChoiceField(
        label=_("Activity fields"), queryset=ActivityField.objects.all(), to_field_name="code",
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    provinces = CodeMultipleChoiceField(
        label=_("Provinces"), queryset=Province.objects.all(), to_field_name="code",
        required=False, widget=ProvincePicker,
    )  # fmt: skip
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"), choices=Instrument.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "words": data["words"],
            "fields": [f.code for f in data["fields"]],
            "provinces": [p.code for p in data["provinces"]],
            "instruments": list(data["instruments"]),
        }
