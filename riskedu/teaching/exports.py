"""CSV files for spreadsheets: UTF-8 with a byte order mark, so Excel and LibreOffice open Arabic, Azerbaijani
and Russian text intact, and cells that a spreadsheet would run as a formula made harmless."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

BYTE_ORDER_MARK = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(…)" as a nickname).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(name) for name in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return (BYTE_ORDER_MARK + buffer.getvalue()).encode("utf-8")
