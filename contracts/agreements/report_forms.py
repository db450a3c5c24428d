"""Forms of the progress report page. They shape what was typed; the rules (what a report
must hold, amounts, who may send or review it and when) are in ``contracts.agreements``
(rules, permissions, services)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contracts.agreements.models import ProgressReport
from contracts.agreements.rules import (
    INDICATOR_NOTE_MAX,
    MOST_REACHED,
    SPENDING_EXPLANATION_MAX,
)
from portal.forms import PortalForm, ServiceCheckedField

EMPTY_RESULT = _(
    "Give the result for this indicator; write 0 or “not measured yet” if there is none yet."
)


def _actual_name(i: int) -> str:
    return f"actual_{i}"


def _note_name(i: int) -> str:
    return f"note_{i}"


def _reached_name(i: int) -> str:
    return f"reached_{i}"


class ReportForm(PortalForm):
    """What the evaluation needs and nothing more: what was done, the result against each of
    the agreement's targets (one row per target), the money spent so far and, once an earlier
    report said what was spent, why it is lower now if it is."""

    narrative = ServiceCheckedField(
        label=_("What was done"),
        max_length=10000,
        help_text=_(
            "The activities of this period, who was served, and anything that went "
            "differently from the plan."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    spent_to_date = ServiceCheckedField(
        label=_("Spent to date (baht)"),
        max_length=32,
        help_text=_("All the money spent since the agreement started, such as 80000.00."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    spending_explanation = forms.CharField(
        label=_("Why is spending to date lower than in the previous report?"),
        max_length=SPENDING_EXPLANATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data=None, *, targets=(), groups=(), report=None, previous=None, **kwargs):
        self.targets = [
            {"indicator": str(t.get("indicator") or ""), "target": str(t.get("target") or "")}
            for t in targets or []
            if isinstance(t, dict) and t.get("indicator")
        ]
        self.groups = [str(g) for g in groups or []]
        kwargs.setdefault("initial", self.initial_from(report, self.targets, self.groups))
        super().__init__(data, **kwargs)
        for i, target in enumerate(self.targets):
            self.fields[_actual_name(i)] = ServiceCheckedField(
                label=_("Result: %(indicator)s") % {"indicator": target["indicator"]},
                max_length=255,
                widget=forms.TextInput(attrs={"aria-required": "true", "autocomplete": "off"}),
            )
            self.fields[_note_name(i)] = forms.CharField(
                label=_("Note on %(indicator)s (optional)") % {"indicator": target["indicator"]},
                max_length=INDICATOR_NOTE_MAX,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
        for i, group in enumerate(self.groups):
            self.fields[_reached_name(i)] = forms.IntegerField(
                label=_("People reached: %(group)s") % {"group": group},
                min_value=0,
                max_value=MOST_REACHED - 1,
                error_messages={
                    "required": _("Give the number of people reached in this group; 0 if none.")
                },
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8}
                ),
            )
        self.order_fields(
            [
                "narrative",
                *(
                    name
                    for i in range(len(self.targets))
                    for name in (_actual_name(i), _note_name(i))
                ),
                *(_reached_name(i) for i in range(len(self.groups))),
                "spent_to_date",
                "spending_explanation",
            ]
        )
        if previous is None:  # nothing reported before, so spending cannot have gone down
            del self.fields["spending_explanation"]
        else:  # the hint names the amount to compare with, and is read with the field
            field = self.fields["spending_explanation"]
            field.help_text = _(
                "Needed only if the amount is lower than the %(amount)s baht of progress "
                "report %(seq)s. The agency reads it."
            ) % {"amount": f"{previous.spent_to_date:,.2f}", "seq": previous.seq}
            hint = f"{self.auto_id % self.add_prefix('spending_explanation')}_hint"
            field.widget.attrs.setdefault("aria-describedby", hint)

    @staticmethod
    def initial_from(report, targets, groups=()) -> dict:
        """A returned report comes back with what was sent, to be corrected."""
        if report is None:
            return {}
        initial = {
            "narrative": report.narrative,
            "spending_explanation": report.spending_explanation,
        }
        if report.spent_to_date is not None:
            initial["spent_to_date"] = f"{report.spent_to_date:.2f}"
        sent = {row.get("indicator"): row for row in report.indicators or []}
        for i, target in enumerate(targets):
            if target["indicator"] in sent:
                initial[_actual_name(i)] = sent[target["indicator"]].get("actual", "")
                initial[_note_name(i)] = sent[target["indicator"]].get("note", "")
        reached = {row.get("group"): row.get("count") for row in report.beneficiaries or []}
        for i, group in enumerate(groups):
            if group in reached:
                initial[_reached_name(i)] = reached[group]
        return initial

    def clean_spent_to_date(self):
        """Thousands separators and spaces are how people write amounts; drop them."""
        return self.cleaned_data["spent_to_date"].replace(",", "").replace(" ", "")

    def rows(self):
        """One row per target for the template: the indicator, its target and the input."""
        return [
            {**target, "field": self[_actual_name(i)], "note": self[_note_name(i)]}
            for i, target in enumerate(self.targets)
        ]

    def reached(self):
        """One field per group the agreement counts the people reached in."""
        return [self[_reached_name(i)] for i in range(len(self.groups))]

    def add_service_errors(self, exc):
        """The service names the indicators as a whole; point at the results left empty."""
        if hasattr(exc, "error_dict") and "indicators" in exc.message_dict:
            empty = [
                _actual_name(i)
                for i in range(len(self.targets))
                if not self.cleaned_data.get(_actual_name(i), "").strip()
            ]
            rest = {k: v for k, v in exc.message_dict.items() if k != "indicators"}
            for name in empty:
                self.add_error(name, EMPTY_RESULT)
            if not empty:
                rest["indicators"] = exc.message_dict["indicators"]
            exc = ValidationError(rest) if rest else None
        if exc is not None:
            super().add_service_errors(exc)
        else:
            self.describe_fields()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "narrative": data["narrative"],
            "indicators": [
                {
                    "indicator": t["indicator"],
                    "actual": data[_actual_name(i)],
                    "note": data.get(_note_name(i), ""),
                }
                for i, t in enumerate(self.targets)
            ],
            "beneficiaries": [
                {"group": group, "count": data[_reached_name(i)]}
                for i, group in enumerate(self.groups)
            ],
            "spent_to_date": data["spent_to_date"],
            "spending_explanation": data.get("spending_explanation", ""),
        }


class EvidenceForm(PortalForm):
    """A photo or a document attached to the report as evidence."""

    file = forms.FileField(
        label=_("Photo or document"),
        help_text=_("A photo (JPEG or PNG) or a PDF, checked by its content."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    caption = forms.CharField(
        label=_("What it shows (optional)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ReportAcceptForm(PortalForm):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=5000,
        required=False,
        help_text=_("The organisation will see this."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportReturnForm(PortalForm):
    comment = forms.CharField(
        label=_("What should the organisation change?"),
        max_length=5000,
        help_text=_("The organisation will see this and send the report again."),
        error_messages={"required": _("Say what the organisation should change.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportFilterForm(PortalForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + ProgressReport.Status.choices,
    )

    def status_filter(self) -> str:
        return self.cleaned_data["status"] if self.is_bound and self.is_valid() else ""
