from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm, ServiceCheckedField


class SuggestForm(PortalForm):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    mission = forms.ModelChoiceField(
        label=_("Service (if it is about one)"), queryset=None, required=False
    )
    question = ServiceCheckedField(
        label=_("Your question"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agencies, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["mission"].queryset = missions


class FaqForm(PortalForm):
    mission = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    question = ServiceCheckedField(label=_("Question asked"), max_length=500)
    answer = ServiceCheckedField(
        label=_("Answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions


class DeclineForm(PortalForm):
    reason = forms.CharField(
        label=_("Why it is not published (the person who asked is told)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
