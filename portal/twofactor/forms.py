from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm


class EnrolCodeForm(PortalForm):
    code = forms.CharField(
        label=_("Code from your app"),
        max_length=20,
        help_text=_("The 6 digits the app shows now for this portal."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "size": 10,
            }
        ),
    )


class SignInCodeForm(PortalForm):
    """The second step of signing in: its own form, apart from the password's."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "The 6 digits your authenticator app shows now, or one of your recovery codes "
            "(each works once)."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "size": 12,
            }
        ),
    )


class PasswordAgainForm(PortalForm):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
