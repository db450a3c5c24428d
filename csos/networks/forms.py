from django import forms
from django.utils.translation import gettext_lazy as _

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField

from .models import GroupKind, GroupSeat, NetworkMember, Resource, Sector


class ApplyForm(PortalForm):
    on_behalf = forms.ChoiceField(
        label=_("Who joins"),
        choices=[("person", _("Me, as an individual")), ("cso", _("My organisation (CSO)"))],
        widget=forms.RadioSelect,
        initial="person",
    )
    name = ServiceCheckedField(
        label=_("Name shown on the network's page"), max_length=255, required=False,
        help_text=_("For an organisation, its registered name is used."),
    )  # fmt: skip
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    resources = forms.MultipleChoiceField(
        label=_("What you bring"), choices=Resource.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


class ProposeForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=NetworkMember.Kind.choices)
    name = ServiceCheckedField(label=_("Name"), max_length=255)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    resources = forms.MultipleChoiceField(
        label=_("What it brings"), choices=Resource.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


class CertifyForm(PortalForm):
    term_ends = DateBoxesField(label=_("Term ends"), required=False)


class OrderForm(PortalForm):
    number = ServiceCheckedField(label=_("Order number"), max_length=50)
    date = DateBoxesField(label=_("Date of the order"))
    file = forms.FileField(label=_("The signed order (PDF)"))


class CreateForm(PortalForm):
    province = forms.ModelChoiceField(label=_("Province"), queryset=None)
    manager = forms.CharField(label=_("Network manager (username or email)"), max_length=254)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces


class GroupForm(PortalForm):
    kind = forms.ChoiceField(label=_("Committee or sub-network"), choices=GroupKind.choices)
    purpose = ServiceCheckedField(
        label=_("What it does"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class SeatForm(PortalForm):
    member = forms.ModelChoiceField(label=_("Certified member"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=GroupSeat.Role.choices, initial="member")
    term_ends = DateBoxesField(label=_("Term ends"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class MeetingForm(PortalForm):
    held_on = DateBoxesField(label=_("Date of the meeting"))
    place = ServiceCheckedField(label=_("Place"), max_length=255, required=False)
    minutes = ServiceCheckedField(label=_("Minutes"), max_length=20000, widget=forms.Textarea)
    decisions = ServiceCheckedField(
        label=_("Decisions"), max_length=40000, required=False,
        help_text=_("One decision per line; they are numbered in order."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
