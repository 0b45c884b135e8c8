"""The CSV writers of :mod:`bot.domain.spreadsheet`: to a file and to bytes, as the text
encoded."""

from __future__ import annotations

import io

from bot.domain.spreadsheet import safe_csv, safe_csv_bytes, write_safe_csv

ROWS = [
    ("=1+2", "Café — “quoted”", "a,b", 'say "hi"'),
    ("line\nbreak", "-minus", "'apostrophe", 3),
    ("اردو", "", "@at", 1.5),
]


def test_a_file_gets_the_bytes_of_safe_csv_bytes_and_stays_open() -> None:
    out = io.BytesIO()
    write_safe_csv(out, ("a", "b", "c", "d"), iter(ROWS))
    assert not out.closed
    assert out.getvalue() == safe_csv_bytes(("a", "b", "c", "d"), ROWS)
    assert out.getvalue() == safe_csv(("a", "b", "c", "d"), ROWS).encode("utf-8")
    assert out.getvalue().startswith(b"a,b,c,d\n'=1+2,")
