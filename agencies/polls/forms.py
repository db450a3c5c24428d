from django import forms
from django.utils.translation import gettext_lazy as _

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField

from .models import Poll


class PollForm(PortalForm):
    question = ServiceCheckedField(label=_("Question"), max_length=500)
    options = ServiceCheckedField(
        label=_("Options, one per line"),
        max_length=2500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Between 2 and 10 options."),
    )
    mission = forms.ModelChoiceField(label=_("Mission"), queryset=None, required=False)
    opens_at = DateBoxesField(label=_("Voting opens"), mode="datetime")
    closes_at = DateBoxesField(label=_("Voting closes"), mode="datetime")
    show_results = forms.ChoiceField(
        label=_("Show the results"),
        choices=Poll.ShowResults.choices,
        widget=forms.RadioSelect,
        initial=Poll.ShowResults.AFTER_VOTE,
    )

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["options"] = (data.get("options") or "").splitlines()
        return data
