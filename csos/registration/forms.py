from django import forms
from django.utils.translation import gettext_lazy as _

from portal.date_fields import DateBoxesField
from portal.forms import (
    CodeMultipleChoiceField,
    PortalForm,
    ProvincePicker,
    grouped_province_choices,
)
from portal.models import ActivityField, Province
from portal.reference import OrgForm

from .models import CSODocument


class OrganisationForm(PortalForm):
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=255)
    name_en = forms.CharField(label=_("Name (English)"), max_length=255, required=False)
    org_form = forms.ChoiceField(
        label=_("Organisation form"), choices=[("", _("Choose…"))] + OrgForm.choices
    )
    registered = forms.BooleanField(
        label=_("We are a registered juristic person"),
        required=False,
        help_text=_("Leave unticked for an informal group; it needs no ID."),
    )
    juristic_id = forms.CharField(
        label=_("Juristic person ID"),
        max_length=32,
        required=False,
        help_text=_("13 digits, starting with 0, as on the registration certificate."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    founded_year = DateBoxesField(
        label=_("Year activities began"), mode="year", min_year=1800, required=False
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class ActivitiesForm(PortalForm):
    activity_fields = CodeMultipleChoiceField(
        label=_("Activity fields"),
        queryset=ActivityField.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every field you work in."),
    )
    service_provinces = CodeMultipleChoiceField(
        label=_("Service provinces"),
        queryset=Province.objects.all(),
        to_field_name="code",
        widget=ProvincePicker,
        help_text=_("Tick every province where you serve people."),
    )


class CapacityForm(PortalForm):
    staff_count = forms.IntegerField(label=_("Staff"), min_value=0, max_value=1_000_000)
    certified_staff_count = forms.IntegerField(
        label=_("Professionally certified staff"),
        min_value=0,
        max_value=1_000_000,
        help_text=_("Staff holding a professional licence or certificate for your services."),
    )
    networks = forms.CharField(
        label=_("Networks"),
        max_length=5000,
        required=False,
        help_text=_("The networks and partner organisations you work with."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    track_record = forms.CharField(
        label=_("Track record"),
        max_length=5000,
        help_text=_("Results you have achieved and what others say of your work."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class DocumentForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("Document type"), choices=[("", _("Choose…"))] + CSODocument.Kind.choices
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class DirectoryFilterForm(PortalForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    activity_field = forms.ChoiceField(label=_("Activity field"), required=False)
    org_form = forms.ChoiceField(
        label=_("Organisation form"), required=False, choices=[("", _("All"))] + OrgForm.choices
    )
    certified_field = forms.ChoiceField(
        label=_("Certified by the National Committee in"), required=False
    )
    province = forms.MultipleChoiceField(
        label=_("Provinces served (any of them)"),
        required=False,
        widget=ProvincePicker,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [(a.code, a.name) for a in ActivityField.objects.all()]
        for name in ("activity_field", "certified_field"):
            if name in self.fields:  # the review queue has no certified_field
                self.fields[name].choices = [("", _("All")), *fields]
        provinces = list(Province.objects.all())
        province = self.fields["province"]
        if isinstance(province, forms.MultipleChoiceField):
            province.choices = [(p.code, p.name) for p in provinces]
        else:
            province.choices = [("", _("All")), *grouped_province_choices(provinces)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"].strip(),
            "activity_field": data["activity_field"],
            "certified_field": data["certified_field"],
            "org_form": data["org_form"],
            "provinces": data["province"],
        }
