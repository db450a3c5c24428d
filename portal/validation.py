"""The small checks every app's services repeat: a text's length, an amount in baht, a list
of reference codes. Each answers in the same words wherever it is used."""

import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # what DecimalField(max_digits=14, decimal_places=2) holds


# Characters a person cannot have meant to type (NUL, escapes, bells): refused in free text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_field(
    errors: dict, data: Mapping, field: str, *, limit: int, required=True, missing=None
) -> str:
    """``data[field]`` as stripped text; what is wrong with it (missing when ``required``,
    longer than ``limit``, holding control characters) is added to ``errors[field]``."""
    value = data.get(field)
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        if required:
            errors[field] = [missing or _("This field is required.")]
        return ""
    if len(value) > limit:
        errors[field] = [too_long(value, limit)]
    elif CONTROL_CHARACTERS.search(value):
        errors[field] = [_("Remove the control characters from this text.")]
    return value


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


# Characters that change how a text is shown without being seen: the bidirectional
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the direction marks
# (U+200E, U+200F, U+061C) and the zero-width ones (U+200B–U+200D, U+2060, U+FEFF). In a
# name or a title they make one organisation look like another in a list; Thai and English
# never need them.
HIDDEN_CHARACTERS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff]")


def hidden_character_problems(value) -> list[str]:
    """The message for a name or title holding an invisible or direction-changing
    character (naming the first, as U+202E, and where it is), or none."""
    if not isinstance(value, str):
        return []
    found = HIDDEN_CHARACTERS.search(value)
    if found is None:
        return []
    return [
        _(
            "Remove the invisible character %(code)s at position %(position)s: names and "
            "titles may not hold direction marks or zero-width characters."
        )
        % {"code": f"U+{ord(found.group()):04X}", "position": found.start() + 1}
    ]


def name_errors(values: Mapping, names: Iterable[str]) -> dict[str, list[str]]:
    """Errors by field for the ``names`` among ``values`` (names and titles) that hold a
    hidden character; merge them into a service's errors."""
    errors = {}
    for name in names:
        problems = hidden_character_problems(values.get(name))
        if problems:
            errors[name] = problems
    return errors


def check_name(value, *, field: str) -> None:
    """Refuse one name or title holding a hidden character: a ValidationError on ``field``."""
    problems = hidden_character_problems(value)
    if problems:
        raise ValidationError({field: problems})
