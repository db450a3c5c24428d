"""A list exported as it is shown: the rows the user may see with the filters they chose,
as CSV (streamed, UTF-8 with a byte-order mark so spreadsheets read the Thai) or Excel
(openpyxl's write-only workbook, row by row). Headers are in the user's language, dates in
the Buddhist Era (``format_be``), amounts exact (``Decimal``, never a float)."""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str

from portal.dates import format_be

FORMATS = ("csv", "xlsx")
BOM = "\ufeff"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str  # lazily translated
    value: Callable


def wanted_format(request) -> str:
    """``csv`` or ``xlsx`` when the list is asked as a file (``?export=csv``), else ''."""
    value = request.GET.get("export", "")
    return value if value in FORMATS else ""


def _cell(value, *, for_excel: bool):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return format_be(value)
    if isinstance(value, Decimal):
        return value if for_excel else f"{value:.2f}"
    if isinstance(value, bool | int):
        return value
    return _inert(force_str(value))


# A cell a spreadsheet would read as a formula (text typed by the public can start with =):
# shown as text, with the apostrophe spreadsheets themselves use (OWASP "CSV injection").
FORMULA_START = ("=", "+", "@", "\t", "\r", "-")


def _inert(text: str) -> str:
    if text.startswith(FORMULA_START) and text != "-" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text


class _Echo:
    def write(self, value):
        return value


def export_list(rows: Iterable, columns: list[Column], *, name: str, kind: str):
    """The response for ``rows`` (an iterable, e.g. ``queryset.iterator()``) in ``kind``."""
    stamp = timezone.localdate().isoformat()  # file names stay ASCII: no B.E. needed
    headers = [force_str(c.header) for c in columns]
    if kind == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield BOM + writer.writerow(headers)
            for row in rows:
                yield writer.writerow([_cell(c.value(row), for_excel=False) for c in columns])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        return response
    from openpyxl import Workbook  # only when a workbook is asked for

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=name[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(c.value(row), for_excel=True) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response
