"""Forms of the evaluations of agreements: the plan, the result, a periodic one added. They
shape the input; the services in ``assessments.evaluations.services`` hold the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assessments.evaluations.models import Evaluation
from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField
from portal.roles import Role

# The sides a committee member represents (codes as assessments.evaluations.services reads them).
COMMITTEE_SIDES = [
    ("agency", _("Agency")),
    ("cso", _("Civil society organisation")),
    ("professional", _("Professional body")),
    ("other", _("Other")),
]


class DueDateMixin:
    """A due date as day, month and year (portal.date_fields), posted as ``due_day``,
    ``due_month`` and ``due_year``; cleaned as ``due_on`` (None when left empty)."""

    def add_due_date_fields(self, *, required: bool):
        self.fields["due"] = DateBoxesField(
            label=_("Due date"), required=required, required_message=_("Give the due date.")
        )
        if required:
            self.fields["due"].widget.attrs["aria-required"] = "true"
        self.due_required = required

    @staticmethod
    def due_initial(value) -> dict:
        return {"due": value}

    def clean_due_date(self, cleaned):
        if "due" in self.fields:
            cleaned["due_on"] = cleaned.get("due")


def evaluator_choices() -> list[tuple[str, str]]:
    """Every active account holding the evaluator role, by username."""
    users = (
        get_user_model()
        .objects.filter(role_rows__role=Role.EVALUATOR, is_active=True)
        .distinct()
        .order_by("username")
    )
    return [
        (u.username, f"{u.username} — {u.get_full_name()}" if u.get_full_name() else u.username)
        for u in users
    ]


class EvaluationPlanForm(DueDateMixin, PortalForm):
    """Internal or external, the evaluator accounts, the committee as a fixed number of rows
    (empty ones ignored, an "add rows" button that posts back what was typed), and for a
    periodic evaluation its due date."""

    MIN_ROWS = 4
    ADD_ROWS = 3
    MAX_ROWS = 40
    COLUMNS = ("name", "organisation", "side")

    mode = forms.ChoiceField(
        label=_("Internal or external"),
        choices=Evaluation.Mode.choices,
        help_text=_(
            "Internal: the agency's officers may record the result. External: only the "
            "evaluators named below, such as a university, record it."
        ),
        error_messages={"required": _("Choose internal or external.")},
        widget=forms.RadioSelect,
    )
    evaluators = forms.MultipleChoiceField(
        label=_("Evaluators"),
        required=False,
        help_text=_(
            "The accounts that will record the result. An outside body gets an account with "
            "the evaluator role from an administrator."
        ),
        error_messages={"invalid_choice": _("Choose among the evaluator accounts listed.")},
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *, evaluation, rows=None, initial=None, **kwargs):
        committee = list(evaluation.committee or [])
        if rows is None:
            rows = self.rows_in(data) if data is not None else len(committee) + 1
        if initial is None:
            initial = {
                "mode": evaluation.mode,
                "evaluators": [u.username for u in evaluation.evaluators.all()],
                **self.due_initial(evaluation.due_on),
            }
            for i, member in enumerate(committee):
                initial.update(
                    {
                        f"name_{i}": member.get("name", ""),
                        f"organisation_{i}": member.get("organisation", ""),
                        f"side_{i}": member.get("type", ""),
                    }
                )
        self.row_count = max(self.MIN_ROWS, min(rows, self.MAX_ROWS))
        super().__init__(data, initial=initial, **kwargs)
        self.evaluation = evaluation
        self.fields["evaluators"].choices = evaluator_choices()
        for i in range(self.row_count):
            n = i + 1
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Name, member %(n)s") % {"n": n}, max_length=255, required=False
            )
            self.fields[f"organisation_{i}"] = forms.CharField(
                label=_("Organisation, member %(n)s") % {"n": n}, max_length=255, required=False
            )
            self.fields[f"side_{i}"] = forms.ChoiceField(
                label=_("Represents, member %(n)s") % {"n": n},
                choices=[("", _("Choose…")), *COMMITTEE_SIDES],
                required=False,
            )
        if evaluation.kind == Evaluation.Kind.PERIODIC:
            self.add_due_date_fields(required=True)

    @classmethod
    def rows_in(cls, data) -> int:
        try:
            return int((data or {}).get("rows", cls.MIN_ROWS))
        except (TypeError, ValueError):
            return cls.MIN_ROWS

    @property
    def can_add_rows(self) -> bool:
        return self.row_count < self.MAX_ROWS

    def with_more_rows(self):
        """An unbound copy showing what was typed and ``ADD_ROWS`` more empty rows."""
        typed = {
            name: self.data.getlist(name) if name == "evaluators" else self.data.get(name, "")
            for name in self.fields
        }
        if "due" in self.fields:  # the date's boxes, as typed
            typed["due"] = [self.data.get(f"due_{part}", "") for part in self.fields["due"].parts]
        return type(self)(
            evaluation=self.evaluation, rows=self.row_count + self.ADD_ROWS, initial=typed
        )

    def committee_rows(self):
        """The rows for the template: the row number and the bound field of each column."""
        return [
            {"n": i + 1, "cells": [self[f"{c}_{i}"] for c in self.COLUMNS]}
            for i in range(self.row_count)
        ]

    def clean(self):
        cleaned = super().clean()
        self.clean_due_date(cleaned)
        return cleaned

    def committee(self) -> list[dict]:
        rows = []
        for i in range(self.row_count):
            name = self.cleaned_data.get(f"name_{i}", "").strip()
            organisation = self.cleaned_data.get(f"organisation_{i}", "").strip()
            side = self.cleaned_data.get(f"side_{i}", "")
            if name or organisation:
                rows.append({"name": name, "organisation": organisation, "type": side})
        return rows

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "mode": data["mode"],
            "evaluators": list(data["evaluators"]),
            "committee": self.committee(),
            "due_on": data.get("due_on"),
        }

    service_fields = {"due_on": "due"}

    def add_service_errors(self, exc):
        """The service names the whole committee; point at the rows it cannot take."""
        super().add_service_errors(exc)
        if hasattr(exc, "error_dict") and "committee" in exc.error_dict:
            for i in range(self.row_count):
                name = self.cleaned_data.get(f"name_{i}", "").strip()
                organisation = self.cleaned_data.get(f"organisation_{i}", "").strip()
                if not (name or organisation):
                    continue
                if not name:
                    self.add_error(f"name_{i}", _("Give the member's name."))
                if not self.cleaned_data.get(f"side_{i}"):
                    self.add_error(f"side_{i}", _("Choose whom the member represents."))
        self.describe_fields()


class EvaluationResultForm(PortalForm):
    score = ServiceCheckedField(
        label=_("Score (0–100)"),
        max_length=16,
        help_text=_("Up to two decimals, such as 82.50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    findings = ServiceCheckedField(
        label=_("Findings"),
        max_length=20000,
        help_text=_("The organisation reads the findings."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    users_views = forms.CharField(
        label=_("Service users' views"),
        max_length=20000,
        required=False,
        help_text=_("What the people served said: surveys, interviews, complaints."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_score(self):
        return self.cleaned_data["score"].replace(" ", "")


class EvaluationAddForm(DueDateMixin, PortalForm):
    mode = forms.ChoiceField(
        label=_("Internal or external"),
        choices=Evaluation.Mode.choices,
        initial=Evaluation.Mode.INTERNAL,
        help_text=_("You choose the evaluators and the committee on the next page."),
        error_messages={"required": _("Choose internal or external.")},
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_due_date_fields(required=True)

    def clean(self):
        cleaned = super().clean()
        self.clean_due_date(cleaned)
        return cleaned

    service_fields = {"due_on": "due"}
