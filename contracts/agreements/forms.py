"""Forms for agreements on the web: award, sign or decline, co-design, end notice, renewal,
termination and settlement. They only shape what was typed (dates in the Buddhist Era,
amounts with thousands separators, one share per line); every rule is the services' and
comes back as their errors on the fields they name."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contracts.agreements.models import Agreement
from contracts.calls.models import Instrument
from contracts.instruments import rules_for
from portal.date_fields import DateBoxesField
from portal.dates import format_be
from portal.forms import PortalForm

PARTIES = [
    ("agency", _("The agency")),
    ("cso", _("The organisation")),
    ("joint", _("Both together")),
]
PARTY_LABELS = dict(PARTIES)


def _textarea(rows=5):
    return forms.Textarea(attrs={"rows": rows})


def _plain_amount(value: str) -> str:
    """ "190,020.00 บาท" → "190020.00"; the service says whether it is an amount."""
    return re.sub(r"[,\s]|บาท|baht", "", str(value or ""), flags=re.IGNORECASE)


# --- award -----------------------------------------------------------------------------------


class AwardForm(PortalForm):
    """The offer made from a selected proposal. Grants and commissioning set their own
    tranche shares; a performance contract always pays 80 % and then 20 %."""

    start = DateBoxesField(label=_("Start date"))
    end = DateBoxesField(label=_("End date"))
    service_fields = {"start_date": "start", "end_date": "end"}

    amount = forms.CharField(
        label=_("Amount (baht)"),
        max_length=32,
        help_text=_("At most the amount the proposal requested."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    scope = forms.CharField(
        label=_("Scope of work"),
        max_length=10000,
        required=False,
        help_text=_("What the organisation will do, for whom and where."),
        widget=_textarea(6),
    )
    terms = forms.CharField(
        label=_("Terms and conditions"),
        max_length=20000,
        required=False,
        help_text=_("The conditions the organisation accepts when it signs."),
        widget=_textarea(8),
    )
    report_schedule = forms.ChoiceField(
        label=_("Progress reports"), choices=Agreement.ReportSchedule.choices
    )
    report_every_months = forms.IntegerField(
        label=_("A progress report every (months)"),
        min_value=1,
        max_value=12,
        help_text=_("From 1 to 12. The last report falls due on the end date."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
    )
    shares = forms.CharField(
        label=_("Tranche shares (%)"),
        max_length=500,
        help_text=_(
            "One percentage per line, adding up to 100, for example 60 and 40. The first "
            "tranche is released once the agreement is signed, the others on dates spread "
            "through the period."
        ),
        widget=_textarea(4),
    )
    beneficiary_groups = forms.CharField(
        label=_("Groups the progress reports count the people reached in"),
        max_length=1500,
        required=False,
        help_text=_(
            "One group per line, such as bedridden older people or carers; at most 12. Each "
            "report gives a number per group, never names. Leave empty to count none."
        ),
        widget=_textarea(4),
    )
    paid_on_request = forms.BooleanField(
        label=_("Release the tranches after the first when the organisation asks for them"),
        required=False,
        help_text=_(
            "Instead of on their dates: the organisation asks with an accepted progress "
            "report and says what was reached; you approve by releasing, or return it."
        ),
    )
    milestones = forms.CharField(
        label=_("Milestones of the tranches paid on request"),
        max_length=12000,
        required=False,
        help_text=_(
            "One line per tranche after the first, in order: what must be reached before "
            "the organisation asks. Leave a line empty for none."
        ),
        widget=_textarea(4),
    )
    outcomes = forms.CharField(
        label=_("Prioritised outcomes"),
        max_length=10000,
        required=False,
        help_text=_("The outcomes that matter most, in order of priority."),
        widget=_textarea(5),
    )
    needs_assessment = forms.CharField(
        label=_("Needs assessment of the target groups"),
        max_length=10000,
        required=False,
        widget=_textarea(5),
    )
    resources = forms.CharField(
        label=_("Resources allocated"),
        max_length=10000,
        required=False,
        help_text=_("Budget, staff, places and equipment each side brings."),
        widget=_textarea(4),
    )

    signatory_name = forms.CharField(
        label=_("Signing for the agency (full name)"),
        max_length=255,
        required=False,
        help_text=_("Printed under the agency's signature. Left empty: your own full name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    signatory_position = forms.CharField(
        label=_("Their position"),
        max_length=255,
        required=False,
        help_text=_("For example: Director-General. Left empty: your own position."),
    )

    considered_funding = forms.BooleanField(
        label=_(
            "I have considered the organisation's other agreements listed above, so the same "
            "work is not funded twice"
        ),
        required=False,
    )

    COMMISSIONING_FIELDS = ["outcomes", "needs_assessment", "resources"]

    def __init__(self, *args, kind, requested_amount=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if rules_for(kind).shares_fixed:
            del self.fields["shares"]
        if not rules_for(kind).may_pay_on_request:
            del self.fields["paid_on_request"]
            del self.fields["milestones"]
        if not rules_for(kind).co_design:
            for name in self.COMMISSIONING_FIELDS:
                del self.fields[name]
        if requested_amount is not None:
            self.fields["amount"].help_text = _(
                "At most the amount the proposal requested: %(amount)s baht."
            ) % {"amount": f"{requested_amount:,.2f}"}
        # The dates come first, after the amount, as on the proposal.
        self.order_fields(["amount", "start", "end"])

    @classmethod
    def initial_from(cls, proposal, officer=None) -> dict:
        initial = {
            "signatory_name": officer.get_full_name() if officer else "",
            "signatory_position": officer.position if officer else "",
            "amount": f"{proposal.requested_amount:.2f}",
            "scope": proposal.summary,
            "terms": "",
            "report_schedule": Agreement.ReportSchedule.BY_PERIOD,
            "report_every_months": 3,
            "shares": "100",
            "outcomes": proposal.outcomes,
            "beneficiary_groups": "\n".join(
                proposal.call.mission.target_groups if proposal.call.mission else []
            ),
        }
        initial.update({"start": proposal.start_date, "end": proposal.end_date})
        return initial

    def share_list(self) -> list[str]:
        """The typed shares, one per line (or separated by commas or semicolons)."""
        text = self.cleaned_data.get("shares", "")
        return [s.replace("%", "").strip() for s in re.split(r"[\n;,]+", text) if s.strip()]

    def service_data(self) -> dict:
        data = self.cleaned_data
        out = {
            "amount": _plain_amount(data["amount"]),
            "start_date": data["start"],
            "end_date": data["end"],
            "scope": data["scope"],
            "terms": data["terms"],
            "report_schedule": data["report_schedule"],
            "report_every_months": data["report_every_months"],
            "signatory_name": data["signatory_name"],
            "signatory_position": data["signatory_position"],
            "considered_funding": bool(data.get("considered_funding")),
            "beneficiary_groups": [
                line.strip() for line in data["beneficiary_groups"].splitlines() if line.strip()
            ],
        }
        if "shares" in self.fields:
            out["shares"] = self.share_list()
        if "paid_on_request" in self.fields:
            out["paid_on_request"] = bool(data.get("paid_on_request"))
            lines = [line.strip() for line in data.get("milestones", "").splitlines()]
            while lines and not lines[-1]:
                lines.pop()
            out["milestones"] = lines
        for name in self.COMMISSIONING_FIELDS:
            if name in self.fields:
                out[name] = data[name]
        return out


# --- actions on the agreement page -----------------------------------------------------------


class SignForm(PortalForm):
    signed_name = forms.CharField(
        label=_("Your full name"),
        max_length=300,
        required=False,
        help_text=_("Type your first name and surname: this is your signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "aria-required": "true"}),
    )
    confirm = forms.BooleanField(
        label=_("I have read the terms and accept them on behalf of the organisation"),
        required=False,
    )


class ReasonForm(PortalForm):
    """Decline or terminate: a reason the other side will read."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
    )


