"""CSV cells a spreadsheet will not run as formulas (OWASP's CSV-injection advice), and back;
and the CSV text of an export. Used by every export and import of the bot."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from bot.domain.unicode_text import without_bidi_controls

# OWASP's list of characters a spreadsheet reads as the start of a formula ("CSV injection"):
# a cell such as ``-2+3+cmd|' /C calc'!A0`` runs in Excel as surely as one starting with ``=``.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP's CSV injection advice).

    Text that starts like a formula gets a leading apostrophe; ``from_spreadsheet`` takes it
    off again, so an exported file imports back unchanged. Text that already starts with an
    apostrophe gets one more, or the import would take the person's own apostrophe off.
    Numbers are not text and go out as they are.
    """
    if isinstance(value, str):
        # Bidi controls out first: a name reads in the file as in the chat, and a control
        # cannot hide a formula's first character from the check below.
        value = without_bidi_controls(value)
        if value.startswith((*FORMULA_STARTS, _QUOTE)):
            return _QUOTE + value
    return value


def safe_csv(header: Sequence[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV text: the ``header``, then each row with every cell :func:`spreadsheet_safe`."""
    out = io.StringIO()
    _write(out, header, rows)
    return out.getvalue()


def safe_csv_bytes(header: Sequence[str], rows: Iterable[Iterable[object]]) -> bytes:
    """:func:`safe_csv` as UTF-8, encoded as the rows come: a long export never sits in
    memory as one str (4 bytes a character once a single "—" is in it)."""
    out = io.BytesIO()
    write_safe_csv(out, header, rows)
    return out.getvalue()


def write_safe_csv(out: BinaryIO, header: Sequence[str], rows: Iterable[Iterable[object]]) -> None:
    """:func:`safe_csv` written to ``out`` (a binary file) in UTF-8 as the rows come."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        _write(text, header, rows)
        text.flush()
    finally:
        text.detach()  # ``out`` stays open: its owner closes it


def _write(stream: io.TextIOBase, header: Sequence[str], rows: Iterable[Iterable[object]]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(spreadsheet_safe(cell) for cell in row)


def from_spreadsheet(value: str) -> str:
    """A cell as the person meant it: the apostrophe ``spreadsheet_safe`` added comes off."""
    if value.startswith(_QUOTE) and value[1:].startswith((*FORMULA_STARTS, _QUOTE)):
        return value[1:]
    return value
