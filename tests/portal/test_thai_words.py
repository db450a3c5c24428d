"""Amounts in Thai words (BAHTTEXT) and figures; pure functions, no database."""

from decimal import Decimal

import pytest

from portal.thai_words import baht_figures, baht_text


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("0"), "ศูนย์บาทถ้วน"),
        (1, "หนึ่งบาทถ้วน"),
        (10, "สิบบาทถ้วน"),
        (11, "สิบเอ็ดบาทถ้วน"),
        (20, "ยี่สิบบาทถ้วน"),
        (21, "ยี่สิบเอ็ดบาทถ้วน"),
        (101, "หนึ่งร้อยเอ็ดบาทถ้วน"),
        (111, "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
        (Decimal("80000"), "แปดหมื่นบาทถ้วน"),
        (Decimal("1.50"), "หนึ่งบาทห้าสิบสตางค์"),
        (Decimal("0.05"), "ห้าสตางค์"),
        (Decimal("0.21"), "ยี่สิบเอ็ดสตางค์"),
        (Decimal("100000.01"), "หนึ่งแสนบาทหนึ่งสตางค์"),
        (1_000_000, "หนึ่งล้านบาทถ้วน"),
        (1_000_001, "หนึ่งล้านเอ็ดบาทถ้วน"),
        (11_000_000, "สิบเอ็ดล้านบาทถ้วน"),
        ("2500000.50", "สองล้านห้าแสนบาทห้าสิบสตางค์"),
        (10**12, "หนึ่งล้านล้านบาทถ้วน"),
        (
            Decimal("999999999999.99"),
            "เก้าแสนเก้าหมื่นเก้าพันเก้าร้อยเก้าสิบเก้าล้านเก้าแสนเก้าหมื่นเก้าพันเก้าร้อยเก้าสิบเก้าบาทเก้าสิบเก้าสตางค์",
        ),
        (Decimal("0.005"), "หนึ่งสตางค์"),
        (Decimal("0.004"), "ศูนย์บาทถ้วน"),
        ("1.995", "สองบาทถ้วน"),
    ],
)
def test_baht_text(amount, expected):
    assert baht_text(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "0.00"),
        (80000, "80,000.00"),
        (Decimal("0.005"), "0.01"),
        ("1234567.891", "1,234,567.89"),
        (Decimal("999999999999.995"), "1,000,000,000,000.00"),
    ],
)
def test_baht_figures(amount, expected):
    assert baht_figures(amount) == expected


@pytest.mark.parametrize("amount", [-1, Decimal("-0.01"), "-0.001", "NaN", "Infinity", "abc"])
def test_rejects_negative_and_non_finite(amount):
    with pytest.raises(ValueError):
        baht_text(amount)
    with pytest.raises(ValueError):
        baht_figures(amount)
