"""The small checks every app's services repeat: a text's length, an amount in baht, a list
of reference codes. Each answers in the same words wherever it is used."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # what DecimalField(max_digits=14, decimal_places=2) holds


def too_long(value: str, limit: int) -> str:
    """The message for a text over ``limit`` characters (the caller checks the length)."""
    return _("Keep this within %(limit)s characters (now %(length)s).") % {
        "limit": f"{limit:,}",
        "length": f"{len(value):,}",
    }


def money(value, *, field: str, allow_zero=False, message=None) -> Decimal:
    """A baht amount as an exact Decimal with 2 places, or a ValidationError on ``field``.
    ``message``, when given, is the one answer to every refusal (a page that asks for one
    particular amount says so in its own words)."""

    def refuse(default):
        raise ValidationError({field: [message or default]})

    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        refuse(_("Give an amount in baht, such as 80000.00."))
    if amount < 0 or (amount == 0 and not allow_zero):
        refuse(_("The amount must be more than zero."))
    if amount > MAX_AMOUNT:  # before quantize(), which fails on numbers this long
        refuse(_("The amount is too large."))
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        refuse(_("Give the amount to at most 2 decimal places."))
    return amount.quantize(CENT)


def known_codes(model, codes) -> list[str]:
    """The codes, de-duplicated, if every one is a row of the reference ``model`` (a
    ``NamedReference``); otherwise a ValidationError naming the unknown ones."""
    codes = list(dict.fromkeys(str(c) for c in codes or []))
    found = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(_("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown[:10])})
    return codes


def fields_of(kind: type, values: dict) -> dict:
    """A service's ``**values``, typed by the TypedDict ``kind`` (PEP 692), refused with a
    TypeError when they name a field ``kind`` does not declare, so a caller's typo never
    drops a field silently. Only the fields given are in it: left out means unchanged."""
    unknown = sorted(set(values) - kind.__required_keys__ - kind.__optional_keys__)
    if unknown:
        raise TypeError(f"{kind.__name__} has no field {', '.join(unknown)}")
    return dict(values)
