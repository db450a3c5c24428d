from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.selectors import agency_list
from portal.forms import PortalForm


class AgencyChoiceForm(PortalForm):
    """Staff pick which agency's dashboard to see (empty: every agency)."""

    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False, queryset=None, empty_label=_("All agencies")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_list()

    def agency_id(self) -> str:
        if not self.is_bound or not self.is_valid() or not self.cleaned_data["agency"]:
            return ""
        return str(self.cleaned_data["agency"].pk)
