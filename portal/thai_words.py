"""Money amounts in Thai words, as written on Thai government documents (BAHTTEXT).

``baht_text(Decimal("1.50"))`` gives ``"หนึ่งบาทห้าสิบสตางค์"``; ``baht_figures`` gives the
matching figures (``"1.50"``). Amounts are first rounded half-up to the satang.

Convention (the same as Excel's BAHTTEXT): a 1 in the units place is read "เอ็ด" whenever
anything stands before it, either in its own million-group (11, 21, 101) or in a higher one
(1,000,001 = หนึ่งล้านเอ็ด); a 1 on its own is "หนึ่ง". Baht and satang are read separately,
so 0.01 is หนึ่งสตางค์ and 100,000.01 is หนึ่งแสนบาทหนึ่งสตางค์.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")
MILLION = 1_000_000
SATANG = Decimal("0.01")


def _to_satang(amount: Decimal | int | str) -> Decimal:
    """The amount rounded half-up to 0.01; ValueError unless finite and non-negative."""
    try:
        value = Decimal(str(amount))
        if value.is_finite() and value >= 0:
            return value.quantize(SATANG, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # not a number, or too many digits to quantise
        raise ValueError(f"not a usable amount: {amount!r}") from exc
    raise ValueError(f"amount must be finite and non-negative: {amount!r}")


def _group(number: int, after_higher: bool) -> str:
    """Words for 0 < number < 10**6; ``after_higher``: a higher million-group precedes it."""
    words = []
    for place in range(5, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            continue
        if place == 1:
            words.append({1: "", 2: "ยี่"}.get(digit, DIGITS[digit]) + "สิบ")
        elif place == 0 and digit == 1 and (number > 1 or after_higher):
            words.append("เอ็ด")
        else:
            words.append(DIGITS[digit] + PLACES[place])
    return "".join(words)


def _words(number: int, after_higher: bool = False) -> str:
    """Words for number > 0; every six digits above the lowest add another ล้าน."""
    high, low = divmod(number, MILLION)
    text = _words(high, after_higher) + "ล้าน" if high else ""
    return text + (_group(low, after_higher or high > 0) if low else "")


def baht_text(amount: Decimal | int | str) -> str:
    """Thai words for an amount of baht, e.g. 80000 -> "แปดหมื่นบาทถ้วน"."""
    value = _to_satang(amount)
    baht, satang = divmod(int(value * 100), 100)
    if satang == 0:
        return (_words(baht) if baht else DIGITS[0]) + "บาทถ้วน"
    return (_words(baht) + "บาท" if baht else "") + _words(satang) + "สตางค์"


def baht_figures(amount: Decimal | int | str) -> str:
    """The amount in figures with thousands separators, e.g. 80000 -> "80,000.00"."""
    return f"{_to_satang(amount):,.2f}"
