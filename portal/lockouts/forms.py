from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm


class LiftForm(PortalForm):
    reason = forms.CharField(
        label=_("Why lift it"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the audit trail, e.g. “the officer called from the ministry's number”."),
    )
