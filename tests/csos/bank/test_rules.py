"""The account number rules, bank by bank, and how a number is shown where it must not be
read in full."""

import pytest
from django.core.exceptions import ValidationError

from csos.bank import rules
from portal.models import Bank
from portal.reference import BANKS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def bank(code):
    return Bank.objects.get(code=code)


def test_the_reference_list_has_the_thai_banks_with_their_codes():
    banks = {b.code: b for b in Bank.objects.all()}

    assert len(banks) == len(BANKS) == 16
    assert banks["002"].name_th == "ธนาคารกรุงเทพ" and banks["002"].name_en == "Bangkok Bank"
    assert banks["004"].name_en == "Kasikornbank"
    assert banks["006"].name_th == "ธนาคารกรุงไทย"
    assert banks["014"].name_th == "ธนาคารไทยพาณิชย์"
    assert banks["030"].name_th == "ธนาคารออมสิน"
    assert banks["034"].name_en == "Bank for Agriculture and Agricultural Cooperatives"
    assert {"011", "022", "024", "025", "033", "066", "067", "069", "071", "073"} <= set(banks)
    assert all(len(code) == 3 and code.isdigit() for code in banks)


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("123-4-56789-0", "1234567890"),
        (" 123 4 56789 0 ", "1234567890"),
        ("๑๒๓-๔-๕๖๗๘๙-๐", "1234567890"),
        ("0200-1234-5678", "020012345678"),
        ("", ""),
        (None, ""),
    ],
)
def test_dashes_and_spaces_are_dropped_and_thai_digits_read(raw, digits):
    assert rules.clean_account_number(raw) == digits


@pytest.mark.parametrize(
    ("code", "number", "ok"),
    [
        ("002", "1234567890", True),
        ("004", "1234567890", True),
        ("002", "123456789012", False),  # 12 digits: not at Bangkok Bank
        ("002", "123456789", False),
        ("030", "123456789012", True),  # the Government Savings Bank: 12 allowed
        ("030", "1234567890", True),
        ("033", "123456789012", True),  # GH Bank
        ("034", "123456789012", True),  # BAAC
        ("034", "12345678901", False),
        ("073", "12345678901234", False),
    ],
)
def test_each_bank_has_its_own_account_number_lengths(code, number, ok):
    assert (rules.account_number_problems(number, bank(code)) == []) is ok


def test_a_wrong_length_says_what_the_bank_uses():
    (problem,) = rules.account_number_problems("123456789", bank("002"))
    assert problem == "An account number at Bangkok Bank has 10 digits; this one has 9."

    (problem,) = rules.account_number_problems("123", bank("030"))
    assert "10 or 12 digits" in problem


def test_letters_are_refused():
    (problem,) = rules.account_number_problems("12345abcde", bank("002"))
    assert "digits only" in problem


def test_every_problem_is_told_at_once_on_its_field():
    with pytest.raises(ValidationError) as exc:
        rules.validate_bank_account(
            bank=None, bank_code="999", branch="", account_name="x" * 256, number=""
        )

    errors = exc.value.message_dict
    assert errors["bank"] == ["Choose one of the banks in the list."]
    assert errors["branch"] == ["Give the branch."]
    assert "255" in errors["account_name"][0]
    assert errors["account_number"] == ["Give the account number."]


@pytest.mark.parametrize(
    ("number", "shown"),
    [("1234567890", "xxxxxx7890"), ("020012345678", "xxxxxxxx5678"), ("", ""), ("12", "12")],
)
def test_a_masked_number_shows_only_its_last_4_digits(number, shown):
    assert rules.masked(number) == shown


def test_a_10_digit_number_is_spaced_as_banks_print_it():
    assert rules.spaced("1234567890") == "123-4-56789-0"
    assert rules.spaced("020012345678") == "020012345678"
