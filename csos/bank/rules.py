"""What a bank account for payments must be, and how its number is shown.

A bank from the reference list (portal.Bank), a branch, the account's name and a number of
digits only: dashes and spaces are dropped (Thai digits read as Arabic ones), and what is
left must have one of the lengths the bank uses (``Bank.account_lengths``: 10 at most banks,
12 also at the Government Savings Bank, the Government Housing Bank and BAAC). Where a
number must not be read in full (the audit trail, an evaluator's view) only its last 4
digits are shown."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.validation import too_long

TEXT_LIMIT = 255
SEPARATORS = re.compile(r"[\s\-]+")
DIGITS = re.compile(r"[0-9]+")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
SHOWN_DIGITS = 4
ANY_BANK_LENGTHS = (10, 12)  # what the database accepts (BankAccount's check constraint)


def clean_account_number(raw) -> str:
    """The number as the bank stores it: digits only, separators dropped."""
    return SEPARATORS.sub("", str(raw or "").translate(THAI_DIGITS))


def masked(number: str) -> str:
    """Only the last 4 digits: ``xxxxxx7890``. Empty stays empty."""
    number = number or ""
    if not number:
        return ""
    return "x" * max(len(number) - SHOWN_DIGITS, 0) + number[-SHOWN_DIGITS:]


def spaced(number: str) -> str:
    """A 10-digit number the way Thai banks print it, ``123-4-56789-0``; other lengths as
    they are (a masked number is left alone too)."""
    if len(number) == 10 and number.isdigit():
        return f"{number[:3]}-{number[3]}-{number[4:9]}-{number[9]}"
    return number


def _lengths_text(lengths) -> str:
    names = [str(n) for n in sorted(lengths)]
    if len(names) == 1:
        return names[0]
    return _("%(some)s or %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def account_number_problems(number: str, bank) -> list[str]:
    """Why ``number`` (already cleaned) is not an account at ``bank``; empty when it is."""
    if not number:
        return [_("Give the account number.")]
    if not DIGITS.fullmatch(number):
        return [_("An account number has digits only (dashes and spaces may separate them).")]
    if bank is None:  # the bank is refused on its own field; the number still has a length
        if len(number) not in ANY_BANK_LENGTHS:
            return [
                _("An account number has %(lengths)s digits; this one has %(n)s.")
                % {"lengths": _lengths_text(ANY_BANK_LENGTHS), "n": len(number)}
            ]
        return []
    lengths = list(bank.account_lengths or ANY_BANK_LENGTHS)
    if len(number) not in lengths:
        return [
            _("An account number at %(bank)s has %(lengths)s digits; this one has %(n)s.")
            % {"bank": bank.name, "lengths": _lengths_text(lengths), "n": len(number)}
        ]
    return []


def validate_bank_account(*, bank, bank_code: str, branch: str, account_name: str, number: str):
    """Every problem with the account at once, on the fields that have them; ``bank`` is
    the reference row for ``bank_code`` (None when there is none)."""
    errors = {}
    if not bank_code:
        errors["bank"] = [_("Choose the bank.")]
    elif bank is None:
        errors["bank"] = [_("Choose one of the banks in the list.")]
    for name, value, missing in (
        ("branch", branch, _("Give the branch.")),
        ("account_name", account_name, _("Give the account name, as the bank shows it.")),
    ):
        if not value:
            errors[name] = [missing]
        elif len(value) > TEXT_LIMIT:
            errors[name] = [too_long(value, TEXT_LIMIT)]
    problems = account_number_problems(number, bank)
    if problems:
        errors["account_number"] = problems
    if errors:
        raise ValidationError(errors)
