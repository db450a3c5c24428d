from django import template

from portal.dates import format_be
from portal.uploads import ALLOWED_TYPES

register = template.Library()


@register.filter
def be_date(value):
    """A date in the Buddhist Era, in the current language: 23 พฤศจิกายน พ.ศ. 2569."""
    return format_be(value, "date")


@register.filter
def be_datetime(value):
    return format_be(value, "datetime")


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def file_kind(content_type):
    """A file's kind as people name it ("PDF", "JPG"), not its MIME type."""
    return ALLOWED_TYPES.get(content_type, "").upper() or content_type
