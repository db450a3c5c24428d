"""The notices' forms: the inbox's filters and the settings per kind of notice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import PortalForm
from .kinds import KINDS


def _kind_choices():
    return [("", _("All kinds"))] + [(code, kind.label) for code, kind in KINDS.items()]


class NoticeFilterForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of notice"), required=False, choices=_kind_choices)
    unread = forms.BooleanField(label=_("Unread only"), required=False)

    def filters(self) -> dict:
        """The valid filters as queryset lookups; an unknown value is ignored, not an error."""
        if not self.is_bound or not self.is_valid():
            return {}
        lookups = {}
        if self.cleaned_data["kind"]:
            lookups["kind"] = self.cleaned_data["kind"]
        if self.cleaned_data["unread"]:
            lookups["read_at__isnull"] = True
        return lookups


class NoticePreferencesForm(PortalForm):
    """Two checkboxes per kind of notice: by email, and in the portal. A legal deadline's
    in-portal box is disabled and ticked: Django ignores what is posted for a disabled
    field, and the service refuses to turn it off whatever reaches it."""

    def __init__(self, *args, preferences: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = KINDS
        for code, kind in KINDS.items():
            saved = preferences.get(code)
            self.fields[f"email_{code}"] = forms.BooleanField(
                label=_("Email"),
                required=False,
                initial=saved.email if saved else True,
            )
            self.fields[f"in_app_{code}"] = forms.BooleanField(
                label=_("In the portal"),
                required=False,
                initial=True if kind.legal or saved is None else saved.in_app,
                disabled=kind.legal,
            )
            if kind.legal:
                self.fields[f"in_app_{code}"].widget.attrs["aria-describedby"] = f"legal_{code}"

    def rows(self) -> list[dict]:
        return [
            {
                "code": code,
                "kind": kind,
                "email": self[f"email_{code}"],
                "in_app": self[f"in_app_{code}"],
            }
            for code, kind in self.kinds.items()
        ]

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            code: {
                "email": self.cleaned_data[f"email_{code}"],
                "in_app": self.cleaned_data[f"in_app_{code}"],
            }
            for code in self.kinds
        }
