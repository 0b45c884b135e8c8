"""Connection set-up and migrations on an empty and on an existing database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage.db import Database, migration_files
from storage.users import UserRepository


async def test_connection_pragmas(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.db")
    try:
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] > 0  # type: ignore[index]
    finally:
        await db.close()


async def test_migrations_on_empty_database(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new" / "b.db", migrate=False)
    try:
        assert await db.schema_version() == 0
        applied = await db.migrate()
        assert len(applied) == len(migration_files()) >= 1
        assert await db.schema_version() == len(migration_files())
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert {"users", "ptb_conversations"} <= tables
    finally:
        await db.close()


async def test_migrations_twice_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    db = await Database.open(path)
    schema = await db.fetchall("SELECT sql FROM sqlite_master ORDER BY name")
    assert await db.migrate() == []
    await db.close()
    db = await Database.open(path)
    try:
        assert await db.migrate() == []
        assert await db.fetchall("SELECT sql FROM sqlite_master ORDER BY name") == schema
    finally:
        await db.close()


async def test_existing_data_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    db = await Database.open(path)
    await UserRepository(db).seen(
        7,
        first_name="Ion",
        last_name=None,
        username="ion",
        language_code="ro",
        now=datetime(2025, 11, 20, tzinfo=UTC),
    )
    await db.close()
    db = await Database.open(path)
    try:
        user = await UserRepository(db).get(7)
        assert user is not None and user.first_name == "Ion"
    finally:
        await db.close()


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "e.db")
    try:
        try:
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO users (telegram_id, first_seen, last_seen) VALUES (1, 'x', 'x')"
                )
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        assert await db.fetchone("SELECT 1 FROM users WHERE telegram_id = 1") is None
    finally:
        await db.close()


def _on_disk(path: Path) -> tuple[bytes, bytes]:
    return Path(f"{path}-wal").read_bytes(), path.read_bytes()


async def test_secure_delete_on_every_connection_and_checkpoint_empties_the_wal(
    tmp_path: Path,
) -> None:
    """secure_delete belongs to a connection, not to the file: each open must set it."""
    path = tmp_path / "s.db"
    first = await Database.open(path)
    second = await Database.open(path, migrate=False)
    try:
        for db in (first, second):
            assert (await db.fetchone("PRAGMA secure_delete"))[0] == 1  # type: ignore[index]
        secret = "Quokka-secret-4471"
        await UserRepository(first).seen(
            9,
            first_name=secret,
            last_name=None,
            username=None,
            language_code=None,
            now=datetime(2025, 11, 20, tzinfo=UTC),
        )
        await first.execute("DELETE FROM users WHERE telegram_id = 9")
        assert await first.checkpoint()
        wal, main = _on_disk(path)
        assert wal == b"" and secret.encode() not in main
    finally:
        await second.close()
        await first.close()
