import datetime
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
from django.utils.translation import gettext_lazy as _

from .dates import BE_OFFSET


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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


# --- dates: day / month / พ.ศ. year in three boxes ---------------------------------------


class DateBoxError(Exception):
    """A date's boxes refused: ``part`` ("day", "month" or "year") is the box that shows
    ``message``."""

    def __init__(self, part: str, message):
        super().__init__(message)
        self.part = part
        self.message = message


class BuddhistDateField:
    """One date typed as day, month and Buddhist Era year in three boxes, as people write
    dates in Thailand; a year typed in C.E. (such as 2027) is understood too. The form holds
    three IntegerFields, ``<name>_day``, ``<name>_month`` and ``<name>_year`` (``boxes()``),
    so each box keeps its own value and error; ``clean()`` turns them into a date, raising
    DateBoxError on the box that shows the problem. No form needs a time in three boxes
    (times are typed in one ``datetime-local`` box), so there is no BuddhistDateTimeField.
    """

    PARTS = ("day", "month", "year")
    LIMITS = {"day": (1, 31), "month": (1, 12), "year": (None, 9999)}

    def __init__(self, label, *, required=False, required_message=None, attrs=None):
        self.label = label
        self.required = required
        self.required_message = required_message or _("Give the date.")
        self.attrs = attrs or {}  # more attributes for every box

    def boxes(self) -> dict[str, forms.IntegerField]:
        """The three boxes by part; none is required by itself (the date is, or not)."""
        return {
            part: forms.IntegerField(
                label=self.label,
                required=False,
                min_value=self.LIMITS[part][0],
                max_value=self.LIMITS[part][1],
                widget=forms.TextInput(attrs=self.box_attrs(part)),
            )
            for part in self.PARTS
        }

    def box_attrs(self, part: str) -> dict:
        return {
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "date-year" if part == "year" else "date-part",
            "size": 4 if part == "year" else 2,
            **self.attrs,
        }

    @staticmethod
    def initial(value) -> dict[str, int]:
        """The boxes' values for ``value`` (a date, or None: empty boxes)."""
        if not value:
            return {}
        return {"day": value.day, "month": value.month, "year": value.year + BE_OFFSET}

    def clean(self, day, month, year) -> datetime.date | None:
        if day is None and month is None and year is None:
            if self.required:
                raise DateBoxError("day", self.required_message)
            return None
        for part, value in zip(self.PARTS, (day, month, year), strict=True):
            if value is None:
                raise DateBoxError(part, _("Give the day, the month and the year."))
        if 1800 <= year <= 2300:  # typed in C.E.
            year += BE_OFFSET
        if not 2400 <= year <= 2843:
            raise DateBoxError("year", _("Give the year in the Buddhist Era, for example 2570."))
        try:
            return datetime.date(year - BE_OFFSET, month, day)
        except ValueError as exc:
            raise DateBoxError(
                "day", _("This date does not exist; check the day and month.")
            ) from exc


class BuddhistDatesMixin:
    """A form's dates, each typed in three boxes (see BuddhistDateField). ``DATES`` maps each
    date's prefix to its field; the boxes are ``<prefix>_day/_month/_year``, share one hint
    (``<prefix>_date_hint``), and ``cleaned_data["<prefix>_date"]`` holds the date. A
    service's error on ``<prefix>_date`` is shown on the date's first box."""

    DATES: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prefix, date in self.DATES.items():
            for part, box in date.boxes().items():
                self.fields[f"{prefix}_{part}"] = box

    def hint_id(self, prefix) -> str:
        return f"{self.add_prefix(prefix)}_date_hint"

    def full_clean(self):
        super().full_clean()
        for prefix in self.DATES:  # the hint is shared by the three boxes of a date
            for part in BuddhistDateField.PARTS:
                widget = self.fields[f"{prefix}_{part}"].widget
                described = widget.attrs.get("aria-describedby", "")
                if self.hint_id(prefix) not in described:
                    widget.attrs["aria-describedby"] = f"{self.hint_id(prefix)} {described}".strip()

    @property
    def date_groups(self) -> list[dict]:
        """Each date's legend, its three bound boxes and its hint id, for the template."""
        return [
            {
                "legend": date.label,
                "day": self[f"{prefix}_day"],
                "month": self[f"{prefix}_month"],
                "year": self[f"{prefix}_year"],
                "hint_id": self.hint_id(prefix),
            }
            for prefix, date in self.DATES.items()
        ]

    @staticmethod
    def date_initial(prefix, value) -> dict:
        return {f"{prefix}_{part}": v for part, v in BuddhistDateField.initial(value).items()}

    def clean(self):
        cleaned = super().clean()
        for prefix, date in self.DATES.items():
            names = [f"{prefix}_{part}" for part in BuddhistDateField.PARTS]
            if any(name in self.errors for name in names):
                continue
            try:
                cleaned[f"{prefix}_date"] = date.clean(*(cleaned.get(name) for name in names))
            except DateBoxError as exc:
                self.add_error(f"{prefix}_{exc.part}", exc.message)
        return cleaned

    def service_field(self, name: str) -> str | None:
        prefix = name.removesuffix("_date")
        if name.endswith("_date") and prefix in self.DATES:
            return f"{prefix}_day"
        return super().service_field(name)


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Reference rows (activity fields, provinces) ticked by code, labelled by name."""

    def label_from_instance(self, obj):
        return obj.name
