from django import forms
from django.utils.translation import gettext_lazy as _

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm, ServiceCheckedField

from .models import Characteristic

__all__ = ["AssemblyForm", "DrawForm", "RecommendationForm", "SessionForm"]


class AssemblyForm(PortalForm):
    title = ServiceCheckedField(label=_("Title"), max_length=255)
    purpose = ServiceCheckedField(
        label=_("The question it answers"), max_length=10000, widget=forms.Textarea
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=2, max_value=1000)
    reserves = forms.IntegerField(label=_("Reserves"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Characteristic.choices:
            self.fields[f"quota_{value}"] = forms.CharField(
                label=_("Seats by %(characteristic)s") % {"characteristic": label},
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "One value per line, then = and its seats, e.g. “60+ = 4”. Empty: not used."
                ),
            )

    def quotas(self) -> dict:
        """The quota boxes as {characteristic: {value: seats}}; a line that does not read as
        "value = seats" becomes a form error."""
        quotas = {}
        for value, _label in Characteristic.choices:
            text = self.cleaned_data.get(f"quota_{value}") or ""
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if not lines:
                continue
            parsed = {}
            for line in lines:
                name, sep, seats = line.rpartition("=")
                if not sep or not name.strip() or not seats.strip().isdigit():
                    self.add_error(
                        f"quota_{value}",
                        _("Write each line as a value, =, and its seats: “%(line)s” is not.")
                        % {"line": line[:60]},
                    )
                    break
                parsed[name.strip()] = int(seats.strip())
            quotas[value] = parsed
        return quotas


class DrawForm(PortalForm):
    seed = forms.CharField(
        label=_("Seed of the draw"),
        max_length=200,
        required=False,
        help_text=_(
            "A number announced in advance that nobody controls, such as the government "
            "lottery's first prize on a given date. Empty: the portal picks a random one."
        ),
    )


class SessionForm(PortalForm):
    held_on = DateBoxesField(label=_("Date of the session"))
    summary = ServiceCheckedField(
        label=_("What was discussed"), max_length=20000, widget=forms.Textarea
    )


class RecommendationForm(PortalForm):
    text = ServiceCheckedField(
        label=_("Recommendation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
