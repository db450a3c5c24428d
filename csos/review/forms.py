from django import forms
from django.utils.translation import gettext_lazy as _

from csos.registration.forms import DirectoryFilterForm
from csos.registration.models import CSO
from portal.forms import CodeMultipleChoiceField, PortalForm
from portal.models import ActivityField


class ApproveForm(PortalForm):
    certified_fields = CodeMultipleChoiceField(
        label=_("Certified fields of competence"),
        queryset=ActivityField.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    scope_note = forms.CharField(
        label=_("Scope of work with agencies"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        help_text=_("The organisation will see this."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OptionalReasonForm(ReasonForm):
    reason = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QueueFilterForm(DirectoryFilterForm):
    """The directory's filters less certification (the queue's registrations are not
    certified yet), with one province, plus the status and the legal status."""

    certified_field = None
    province = forms.ChoiceField(label=_("Province"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    registered = forms.ChoiceField(
        label=_("Legal status"),
        required=False,
        choices=[("", _("All")), ("true", _("Registered")), ("false", _("Informal group"))],
    )

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + CSO.Status.choices

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"].strip(),
            "activity_field": data["activity_field"],
            "org_form": data["org_form"],
            "province": data["province"],
            "status": data["status"],
            "registered": data["registered"],
        }
