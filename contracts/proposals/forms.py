"""Forms for the parts of a proposal. They only shape what was typed; the rules (amounts,
ceiling, dates in order, file types) are the services' and come back as their errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.proposals.models import Proposal
from contracts.proposals.rules import MAX_BUDGET_LINES, MAX_TARGETS
from portal.date_fields import DateBoxesField
from portal.forms import PortalForm


class SummaryForm(PortalForm):
    title = forms.CharField(label=_("Project title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        required=False,
        help_text=_("What the project does, for whom and where."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    outcomes = forms.CharField(
        label=_("Expected outcomes"),
        max_length=5000,
        required=False,
        help_text=_("What will be different for the people served when the project ends."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    @staticmethod
    def initial_from(proposal):
        return {"title": proposal.title, "summary": proposal.summary, "outcomes": proposal.outcomes}

    def service_data(self):
        return dict(self.cleaned_data)


class RowsForm(PortalForm):
    """A table of rows (``COLUMNS``) that works without JavaScript: a fixed number of rows,
    empty ones ignored, and an "add more rows" button that posts back what was typed."""

    COLUMNS: list[tuple[str, str, dict]] = []
    MIN_ROWS = 5
    ADD_ROWS = 3
    MAX_ROWS = 50

    def __init__(self, data=None, *, rows=None, initial_rows=None, **kwargs):
        initial_rows = initial_rows or []
        if rows is None:
            rows = self.rows_in(data) if data is not None else len(initial_rows) + 2
        self.row_count = max(self.MIN_ROWS, min(rows, self.MAX_ROWS))
        initial = {
            f"{name}_{i}": row.get(name, "")
            for i, row in enumerate(initial_rows[: self.row_count])
            for name, _label, _attrs in self.COLUMNS
        }
        super().__init__(data, initial=initial, **kwargs)
        for i in range(self.row_count):
            for name, label, attrs in self.COLUMNS:
                self.fields[f"{name}_{i}"] = forms.CharField(
                    label=_("%(column)s, row %(n)s") % {"column": label, "n": i + 1},
                    max_length=255,
                    required=False,
                    widget=forms.TextInput(attrs=dict(attrs)),
                )

    @classmethod
    def rows_in(cls, data) -> int:
        try:
            return int(data.get("rows", cls.MIN_ROWS))
        except (TypeError, ValueError):
            return cls.MIN_ROWS

    @property
    def can_add_rows(self) -> bool:
        return self.row_count < self.MAX_ROWS

    def table(self):
        """The rows for the template: the row number and the bound field of each column."""
        return [
            {"n": i + 1, "cells": [self[f"{name}_{i}"] for name, _l, _a in self.COLUMNS]}
            for i in range(self.row_count)
        ]

    def typed_rows(self) -> list[dict]:
        """Every row as typed, empty rows included."""
        return [
            {name: str(self.data.get(f"{name}_{i}") or "") for name, _l, _a in self.COLUMNS}
            for i in range(self.row_count)
        ]

    def filled_rows(self) -> list[dict]:
        """The rows with anything in them, in order, stripped (after ``is_valid``)."""
        rows = []
        for i in range(self.row_count):
            row = {
                name: (self.cleaned_data.get(f"{name}_{i}") or "").strip()
                for name, _l, _a in self.COLUMNS
            }
            if any(row.values()):
                rows.append(row)
        return rows

    def compacted(self):
        """A bound copy with the filled rows first, so "line 2" in a service error is the
        second row on the page. Nothing typed is lost."""
        filled = [row for row in self.typed_rows() if any(v.strip() for v in row.values())]
        data = {"rows": str(self.row_count)}
        for i, row in enumerate(filled):
            for name, value in row.items():
                data[f"{name}_{i}"] = value
        return type(self)(data, rows=self.row_count)

    def with_more_rows(self):
        """An unbound copy showing what was typed and ``ADD_ROWS`` more empty rows."""
        return type(self)(rows=self.row_count + self.ADD_ROWS, initial_rows=self.typed_rows())


class TargetsForm(RowsForm):
    COLUMNS = [
        ("indicator", _("Indicator"), {}),
        ("target", _("Target"), {}),
    ]
    MAX_ROWS = MAX_TARGETS

    def service_data(self):
        return {"targets": self.filled_rows()}


class BudgetForm(RowsForm):
    COLUMNS = [
        ("description", _("Item"), {}),
        ("unit_cost", _("Unit cost (baht)"), {"inputmode": "decimal", "autocomplete": "off"}),
        ("quantity", _("Quantity"), {"inputmode": "decimal", "autocomplete": "off"}),
    ]
    MAX_ROWS = MAX_BUDGET_LINES

    def service_data(self):
        return {"budget_lines": self.filled_rows()}


class EstimateForm(PortalForm):
    """A concept note's budget: one rough sum; the lines come with the full proposal."""

    requested_amount = forms.CharField(
        label=_("Budget estimate (baht)"),
        max_length=32,
        help_text=_(
            "About how much the project would cost, e.g. 350,000.00. If you are invited to "
            "a full proposal, you will break it down into budget lines."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    @staticmethod
    def initial_from(proposal):
        amount = proposal.requested_amount
        return {"requested_amount": f"{amount:,.2f}" if amount else ""}

    def service_data(self):
        return dict(self.cleaned_data)


class DatesForm(PortalForm):
    """When the project starts and ends, each as day, month and year (portal.date_fields).
    Either date may be left empty until the proposal is submitted."""

    start = DateBoxesField(label=_("Start date"), required=False)
    end = DateBoxesField(label=_("End date"), required=False)

    service_fields = {"start_date": "start", "end_date": "end"}

    @classmethod
    def initial_from(cls, proposal):
        return {"start": proposal.start_date, "end": proposal.end_date}

    def service_data(self):
        return {"start_date": self.cleaned_data["start"], "end_date": self.cleaned_data["end"]}


class ProjectDocumentForm(PortalForm):
    project_document = forms.CharField(
        label=_("Project document"),
        max_length=50000,
        required=False,
        help_text=_(
            "The project document you write together with the agency: background, "
            "activities, work plan, how the service will be run and checked."
        ),
        widget=forms.Textarea(attrs={"rows": 25}),
    )

    @staticmethod
    def initial_from(proposal):
        return {"project_document": proposal.project_document}

    def service_data(self):
        return dict(self.cleaned_data)


OTHER = "__other__"


class AttachmentForm(PortalForm):
    """Upload one attachment, titled with one of the call's required documents or a typed
    title. The file's type is checked by content in the service."""

    document = forms.ChoiceField(label=_("Which document is this?"), required=False)
    other_title = forms.CharField(
        label=_("Title of another document"),
        max_length=255,
        required=False,
        help_text=_("Only if it is not one of the documents the call asks for."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, required_documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        if required_documents:
            self.fields["document"].choices = (
                [("", _("Choose…"))]
                + [(d, d) for d in required_documents]
                + [(OTHER, _("Another document (type its title below)"))]
            )
        else:
            del self.fields["document"]
            self.fields["other_title"].label = _("Title of the document")
            self.fields["other_title"].help_text = ""
            self.fields["other_title"].widget.attrs.pop("aria-describedby", None)

    def clean(self):
        cleaned = super().clean()
        if "document" in self.errors:
            return cleaned
        choice = cleaned.get("document", OTHER)
        title = cleaned.get("other_title", "").strip()
        if choice and choice != OTHER:
            cleaned["title"] = choice
        elif title:
            cleaned["title"] = title
        elif "document" in self.fields and not choice:
            self.add_error("document", _("Choose the document or type its title."))
        else:
            self.add_error("other_title", _("Say which document this is."))
        return cleaned

    service_fields = {"title": "other_title"}


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=5000,
        required=False,
        help_text=_("The agency will see this."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(PortalForm):
    """The organisation's answer to the agency's questions, sent with the proposal."""

    answer = forms.CharField(
        label=_("Your answer to the agency's questions"),
        max_length=5000,
        help_text=_("Say what you changed and why; the agency and its evaluators read this."),
        error_messages={"required": _("Answer the agency's questions.")},
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ProposalFilterForm(PortalForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Proposal.Status.choices
    )

    def status_filter(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


class ConceptAnswersForm(PortalForm):
    """The shared parts of answering concept notes: when the invited full proposals are due,
    and a reason for the declines that have none of their own."""

    due_at = DateBoxesField(
        label=_("Full proposals are due"),
        mode="datetime",
        required=False,
        help_text=_("Every organisation invited in this step sends its full proposal by then."),
    )
    shared_reason = forms.CharField(
        label=_("Shared reason for the declines"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
