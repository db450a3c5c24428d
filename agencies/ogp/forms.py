import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.dates import BE_OFFSET
from portal.forms import PortalForm, ServiceCheckedField

from ..models import Agency
from .models import Milestone, OgpValue


class PlanForm(PortalForm):
    number = forms.IntegerField(label=_("Plan number"), min_value=1, max_value=99)
    title = ServiceCheckedField(label=_("Title"), max_length=255)
    starts_year = forms.IntegerField(
        label=_("First year (C.E.)"), min_value=2000, max_value=2100, help_text=_("e.g. 2027")
    )
    ends_year = forms.IntegerField(label=_("Last year (C.E.)"), min_value=2000, max_value=2105)
    summary = ServiceCheckedField(
        label=_("Summary"), max_length=10000, required=False, widget=forms.Textarea
    )


def parse_milestones(text: str) -> tuple[list[dict], list[str]]:
    """Lines "title | day/month/year" (a B.E. year above 2400 is read as such)."""
    rows, problems = [], []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, sep, when = line.rpartition("|")
        try:
            day, month, year = (int(x) for x in when.strip().split("/"))
            if year > 2400:
                year -= BE_OFFSET
            due = datetime.date(year, month, day)
        except ValueError:
            due = None
        if not sep or not title.strip() or due is None:
            problems.append(
                str(_("Write each milestone as its title, |, and its date: “%(line)s” is not."))
                % {"line": line.strip()[:60]}
            )
            continue
        rows.append({"title": title.strip(), "due_on": due})
    return rows, problems


class CommitmentForm(PortalForm):
    title = ServiceCheckedField(label=_("Title"), max_length=255)
    description = ServiceCheckedField(
        label=_("What it commits to"), max_length=10000, widget=forms.Textarea
    )
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.order_by("name_th")
    )
    values = forms.MultipleChoiceField(
        label=_("OGP values it serves"),
        choices=OgpValue.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    milestones = forms.CharField(
        label=_("Milestones, one per line"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Title | day/month/year, e.g. “Data portal opened | 31/3/2571”."),
    )

    def clean_milestones(self):
        rows, problems = parse_milestones(self.cleaned_data["milestones"])
        if problems:
            raise forms.ValidationError(problems)
        return rows


class ReportForm(PortalForm):
    status = forms.ChoiceField(
        label=_("How far it has got"),
        choices=[c for c in Milestone.Status.choices if c[0] != "not_started"],
        widget=forms.RadioSelect,
    )
    note = ServiceCheckedField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence_url = forms.URLField(
        label=_("Link to the evidence"), max_length=500, required=False, assume_scheme="https"
    )
