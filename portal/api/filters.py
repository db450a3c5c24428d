"""Lists: strict filter values and ordering (an unknown value answers 400, never ignored)."""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import exceptions, filters


class StrictBooleanField(forms.NullBooleanField):
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("Give true or false."), code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    """``true``/``false`` (or 1/0); anything else is a validation error, not ignored."""

    field_class = StrictBooleanField


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet with strict booleans."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
    }


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering, but an unknown field answers 400 instead of being ignored."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        asked = [term for term in fields if term]
        if len(valid) != len(asked):
            context = {"request": request}
            names = [name for name, _label in self.get_valid_fields(queryset, view, context)]
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one of: %(fields)s (a leading - reverses).")
                        % {"fields": ", ".join(names)}
                    ]
                }
            )
        return valid
