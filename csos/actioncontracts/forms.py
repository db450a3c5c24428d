from django import forms
from django.utils.translation import gettext_lazy as _

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField

__all__ = ["DrawUpForm", "PartyForm", "PlanRecordForm", "ProgressForm", "SignForm"]


class DrawUpForm(PortalForm):
    title = ServiceCheckedField(label=_("Title of the action contract"), max_length=255)


class PartyForm(PortalForm):
    member = forms.ModelChoiceField(
        label=_("A member of the network"), queryset=None, required=False,
        empty_label=_("Someone else (name below)"),
    )  # fmt: skip
    name = ServiceCheckedField(
        label=_("Party's name, when not a member"), max_length=255, required=False
    )
    commitments = ServiceCheckedField(
        label=_("Commitments"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = DateBoxesField(label=_("To be done by"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class SignForm(PortalForm):
    signed_name = ServiceCheckedField(label=_("Name of the person signing"), max_length=255)
    confirm = forms.BooleanField(
        label=_("The party agrees to its commitments in this contract"), required=False
    )


class ProgressForm(PortalForm):
    party = forms.TypedChoiceField(label=_("Party"), coerce=int, choices=())
    text = ServiceCheckedField(
        label=_("Progress"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    completes = forms.BooleanField(label=_("The party's commitments are met"), required=False)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(p.pk, p.name) for p in parties]


class PlanRecordForm(PortalForm):
    plan_year = forms.IntegerField(label=_("Plan year (B.E.)"), min_value=2500, max_value=2700)
    project_code = ServiceCheckedField(label=_("Project code in the plan"), max_length=50)
