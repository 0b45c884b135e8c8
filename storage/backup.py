"""Backups of the SQLite file: an online copy, its check, and a restore.

A backup uses SQLite's online backup API on a connection of its own: the copy is one
consistent snapshot (WAL mode lets the running bot keep writing meanwhile) and is written
to a temporary name first, so a file with the backup's name is always complete. The copy is
made self-contained (rollback journal, no ``-wal`` beside it) and checked with
``PRAGMA integrity_check`` before it is given its name.

These functions block; callers in the event loop run them with ``asyncio.to_thread``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


class BackupError(Exception):
    """The copy could not be made or is not sound; the message is for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    schema_version: int


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    # Opening a missing path would create an empty database; callers check first.
    conn = sqlite3.connect(str(path), timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of the file: ``"ok"`` or SQLite's first complaints."""
    try:
        with _connect(path) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows[:5])


def schema_version(path: Path) -> int:
    with _connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _copy(source: Path, dest: Path, *, self_contained: bool = True) -> None:
    with _connect(source) as src, _connect(dest) as dst:
        src.execute("PRAGMA query_only = ON")
        # pages=-1: the whole file in one step, one consistent read snapshot.
        src.backup(dst, pages=-1)
        if self_contained:
            dst.execute("PRAGMA journal_mode = DELETE")


def backup_database(source: Path, dest: Path) -> BackupResult:
    """Copy the database at ``source`` to ``dest`` (replaced if it exists)."""
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(source, partial)
        verdict = integrity(partial)
        if verdict != "ok":
            raise BackupError(f"the copy of {source} failed its integrity check: {verdict}")
        version = schema_version(partial)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(dest, dest.stat().st_size, version)


def stamp(now: datetime | None = None) -> str:
    """A file-name-safe UTC time, sortable: ``20251120T080000Z``."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def check_restorable(backup: Path, latest: int) -> int:
    """The backup's schema version, if it is a sound database that code knowing schema
    versions up to ``latest`` can run on."""
    if not backup.is_file():
        raise BackupError(f"there is no file at {backup}")
    verdict = integrity(backup)
    if verdict != "ok":
        raise BackupError(f"{backup} is not a sound ForumBridge database: {verdict}")
    version = schema_version(backup)
    if version > latest:
        raise BackupError(
            f"{backup} is at schema version {version}, newer than this version of ForumBridge "
            f"knows ({latest}): restore it with the version that made it"
        )
    return version


def restore_database(backup: Path, target: Path, latest: int) -> Path | None:
    """Replace the database at ``target`` with ``backup``. The database it replaces is
    kept beside it first (its path is returned), so a restore can itself be undone. The
    caller makes sure no bot uses ``target`` meanwhile."""
    check_restorable(backup, latest)
    kept: Path | None = None
    if target.is_file():
        kept = target.with_name(f"{target.stem}.before-restore-{stamp()}{target.suffix}")
        backup_database(target, kept)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Through the backup API, not a file copy: the target's -wal and -shm stay consistent
    # with its new content, whatever they held.
    _copy(backup, target, self_contained=False)  # the bot sets WAL mode again at its start
    verdict = integrity(target)
    if verdict != "ok":
        raise BackupError(f"the restored {target} failed its integrity check: {verdict}")
    return kept
