"""Everyone's top matches as a CSV file (/exportmatches, ``export-matches``), written to a
temporary file as the rows are worked out, in a worker thread.

At 10,000 companies the file is about 28 MB: kept as one bytes object it sat in the bot's
memory on top of everything the export fills (issue 15, peak RSS). The file is deleted when
the caller's ``async with`` block ends, whatever happens in it; the handler sends it from
disk and the command line copies it.

The quotable parts of each profile (what a reason quotes) are cached on the matcher's
per-profile features; the export fills them for nearly every company, so the ones it filled
are emptied again when it ends (``/matches`` fills the few it needs as before).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from bot.domain.matching import Matcher, MatchIndex, Profile, Rules
from bot.domain.reason_texts import render_all
from bot.domain.spreadsheet import write_safe_csv
from bot.forum import Forum

EXPORT_COLUMNS = ("company", "country", "match", "match_country", "rank", "score", "reasons")
EXPORT_PREFIX = "forumbridge-matches-"  # the temporary files' names start so


@dataclass(frozen=True)
class MatchesExport:
    """Everyone's top matches as a CSV file (UTF-8) at ``path``, there until the block that
    got it ends: one row per (company, suggested match), companies in name order, ranks from
    1, countries by their names in the forum file, reasons in English, every cell defused
    for spreadsheets."""

    path: Path
    rows: int
    companies: int


Counts = tuple[int, int]  # (rows, companies with a row)


@asynccontextmanager
async def exported(work: Callable[[BinaryIO], Counts]) -> AsyncIterator[MatchesExport]:
    """``work`` writes the CSV into a temporary file in a worker thread; the file is
    yielded, then deleted."""
    fd, name = tempfile.mkstemp(prefix=EXPORT_PREFIX, suffix=".csv")
    path = Path(name)
    try:
        # Written 1 MB at a time: a write every 8 KB (the default) gave the GIL up at each
        # write, and the event loop's reads then lost it to this thread for whole seconds
        # (a digest that ran meanwhile waited for the end of the export; bench/matching_live.py).
        with os.fdopen(fd, "wb", buffering=1 << 20) as out:
            rows, companies = await asyncio.to_thread(work, out)
        yield MatchesExport(path, rows, companies)
    finally:
        # At once, even when cancelled: one unlink does not hold the event loop up.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def export_csv(
    out: BinaryIO,
    profiles: list[Profile],
    forum: Forum,
    *,
    top: int,
    excluded: set[tuple[int, int]] | None = None,
) -> Counts:
    """Everyone's ``top`` matches from a build of their own, written to ``out``."""
    index = MatchIndex(profiles, Rules.of(forum), k=top, excluded=excluded or set())
    tops = {c: index.top_ids(c) for c in index.tops}
    return export_from(out, profiles, tops, index.matcher, forum)


def export_from(
    out: BinaryIO,
    profiles: list[Profile],
    tops: dict[int, list[int]],
    matcher: Matcher,
    forum: Forum,
) -> Counts:
    """:func:`export_csv` of lists already worked out (company id -> match ids). Rows are
    written as their reasons are worked out: 100,000 of them never sit in memory at once."""
    by_id = {p.id: p for p in profiles}
    counts = {"rows": 0, "companies": 0}
    touched = {i for company, ids in tops.items() for i in (company, *ids) if i in by_id}
    # The features whose quotes this export fills, not /matches before it.
    filled = [f for f in (matcher.prepare(by_id[i]) for i in touched) if not f.quotes]

    def rows() -> Iterator[tuple[str, ...]]:
        for company in sorted(by_id.values(), key=lambda p: (p.name.casefold(), p.id)):
            listed = (matcher.match(company, by_id[i]) for i in tops.get(company.id, []))
            rank = 0
            for rank, found in enumerate((m for m in listed if m is not None), start=1):
                yield (
                    company.name,
                    forum.country_name(company.country),
                    found.other.name,
                    forum.country_name(found.other.country),
                    str(rank),
                    f"{found.score:.3f}",
                    "; ".join(render_all(found.reasons, forum)),
                )
            counts["rows"] += rank
            counts["companies"] += rank > 0
            # Give the GIL up between companies: the database thread (Python's sqlite3 gives
            # it up at every row it reads) would otherwise wait a switch interval (5 ms) per
            # row, and a read of every company would hold the connection until the end.
            time.sleep(0)

    try:
        write_safe_csv(out, EXPORT_COLUMNS, rows())
    finally:
        for features in filled:
            features.quotes.clear()
    return counts["rows"], counts["companies"]


__all__ = [
    "EXPORT_COLUMNS",
    "EXPORT_PREFIX",
    "MatchesExport",
    "export_csv",
    "export_from",
    "exported",
]