class PaymentRequestForm(PortalForm):
    """The organisation asks for a tranche paid on request."""

    report = forms.TypedChoiceField(
        label=_("The accepted progress report that evidences it"),
        coerce=int,
        choices=(),
    )
    note = forms.CharField(
        label=_("What was reached"),
        max_length=5000,
        required=False,
        help_text=_("The tranche's milestone first, where it names one."),
        widget=forms.Textarea(attrs={"rows": 5, "aria-required": "true"}),
    )

    def __init__(self, *args, reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [
            (
                r.seq,
                _("Progress report %(seq)s, due %(due)s")
                % {"seq": r.seq, "due": format_be(r.due_on)},
            )
            for r in reports
        ]


class EndNoticeForm(PortalForm):
    end = DateBoxesField(label=_("New end date"))
    service_fields = {"end_date": "end"}

    reason = forms.CharField(
        label=_("Reason for ending"),
        max_length=5000,
        required=False,
        help_text=_("The organisation is told at once and reads this reason."),
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["end_date"] = cleaned.get("end")
        return cleaned


class RenewForm(PortalForm):
    end = DateBoxesField(label=_("New end date"))
    service_fields = {"end_date": "end"}

    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["end_date"] = cleaned.get("end")
        return cleaned


class SettlementForm(PortalForm):
    spent_total = forms.CharField(
        label=_("Total spent (baht)"),
        max_length=32,
        required=False,
        help_text=_("Everything spent under the agreement, for example 180,000.00."),
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "aria-required": "true"}
        ),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_spent_total(self) -> str:
        return _plain_amount(self.cleaned_data["spent_total"])


class ButtonForm(PortalForm):
    """An action with nothing to type: complete, start delivery, settle."""


# --- co-design -------------------------------------------------------------------------------


class DesignForm(PortalForm):
    """The shared service model and who does what, as a table of rows that works without
    JavaScript: a fixed number of rows, empty ones ignored, and an "add rows" button."""

    MIN_ROWS = 5
    ADD_ROWS = 3
    MAX_ROWS = 60

    service_design = forms.CharField(
        label=_("Service model"),
        max_length=50000,
        required=False,
        help_text=_(
            "How the service runs: who is served, what they receive, where and how often, "
            "and how quality is checked."
        ),
        widget=_textarea(12),
    )

    def __init__(self, data=None, *, rows=None, initial_rows=None, service_design="", **kwargs):
        initial_rows = list(initial_rows or [])
        if rows is None:
            rows = self.rows_in(data) if data is not None else len(initial_rows) + 2
        self.row_count = max(self.MIN_ROWS, min(rows, self.MAX_ROWS))
        initial = {"service_design": service_design}
        for i, row in enumerate(initial_rows[: self.row_count]):
            initial[f"task_{i}"] = row.get("task", "")
            initial[f"party_{i}"] = row.get("party", "")
        super().__init__(data, initial=initial, **kwargs)
        for i in range(self.row_count):
            self.fields[f"task_{i}"] = forms.CharField(
                label=_("Task, row %(n)s") % {"n": i + 1}, max_length=500, required=False
            )
            self.fields[f"party_{i}"] = forms.ChoiceField(
                label=_("Who does it, row %(n)s") % {"n": i + 1},
                required=False,
                choices=[("", _("Choose…")), *PARTIES],
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

    def table(self) -> list[dict]:
        return [
            {"n": i + 1, "cells": [self[f"task_{i}"], self[f"party_{i}"]]}
            for i in range(self.row_count)
        ]

    def typed_rows(self) -> list[dict]:
        return [
            {
                "task": str(self.data.get(f"task_{i}") or ""),
                "party": str(self.data.get(f"party_{i}") or ""),
            }
            for i in range(self.row_count)
        ]

    def with_more_rows(self):
        """An unbound copy showing what was typed and ``ADD_ROWS`` more empty rows."""
        return type(self)(
            rows=self.row_count + self.ADD_ROWS,
            initial_rows=self.typed_rows(),
            service_design=str(self.data.get("service_design") or ""),
        )

    def service_data(self) -> dict:
        rows = [
            {
                "task": (self.cleaned_data.get(f"task_{i}") or "").strip(),
                "party": self.cleaned_data.get(f"party_{i}") or "",
            }
            for i in range(self.row_count)
        ]
        return {
            "service_design": self.cleaned_data["service_design"],
            "responsibilities": [r for r in rows if r["task"] or r["party"]],
        }


# --- the list --------------------------------------------------------------------------------


class AgreementFilterForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Instrument.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Agreement.Status.choices
    )

    def filters(self) -> dict:
        """The valid filters; an unknown value is ignored, not an error."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


# --- variations ------------------------------------------------------------------------------


class VariationForm(PortalForm):
    """A variation of a running agreement: what changes (left empty, it stays) and why."""

    amount = forms.CharField(
        label=_("New amount (baht)"),
        max_length=32,
        required=False,
        help_text=_("Empty: the amount stays. Not below what was released."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    start = DateBoxesField(label=_("New start date"), required=False)
    end = DateBoxesField(label=_("New end date"), required=False)
    scope = forms.CharField(
        label=_("New scope of work"),
        max_length=10000,
        required=False,
        help_text=_("Empty: the scope stays."),
        widget=_textarea(4),
    )
    reason = forms.CharField(
        label=_("Why the agreement should change"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
    )
    service_fields = {"start_date": "start", "end_date": "end"}

    def __init__(self, *args, lines=(), tranches=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        # One box per target, for a new value of its indicator.
        self.targets = [dict(t) for t in targets or [] if isinstance(t, dict)]
        for i, target in enumerate(self.targets):
            self.fields[f"target_{i}"] = forms.CharField(
                label=_("New target: %(indicator)s") % {"indicator": target.get("indicator", "")},
                max_length=255,
                required=False,
                help_text=_("Now %(target)s. Empty: it stays.")
                % {"target": target.get("target", "")},
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
        # One date per tranche still to be released, for moving it.
        self.tranches = [t.seq for t in tranches]
        for tranche in tranches:
            self.fields[f"tranche_{tranche.seq}"] = DateBoxesField(
                label=_("New planned date of tranche %(seq)s") % {"seq": tranche.seq},
                required=False,
                help_text=(
                    _("Now %(date)s. Empty: it stays.") % {"date": format_be(tranche.planned_on)}
                    if tranche.planned_on
                    else _("Empty: it stays.")
                ),
            )
        # One box per budget line, for moving money between lines beyond the set share.
        self.lines = [line for line, _budget in lines]
        for line, budget in lines:
            self.fields[f"line_{line.pk}"] = forms.CharField(
                label=_("New budget: %(line)s") % {"line": line.description},
                max_length=32,
                required=False,
                help_text=_("Now %(amount)s baht. Empty: it stays.") % {"amount": f"{budget:,.2f}"},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        self.order_fields(["amount", "start", "end", "scope"])  # the reason stays last
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def service_data(self) -> dict:
        data = self.cleaned_data
        changes = {}
        budget_lines = [
            {"line": line.pk, "amount": _plain_amount(data[f"line_{line.pk}"])}
            for line in self.lines
            if data.get(f"line_{line.pk}")
        ]
        if budget_lines:
            changes["budget_lines"] = budget_lines
        moved = [
            {"seq": seq, "planned_on": data[f"tranche_{seq}"]}
            for seq in self.tranches
            if data.get(f"tranche_{seq}")
        ]
        if moved:
            changes["tranches"] = moved
        if any(data.get(f"target_{i}") for i in range(len(self.targets))):
            changes["targets"] = [
                {**target, "target": data.get(f"target_{i}") or target.get("target", "")}
                for i, target in enumerate(self.targets)
            ]
        if data.get("amount"):
            changes["amount"] = _plain_amount(data["amount"])
        if data.get("start"):
            changes["start_date"] = data["start"]
        if data.get("end"):
            changes["end_date"] = data["end"]
        if data.get("scope"):
            changes["scope"] = data["scope"]
        return {"reason": data.get("reason", ""), **changes}


class VariationAgreeForm(PortalForm):
    """The other side agrees; for the organisation, its signatory signs."""

    signed_name = forms.CharField(
        label=_("Your full name"),
        max_length=300,
        required=False,
        help_text=_("Type your first name and surname: this is your signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    confirm = forms.BooleanField(
        label=_("I agree to this variation on behalf of my side of the agreement"),
        required=False,
    )

    def __init__(self, *args, signs=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not signs:
            del self.fields["signed_name"]


# --- expenses --------------------------------------------------------------------------------


class ExpenseForm(PortalForm):
    """One expense against a line of the budget, with its receipt (checked by content and
    size in the service)."""

    budget_line = forms.ChoiceField(label=_("Budget line"), required=False)
    spent_on = DateBoxesField(label=_("Date spent"), required=False)
    amount = forms.CharField(
        label=_("Amount (baht)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    payee = forms.CharField(label=_("Paid to"), max_length=255, required=False)
    description = forms.CharField(label=_("What it paid for"), max_length=500, required=False)
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("A photo or a PDF of the receipt: PDF, JPEG or PNG, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = [("", _("Choose…"))] + [
            (str(line.pk), line.description) for line in lines
        ]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "budget_line": int(data["budget_line"]) if data.get("budget_line") else None,
            "spent_on": data.get("spent_on"),
            "amount": _plain_amount(data.get("amount")),
            "payee": data.get("payee", ""),
            "description": data.get("description", ""),
            "receipt": data.get("receipt"),
        }


class ExpenseAnswerForm(PortalForm):
    """The organisation's answer to the officer's question about an expense."""

    answer = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        required=False,
        help_text=_("The agency checks the expense again with it."),
        widget=forms.Textarea(attrs={"rows": 2, "aria-required": "true"}),
    )


class ExpenseCheckForm(PortalForm):
    """The officer's check of one expense; a question or a reason with all but acceptance."""

    check = forms.ChoiceField(
        label=_("Check"),
        required=False,
        choices=[
            ("accepted", pgettext_lazy("expense check", "Accept")),
            ("queried", _("Query")),
            ("rejected", pgettext_lazy("expense check", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Question or reason"),
        max_length=5000,
        required=False,
        help_text=_("The organisation reads this."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
