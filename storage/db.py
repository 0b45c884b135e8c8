"""One long-lived aiosqlite connection per process, and the numbered migrations.

Migrations are forward-only. Before migrating a database that already holds a schema, a
backup is taken beside it (``backups/<name>-v<old>-before-v<new>-<time>.db``), so an upgrade
that goes wrong can be rolled back with ``python -m bot restore``.

The connection is opened once at start-up (WAL, foreign keys, a busy timeout, secure delete)
and shared: aiosqlite runs it on its own thread and serialises calls. Writes go through
:meth:`Database.transaction`, whose lock keeps two coroutines' statements from interleaving
inside one SQLite transaction.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.backup import BackupResult, backup_database, stamp

T = TypeVar("T")

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000
# A migration that rebuilds a table others refer to starts with this line: it runs with
# foreign keys off (dropping the old table would otherwise cascade into its referrers), and
# the foreign keys are checked before it commits (SQLite's "12 steps" for a schema change).
FOREIGN_KEYS_OFF = "-- migrate: foreign_keys=off"


def migration_files() -> list[tuple[int, str, str]]:
    """The shipped migrations as (number, file name, SQL), in order; numbers must be 1..N."""
    found: list[tuple[int, str, str]] = []
    for entry in resources.files("storage.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (number, name, _) in enumerate(found, start=1):
        if number != expected:
            raise RuntimeError(f"migration {name} is out of sequence (expected {expected:04d})")
    return found


class Database:
    """The shared connection. Use ``await Database.open(path)`` and ``await db.close()``."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()
        # The backup taken before the last migration of this database, if one was needed.
        self.last_backup: BackupResult | None = None

    @classmethod
    async def open(cls, path: Path | str, *, migrate: bool = True) -> Database:
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing commits by surprise.
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed, in pages and in freed pages alike, so an
        # erasure leaves nothing behind once the WAL is checkpointed. The setting belongs to
        # the connection (it is not stored in the file), hence here, on every open.
        await conn.execute("PRAGMA secure_delete=ON")
        rows = list(await conn.execute_fetchall("PRAGMA secure_delete"))
        if not rows or int(rows[0][0]) != 1:
            await conn.close()
            raise RuntimeError("this SQLite cannot zero deleted content (secure_delete)")
        db = cls(conn, path)
        if migrate:
            await db.migrate()
        return db

    async def close(self) -> None:
        await self.conn.close()

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    def pending_migrations(self, current: int) -> list[str]:
        return [name for number, name, _ in migration_files() if number > current]

    async def backup_before_migrating(self, current: int, target: int) -> BackupResult | None:
        """The automatic backup of a non-empty database about to be migrated."""
        if current == 0 or str(self.path) == ":memory:":
            return None
        dest = (
            self.path.parent
            / "backups"
            / (f"{self.path.stem}-v{current}-before-v{target}-{stamp()}{self.path.suffix}")
        )
        return await asyncio.to_thread(backup_database, self.path, dest)

    async def migrate(self, up_to: int | None = None) -> list[str]:
        """Apply the migrations newer than ``PRAGMA user_version`` (up to number ``up_to``,
        if given: the tests build a database of an older version); return their names. A
        non-empty database is backed up first."""
        applied: list[str] = []
        async with self._write_lock:
            current = await self.schema_version()
            files = [f for f in migration_files() if up_to is None or f[0] <= up_to]
            if files and files[-1][0] > current:
                self.last_backup = await self.backup_before_migrating(current, files[-1][0])
            for number, name, sql in files:
                if number <= current:
                    continue
                await self._apply(number, name, sql)
                applied.append(name)
        return applied

    async def _apply(self, number: int, name: str, sql: str) -> None:
        # executescript would COMMIT first; the explicit BEGIN..COMMIT keeps each migration
        # and its version bump atomic (executescript also commits whatever is pending before
        # it starts, so the whole migration is one script).
        keys_off = sql.startswith(FOREIGN_KEYS_OFF)
        check = ""
        if keys_off:
            # Only outside a transaction does this pragma take effect. A reference the
            # migration broke fails the CHECK below, and the script stops before COMMIT.
            await self.conn.execute("PRAGMA foreign_keys=OFF")
            check = (
                "CREATE TEMP TABLE migration_fk_check (broken INTEGER CHECK (broken = 0));\n"
                "INSERT INTO migration_fk_check SELECT count(*) FROM pragma_foreign_key_check;\n"
                "DROP TABLE temp.migration_fk_check;\n"
            )
        try:
            await self.conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\n{check}PRAGMA user_version = {number};\nCOMMIT;"
            )
        except Exception:
            if self.conn.in_transaction:
                await self.conn.execute("ROLLBACK")
            raise
        finally:
            if keys_off:
                await self.conn.execute("PRAGMA foreign_keys=ON")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A short write transaction; commits on success, rolls back on error."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def checkpoint(self) -> bool:
        """Copy the WAL into the database file and truncate the WAL to zero bytes, so the old
        versions of changed pages are gone from disk. False if another connection (another
        process) kept part of the WAL in use; the next checkpoint finishes the job."""
        async with self._write_lock:
            rows = list(await self.conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))
        return bool(rows) and int(rows[0][0]) == 0

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """One write statement in its own transaction; returns the row count."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    # Reads run execute and fetch as ONE call on aiosqlite's thread. As two calls, another
    # coroutine's write could land between them while SQLite is still stepping the query,
    # and the rest of the result is then undefined: a broadcast's GROUP BY over the outbox
    # once came back without its 'pending' group and finished the broadcast early.
    async def fetchone(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> aiosqlite.Row | None:
        return await fetch_one(self.conn, sql, params)

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[aiosqlite.Row]:
        return await fetch_all(self.conn, sql, params)


class Repository:
    """What every repository is: queries over the shared connection, ``self.db``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def read_one(
        self, make: Callable[[aiosqlite.Row], T], sql: str, params: Sequence[Any] = ()
    ) -> T | None:
        """The first row of a query as ``make`` reads it (None: no row)."""
        found = await self.db.fetchone(sql, params)
        return None if found is None else make(found)

    async def read_all(
        self, make: Callable[[aiosqlite.Row], T], sql: str, params: Sequence[Any] = ()
    ) -> list[T]:
        """Every row of a query as ``make`` reads it."""
        return [make(found) for found in await self.db.fetchall(sql, params)]


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> aiosqlite.Row | None:
    """The first row of a query, read as one call (also inside a transaction, on its
    connection)."""
    return next(iter(await conn.execute_fetchall(sql, params)), None)


async def fetch_all(
    conn: aiosqlite.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> list[aiosqlite.Row]:
    """Every row of a query, read as one call (also inside a transaction, on its
    connection)."""
    return list(await conn.execute_fetchall(sql, params))
