"""Money arithmetic for agreements, in one place: exact decimals, rounded half-up once."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def split(amount: Decimal, shares) -> list[Decimal]:
    """Split ``amount`` by percentage ``shares`` (which sum to 100): every tranche but the
    last is amount × share / 100 rounded half-up to the satang; the last is what remains,
    so the tranches always sum to ``amount`` exactly."""
    amount = Decimal(amount)
    shares = [Decimal(s) for s in shares]
    if not shares:
        raise ValueError("at least one share")
    if sum(shares) != HUNDRED:
        raise ValueError(f"shares sum to {sum(shares)}, not 100")
    if any(s <= 0 for s in shares):
        raise ValueError("every share is above zero")
    parts = [(amount * s / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP) for s in shares[:-1]]
    parts.append(amount - sum(parts, Decimal("0.00")))
    return parts


def refund_due(disbursed: Decimal, spent: Decimal) -> Decimal:
    """What the CSO pays back: the part of the money paid to it that it did not spend."""
    return max(Decimal(disbursed) - Decimal(spent), Decimal("0.00")).quantize(CENT)


def uncovered(disbursed: Decimal, spent: Decimal) -> Decimal:
    """What the CSO spent beyond the money paid to it: the part of the cost it bore (or, in
    a progress report, advanced) itself."""
    return max(Decimal(spent) - Decimal(disbursed), Decimal("0.00")).quantize(CENT)


def spread(amount: Decimal, weights) -> list[Decimal]:
    """Split ``amount`` in proportion to ``weights`` (amounts, all above zero), rounded
    half-up to the satang, the last taking what remains: the parts sum to ``amount``."""
    amount = Decimal(amount)
    weights = [Decimal(w) for w in weights]
    total = sum(weights, Decimal("0"))
    if not weights or total <= 0:
        raise ValueError("weights above zero")
    parts = [(amount * w / total).quantize(CENT, rounding=ROUND_HALF_UP) for w in weights[:-1]]
    parts.append(amount - sum(parts, Decimal("0.00")))
    return parts


def shares_of(amounts, total: Decimal) -> list[Decimal]:
    """Each amount's share of ``total`` in percent, to 2 places, the last taking what
    remains so the shares sum to 100 exactly."""
    amounts = [Decimal(a) for a in amounts]
    shares = [
        (a * HUNDRED / Decimal(total)).quantize(CENT, rounding=ROUND_HALF_UP) for a in amounts[:-1]
    ]
    shares.append(HUNDRED - sum(shares, Decimal("0.00")))
    return shares
