from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .date_fields import DateBoxesField, error_part


class AccessibleFormMixin:
    """Marks fields in error with aria-invalid and ties hints and errors to their field
    with aria-describedby, so a screen reader reads them with the field."""

    def full_clean(self):
        super().full_clean()
        self.describe_fields()

    def describe_fields(self):
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"{self.auto_id % self.add_prefix(name)}_hint")
            if name in self.errors:
                described.append(f"{self.auto_id % self.add_prefix(name)}_error")
                field.widget.attrs["aria-invalid"] = "true"
                if isinstance(field, DateBoxesField):  # only the box in error is marked
                    field.widget.error_part = error_part(self, name)
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                hint = f"{self.auto_id % self.add_prefix(name)}_hint"
                field.widget.attrs.setdefault("aria-describedby", hint)
            if field.required and not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("aria-required", "true")

    # A service's field name → the form field that shows its error, where they differ.
    service_fields: dict[str, str] = {}

    def service_field(self, name: str) -> str | None:
        """The form field that shows the service's error on ``name`` (None: the form)."""
        target = self.service_fields.get(name, name)
        return target if target in self.fields else None

    def add_service_errors(self, exc: ValidationError):
        """Show a service's ValidationError on the fields it names."""
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                target = self.service_field(field)
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)
        self.describe_fields()  # errors added after cleaning are tied to their fields too


class PortalForm(AccessibleFormMixin, forms.Form):
    pass


class ServiceCheckedField(forms.CharField):
    """A field shown as required (marked, ``aria-required``) whose emptiness the service
    reports together with its other rules, so one submit lists every problem at once."""

    def validate(self, value):
        pass


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    pass


class SignUpForm(PortalForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Reference rows (activity fields, provinces) ticked by code, labelled by name."""

    def label_from_instance(self, obj):
        return obj.name
