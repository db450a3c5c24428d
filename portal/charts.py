"""Horizontal bar charts drawn on the server as SVG: each category a row, each series a bar
in it, scaled to the largest value. The template draws them and the same numbers as a
table beside each (for screen readers and printing)."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 130
BAR_HEIGHT = 18
GAP = 12


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: Decimal
    series: int  # which series: its colour class
    text: str  # the value as shown
    text_x: Decimal


@dataclass(frozen=True)
class Row:
    label: str
    y: int  # the label's baseline
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    desc: str
    category: str  # what the rows are: the table's first header
    series: list[str]
    rows: list[Row]
    table: list[tuple[str, list[str]]]  # (category, shown values per series)
    width: int
    height: int


def shown(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def bar_chart(key, title, desc, category, categories, series, *, scale_max=None) -> Chart:
    """``categories``: row labels; ``series``: (label, values in the categories' order).
    Bars are scaled to the largest value, or to ``scale_max`` (a rating's top, 5)."""
    labels = [label for label, _values in series]
    largest = scale_max or max((v for _l, values in series for v in values), default=0) or 1
    span = Decimal(WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    rows, table, y = [], [], GAP
    for i, category in enumerate(categories):
        bars = []
        for s, (_label, values) in enumerate(series):
            value = values[i]
            width = (Decimal(value) / Decimal(largest) * span).quantize(Decimal("0.1"))
            top = y + s * BAR_HEIGHT
            bars.append(Bar(LABEL_WIDTH, top, width, s, shown(value), LABEL_WIDTH + width + 6))
        block = BAR_HEIGHT * len(series)
        rows.append(Row(str(category), y + block // 2 + 5, bars))
        table.append((str(category), [shown(values[i]) for _l, values in series]))
        y += block + GAP
    return Chart(
        key, str(title), str(desc), str(category), labels, rows, table, WIDTH, max(y, 2 * GAP)
    )
