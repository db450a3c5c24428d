from django import forms
from django.utils.translation import gettext_lazy as _

from csos.networks.models import Network
from portal.forms import PortalForm, ServiceCheckedField
from portal.models import Province

from .models import BudgetProject, BudgetRound


class RoundForm(PortalForm):
    title = ServiceCheckedField(label=_("Title"), max_length=255)
    description = ServiceCheckedField(
        label=_("What the money is for, and the rules"), max_length=10000, widget=forms.Textarea
    )
    envelope = ServiceCheckedField(
        label=_("Envelope (baht)"), max_length=20, help_text=_("For example 5000000")
    )
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces whose residents take part"),
        queryset=Province.objects.order_by("name_th"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    network = forms.ModelChoiceField(
        label=_("With the provincial network (if any)"),
        queryset=Network.objects.select_related("province").order_by("province__name_th"),
        required=False,
    )
    tie_break = forms.ChoiceField(
        label=_("When two projects have as many votes"),
        choices=BudgetRound.TieBreak.choices,
        widget=forms.RadioSelect,
        initial=BudgetRound.TieBreak.LOWER_COST,
    )


class ProjectForm(PortalForm):
    title = ServiceCheckedField(label=_("Project title"), max_length=255)
    description = ServiceCheckedField(
        label=_("What it is and who it helps"), max_length=5000, widget=forms.Textarea
    )
    place = ServiceCheckedField(label=_("Where"), max_length=255, required=False)
    cost = ServiceCheckedField(
        label=_("What it would cost (baht)"), max_length=20, help_text=_("For example 250000")
    )


class ReviewForm(PortalForm):
    feasible = forms.TypedChoiceField(
        label=_("Can the agency carry it out?"),
        choices=[("yes", _("Feasible: put it on the ballot")), ("no", _("Not feasible"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = ServiceCheckedField(
        label=_("Why not (the resident reads this)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeliveryForm(PortalForm):
    mission = forms.ModelChoiceField(
        label=_("Mission that delivers it"), queryset=None, required=False
    )
    delivery = forms.ChoiceField(
        label=_("How far it has got"), choices=BudgetProject.Delivery.choices
    )
    note = ServiceCheckedField(
        label=_("Progress, in a few words"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
