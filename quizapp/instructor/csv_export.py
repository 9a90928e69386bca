"""CSV exports that stream row by row and cannot smuggle formulas into a spreadsheet.

Learners choose their own display names, and a name like ``=HYPERLINK(...)`` would run as
a formula when a teacher opens the export in Excel or LibreOffice (CSV injection). Every
cell goes through ``safe_cell``, which defuses such text with a leading apostrophe, the
way the spreadsheets themselves mark "text, not a formula".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime

UTF8_BOM = "\ufeff"

# Characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# "-3" or "-0.5" starts with "-" but is just a number; leave it readable as one.
_PLAIN_NEGATIVE_NUMBER = re.compile(r"-(?:\d+(?:\.\d+)?|\.\d+)")


def safe_cell(value: object) -> str | int | float:
    """One CSV cell: numbers untouched, formula-like text defused, everything else as text.

    None becomes an empty cell. A datetime must be timezone-aware and is written in UTC as
    ISO 8601 with a "Z" suffix, to the second (``2024-03-01T09:30:00Z``); a date as
    ``2024-03-01``. Text starting with ``= + - @``, a tab or a carriage return gets a
    leading apostrophe, unless it is a plain negative number such as ``-3`` or ``-0.5``.
    """
    if value is None:
        return ""
    if isinstance(value, int | float):  # bool included: csv writes True/False
        return value
    if isinstance(value, datetime):
        return _utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime in a CSV export; store and pass UTC-aware datetimes")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def stream_csv(header: Sequence[object], rows: Iterable[Sequence[object]], bom: bool = False) -> Iterator[str]:
    """Yield a CSV file line by line: the header first, then one chunk per row.

    Rows are pulled from ``rows`` only as chunks are asked for, so an export of any size
    holds one row in memory; hand the generator to a streaming response. ``bom`` puts a
    UTF-8 byte order mark first, which Excel needs to read non-ASCII names correctly.
    Lines end with CRLF, as RFC 4180 says.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Sequence[object]) -> str:
        writer.writerow([safe_cell(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    yield (UTF8_BOM if bom else "") + line(header)
    for row in rows:
        yield line(row)
