from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from contracts.agreements.models import Agreement
from contracts.calls.models import Instrument
from portal.forms import PortalForm, grouped_province_choices
from portal.models import ActivityField, Province


class ProjectFilterForm(PortalForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    province = forms.ChoiceField(label=_("Province"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    activity_field = forms.ChoiceField(label=_("Activity field"), required=False)
    instrument = forms.ChoiceField(
        label=_("Instrument"), required=False, choices=[("", _("All"))] + Instrument.choices
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # EXISTS on the agreements' (agency, status) index: a DISTINCT over the join read
        # every agreement (13 ms at national size).
        signed = Agreement.objects.filter(agency=OuterRef("pk"), signed_at__isnull=False)
        agencies = Agency.objects.filter(Exists(signed))
        self.fields["agency"].choices = [("", _("All"))] + [
            (str(a.pk), a.name) for a in agencies.order_by("name_th")
        ]
        self.fields["province"].choices = [
            ("", _("All")),
            *grouped_province_choices(Province.objects.all()),
        ]
        self.fields["activity_field"].choices = [("", _("All"))] + [
            (a.code, a.name) for a in ActivityField.objects.all()
        ]
        shown = [s for s in Agreement.Status if s != Agreement.Status.DECLINED]
        self.fields["status"].choices = [("", _("All"))] + [(s.value, s.label) for s in shown]

    def filters(self) -> dict:
        """The valid filters; one with an unknown value is ignored, not an error."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": (data.get("q") or "").strip(),
            "province": data.get("province") or "",
            "agency": data.get("agency") or "",
            "activity_field": data.get("activity_field") or "",
            "instrument": data.get("instrument") or "",
            "status": data.get("status") or "",
        }
