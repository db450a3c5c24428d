from django import forms
from django.utils.translation import gettext_lazy as _

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm

from .models import Meeting, Registration


class MeetingForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("What it is about"), required=False, max_length=5000, widget=forms.Textarea
    )
    mission = forms.ModelChoiceField(label=_("Mission"), queryset=None, required=False)
    starts_at = DateBoxesField(label=_("Starts"), mode="datetime")
    ends_at = DateBoxesField(label=_("Ends"), mode="datetime")
    place = forms.CharField(label=_("Place"), required=False, max_length=500)
    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=500, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100000)

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions


class RegistrationForm(PortalForm):
    needs = forms.MultipleChoiceField(
        label=_("What would help you take part?"),
        choices=Registration.Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_other = forms.CharField(label=_("Anything else"), required=False, max_length=500)


class CancelForm(PortalForm):
    reason = forms.CharField(
        label=_("Why it is cancelled"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecordForm(PortalForm):
    minutes = forms.CharField(
        label=_("Minutes: what was said and decided"), max_length=50000, widget=forms.Textarea
    )
    attended = forms.MultipleChoiceField(
        label=_("Who came"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(r.pk), r.person.display_name()) for r in registrations
        ]


class MaterialForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(label=_("PDF file"))
