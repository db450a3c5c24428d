from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import CodeMultipleChoiceField, PortalForm, ProvincePicker
from portal.models import ActivityField, Province
from portal.reference import MissionType, ServiceCategory


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MissionForm(PortalForm):
    title_th = forms.CharField(label=_("Title (Thai)"), max_length=255)
    title_en = forms.CharField(label=_("Title (English)"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    service_category = forms.ChoiceField(
        label=_("Service category"),
        choices=[("", _("Choose…"))] + ServiceCategory.choices,
        help_text=_("The nature of the public service decides how far it may be opened."),
    )
    mission_type = forms.ChoiceField(
        label=_("Mission type"), choices=[("", _("Choose…"))] + MissionType.choices
    )
    activity_field = CodeChoiceField(
        label=_("Activity field"),
        queryset=ActivityField.objects.all(),
        to_field_name="code",
        empty_label=_("Choose…"),
        help_text=_("CSOs in this field can take the mission on."),
    )
    target_groups = forms.CharField(
        label=_("Target groups"),
        required=False,
        help_text=_("One group per line, e.g. older persons living alone."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    provinces = CodeMultipleChoiceField(
        label=_("Provinces"),
        queryset=Province.objects.all(),
        to_field_name="code",
        required=False,
        help_text=_("Leave all unticked for a nationwide mission."),
        widget=ProvincePicker,
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["activity_field"] = data["activity_field"].code
        data["provinces"] = [p.code for p in data["provinces"]]
        data["target_groups"] = [
            line.strip() for line in data["target_groups"].splitlines() if line.strip()
        ]
        return data

    @classmethod
    def initial_from(cls, mission):
        return {
            "title_th": mission.title_th,
            "title_en": mission.title_en,
            "description": mission.description,
            "service_category": mission.service_category,
            "mission_type": mission.mission_type,
            "activity_field": mission.activity_field_id,
            "target_groups": "\n".join(mission.target_groups),
            "provinces": [p.code for p in mission.provinces.all()],
        }
