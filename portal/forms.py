from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .date_fields import DateBoxesField, error_part
from .reference import PROVINCE_REGION, REGION_PROVINCES, Region
from .roles import Role, has_role


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

    def add_service_errors(self, exc: ValidationError, *, skip_fields_in_error=False):
        """Show a service's ValidationError on the fields it names (with
        ``skip_fields_in_error``, not on a field the form already refused)."""
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                target = self.service_field(field)
                if skip_fields_in_error and target in self.errors:
                    continue
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
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if has_role(user, Role.API_CLIENT):
            raise ValidationError(
                _(
                    "This is an API client account: it works through the API with its "
                    "token, not on these pages."
                ),
                code="api_client",
            )


PASSWORD_HINT = _("At least 8 characters, not only digits, not a common password.")


class PortalPasswordResetForm(AccessibleFormMixin, PasswordResetForm):
    """Asks for the email address. The link in the email is built from PORTAL_BASE_URL,
    never from the request's Host header (which a caller can forge to steal the token)."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, **kwargs):
        base = urlsplit(settings.PORTAL_BASE_URL)
        kwargs["domain_override"] = base.netloc
        kwargs["use_https"] = base.scheme == "https"
        return super().save(**kwargs)


class PortalSetPasswordForm(AccessibleFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password2"].label = _("New password again")


class PortalPasswordChangeForm(AccessibleFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password2"].label = _("New password again")


class SignUpForm(PortalForm):
    role = forms.ChoiceField(
        label=_("What the account is for"),
        choices=[
            (
                Role.CITIZEN,
                _("Taking part as a citizen: rating services, consultations, polls, meetings"),
            ),
            (Role.CSO_MEMBER, _("Registering or working for a civil society organisation")),
        ],
        widget=forms.RadioSelect,
        initial=Role.CITIZEN,
        required=False,  # a form sent without it (an older page) makes a member's account
    )
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
        help_text=PASSWORD_HINT,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_role(self):
        return self.cleaned_data.get("role") or Role.CSO_MEMBER

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Reference rows (activity fields, provinces) ticked by code, labelled by name."""

    def label_from_instance(self, obj):
        return obj.name


class ProvincePicker(forms.CheckboxSelectMultiple):
    """Provinces ticked one by one, grouped in a fieldset per region, each region with a
    "every province of the region" box. The box is read on the server (its provinces are
    added to those ticked), so the picker works without JavaScript; portal.js only adds a
    search box that hides the provinces not matching what is typed."""

    is_province_picker = True  # includes/field.html renders the widget whole

    def value_from_datadict(self, data, files, name):
        codes = list(super().value_from_datadict(data, files, name) or [])
        for region in data.getlist(f"{name}_region") if hasattr(data, "getlist") else []:
            codes.extend(REGION_PROVINCES.get(region, ()))
        return list(dict.fromkeys(codes))

    def value_omitted_from_data(self, data, files, name):
        return False  # nothing ticked is an answer: no province (or every one, per field)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value or [])}
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        by_region: dict[str, list] = {region: [] for region in Region.values}
        for index, (option_value, label) in enumerate(self.choices):
            code = str(option_value)
            if not code:
                continue
            by_region.setdefault(PROVINCE_REGION.get(code, ""), []).append(
                {
                    "value": code,
                    "label": label,
                    "id": f"{base_id}_{index}",
                    "checked": code in chosen,
                }
            )
        groups = [
            {
                "code": region,
                "label": Region(region).label if region in Region.values else _("Other"),
                "options": sorted(options, key=lambda o: str(o["label"])),
                "all_checked": all(o["checked"] for o in options),
            }
            for region, options in by_region.items()
            if options
        ]
        return render_to_string(
            "includes/province_picker.html",
            {"name": name, "base_id": base_id, "groups": groups, "attrs": attrs or {}},
        )


def grouped_province_choices(provinces) -> list:
    """Single-choice province lists as <optgroup> per region: [(region, [(code, name)])]."""
    groups: dict[str, list] = {region: [] for region in Region.values}
    for p in provinces:
        groups.setdefault(PROVINCE_REGION.get(p.code, ""), []).append((p.code, p.name))
    return [
        (
            Region(region).label if region in Region.values else _("Other"),
            sorted(rows, key=lambda r: r[1]),
        )
        for region, rows in groups.items()
        if rows
    ]
