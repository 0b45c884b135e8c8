"""Connection set-up and migrations on an empty and on an existing database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.db import FOREIGN_KEYS_OFF, Database, migration_files
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


async def test_a_migration_with_foreign_keys_off_is_checked_before_it_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table rebuild runs with foreign keys off (so dropping a table cascades nowhere); a
    reference it leaves broken rolls the whole migration back."""
    db = await Database.open(tmp_path / "fk.db")
    try:
        stamp = datetime(2025, 11, 20, tzinfo=UTC)
        await UserRepository(db).seen(
            7, first_name="Ion", last_name=None, username=None, language_code=None, now=stamp
        )
        await db.execute(
            "INSERT INTO companies (id, name, country, created_at, updated_at) "
            "VALUES (1, 'Co', 'RO', 'x', 'x')"
        )
        await db.execute(
            "INSERT INTO company_reps (company_id, user_id, joined_at) VALUES (1, 7, 'x')"
        )
        shipped = migration_files()
        number = len(shipped) + 1
        # With foreign keys on, this DELETE would cascade to company_reps; off, it leaves
        # company_reps pointing at nobody.
        broken = f"{FOREIGN_KEYS_OFF}\nDELETE FROM users;\n"
        monkeypatch.setattr(
            "storage.db.migration_files",
            lambda: [*shipped, (number, f"{number:04d}_broken.sql", broken)],
        )
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            await db.migrate()
        assert await db.schema_version() == len(shipped)
        assert (await db.fetchone("SELECT count(*) FROM users"))[0] == 1  # type: ignore[index]
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
        assert not db.conn.in_transaction
    finally:
        await db.close()
