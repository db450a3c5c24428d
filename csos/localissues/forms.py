from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm, ServiceCheckedField

__all__ = ["CloseForm", "PlanForm", "RaiseForm"]


class RaiseForm(PortalForm):
    raised_for = forms.TypedChoiceField(label=_("Raised for"), coerce=int, choices=())
    title = ServiceCheckedField(label=_("The issue in a line"), max_length=255)
    description = ServiceCheckedField(
        label=_("What is happening, and to whom"), max_length=5000, widget=forms.Textarea
    )
    places = ServiceCheckedField(
        label=_("Places affected"), max_length=500,
        help_text=_("Sub-districts, districts or villages, separated by commas."),
    )  # fmt: skip
    evidence = ServiceCheckedField(
        label=_("Evidence"), max_length=5000, required=False,
        help_text=_("Figures, reports, what people have seen; say where they come from."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    evidence_file = forms.FileField(label=_("Evidence file (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_for"].choices = [(m.pk, m.name) for m in members]
        if len(members) == 1:
            self.fields["raised_for"].widget = forms.HiddenInput()
            self.fields["raised_for"].initial = members[0].pk


class PlanForm(PortalForm):
    goals = ServiceCheckedField(
        label=_("Goals"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    results = ServiceCheckedField(
        label=_("Expected results"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    approach = ServiceCheckedField(
        label=_("Agreed way to handle it"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class CloseForm(PortalForm):
    reason = ServiceCheckedField(label=_("Why it is closed"), max_length=2000)
