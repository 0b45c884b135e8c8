"""Reading a database row into the record a repository hands out.

Most columns land in the record's field of the same name as they are; only a few need
reading (JSON, a datetime, a 0/1 flag, a joined list), and those are named at the call."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import aiosqlite

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Record = TypeVar("Record", bound="DataclassInstance")


def from_row(cls: type[Record], row: aiosqlite.Row, **read: object) -> Record:
    """``cls`` with each field taken from the column of its name, except those in ``read``,
    which are given already read."""
    as_stored = {f.name: row[f.name] for f in dataclasses.fields(cls) if f.name not in read}
    return cls(**as_stored, **read)


def timed_from_row(cls: type[Record], row: aiosqlite.Row, **read: object) -> Record:
    """:func:`from_row` for a record with a time span: ``starts_at`` and ``ends_at`` are read
    from their ISO text."""
    return from_row(
        cls,
        row,
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]),
        **read,
    )
