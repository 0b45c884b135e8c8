"""The forum-keys migration on a database written by the previous version: countries become
codes, sectors and intents keys, and nothing else changes — every row, column, index and
foreign key of the rebuilt tables and of the tables that refer to them survives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.catalogue import INTENTS, SECTORS, CatalogueRepository
from storage.companies import CompanyRepository
from storage.db import Database, migration_files

STAMP = "2025-11-20T08:00:00+00:00"


def _number_of(name: str) -> int:
    return next(n for n, file, _ in migration_files() if file.endswith(f"_{name}.sql"))


KEYS = _number_of("forum_keys")


async def _old_database(path: Path) -> Database:
    """A database at the version before the migration, with rows of every kind it touches,
    written the way that version wrote them (names, not codes or keys)."""
    db = await Database.open(path, migrate=False)
    await db.migrate(up_to=KEYS - 1)
    assert await db.schema_version() == KEYS - 1
    for uid in (1, 2, 3):
        await db.execute(
            "INSERT INTO users (telegram_id, first_name, first_seen, last_seen) "
            "VALUES (?, 'U', ?, ?)",
            (uid, STAMP, STAMP),
        )
    companies = [
        (10, "SoftRo", "Romania", "ana@softro.example", 1),
        (20, "LahoreQA", "Pakistan", "imran@lahoreqa.example", 2),
        (30, "Imported Co", "Pakistan", "x@imported.example", None),
    ]
    for cid, name, country, email, entered_by in companies:
        await db.execute(
            "INSERT INTO companies (id, name, country, city, offers, seeks, size, contact_email,"
            " consent, source, created_at, updated_at, contact_entered_by) "
            "VALUES (?, ?, ?, 'City', 'Offers text', 'Seeks text', '11–50', ?, 1, ?, ?, ?, ?)",
            (
                cid,
                name,
                country,
                email,
                "import" if entered_by is None else "telegram",
                STAMP,
                STAMP,
                entered_by,
            ),
        )
    await db.executemany(
        "INSERT INTO company_sectors (company_id, sector) VALUES (?, ?)",
        # Stored names in another case than the catalogue's still convert.
        [(10, "Fintech"), (10, "rpa & automation"), (20, "Cybersecurity"), (30, "Fintech")],
    )
    await db.executemany(
        "INSERT INTO company_partnerships (company_id, intent) VALUES (?, ?)",
        [
            (10, "Outsource work to a partner"),
            (20, "Deliver services as a subcontractor"),
            (30, "Joint venture"),
        ],
    )
    await db.executemany(
        "INSERT INTO company_reps (company_id, user_id, joined_at) VALUES (?, ?, ?)",
        [(10, 1, STAMP), (20, 2, STAMP), (20, 3, STAMP)],
    )
    await db.execute(
        "INSERT INTO company_links (token, company_id, kind, created_at) "
        "VALUES ('tok', 30, 'claim', ?)",
        (STAMP,),
    )
    await db.execute(
        "INSERT INTO introductions (id, requester_company_id, target_company_id, requested_by,"
        " state, created_at, expires_at) VALUES (5, 10, 20, 1, 'accepted', ?, ?)",
        (STAMP, STAMP),
    )
    await db.execute(
        "INSERT INTO match_dismissals (company_id, other_id, created_at) VALUES (20, 10, ?)",
        (STAMP,),
    )
    await db.execute(
        "INSERT INTO match_digests (company_id, sent_at) VALUES (10, ?)",
        (STAMP,),
    )
    for bid, audience in (
        (1, {"kind": "country", "value": "Romania"}),
        (2, {"kind": "sector", "value": "cybersecurity"}),
        (3, {"kind": "session", "value": 7}),
    ):
        await db.execute(
            "INSERT INTO broadcasts (id, created_by, audience, method, payload, state, "
            "scheduled_for, created_at) VALUES (?, 1, ?, 'copyMessage', '{}', 'scheduled', ?, ?)",
            (bid, json.dumps(audience), STAMP, STAMP),
        )
    return db


async def _all(db: Database, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in await db.fetchall(sql)]


async def test_an_old_database_is_converted_and_keeps_every_row(tmp_path: Path) -> None:
    db = await _old_database(tmp_path / "old.db")
    try:
        counts_before = {
            table: (await db.fetchone(f"SELECT count(*) FROM {table}"))[0]  # type: ignore[index]
            for table in (
                "companies",
                "company_sectors",
                "company_partnerships",
                "company_reps",
                "company_links",
                "introductions",
                "match_dismissals",
                "match_digests",
                "users",
            )
        }
        assert "forum_keys" in " ".join(await db.migrate())
        assert await db.schema_version() == len(migration_files())

        # The rebuild cascaded into nothing: every table keeps all its rows.
        for table, count in counts_before.items():
            row = await db.fetchone(f"SELECT count(*) FROM {table}")
            assert row is not None and row[0] == count, table
        assert await _all(db, "SELECT id, country FROM companies ORDER BY id") == [
            (10, "RO"),
            (20, "PK"),
            (30, "PK"),
        ]
        # Every column is kept, contact_entered_by (0007) included.
        assert await _all(
            db, "SELECT id, contact_entered_by, source, contact_email FROM companies ORDER BY id"
        ) == [
            (10, 1, "telegram", "ana@softro.example"),
            (20, 2, "telegram", "imran@lahoreqa.example"),
            (30, None, "import", "x@imported.example"),
        ]
        assert await _all(
            db, "SELECT company_id, sector FROM company_sectors ORDER BY company_id, sector"
        ) == [(10, "fintech"), (10, "rpa"), (20, "cyber"), (30, "fintech")]
        assert await _all(
            db, "SELECT company_id, intent FROM company_partnerships ORDER BY company_id"
        ) == [(10, "outsource"), (20, "subcontract"), (30, "joint_venture")]
        # The catalogue keeps what profiles use, with the labels they had.
        assert await _all(db, "SELECT key, label, active FROM sectors ORDER BY position") == [
            ("cyber", "Cybersecurity", 1),
            ("fintech", "Fintech", 1),
            ("rpa", "RPA & automation", 1),
        ]
        # Broadcasts still to go out name their audience by code and key.
        audiences = [
            json.loads(str(r[0]))
            for r in await db.fetchall("SELECT audience FROM broadcasts ORDER BY id")
        ]
        assert audiences == [
            {"kind": "country", "value": "RO"},
            {"kind": "sector", "value": "cyber"},
            {"kind": "session", "value": 7},
        ]

        # Indexes and foreign keys are back, and enforced.
        indexes = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert {"companies_name_country", "company_sectors_sector"} <= indexes
        assert await db.fetchall("PRAGMA foreign_key_check") == []
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
        with pytest.raises(Exception, match="UNIQUE"):
            await db.execute(
                "INSERT INTO companies (name, country, created_at, updated_at) "
                "VALUES ('SOFTRO', 'RO', ?, ?)",
                (STAMP, STAMP),
            )
        with pytest.raises(Exception, match="FOREIGN KEY"):
            await db.execute("INSERT INTO company_sectors (company_id, sector) VALUES (99, 'ai')")
        # Deleting a company still cascades to what refers to it.
        await db.execute("DELETE FROM companies WHERE id = 10")
        for table, column in (
            ("company_sectors", "company_id"),
            ("company_reps", "company_id"),
            ("introductions", "requester_company_id"),
            ("match_dismissals", "other_id"),
            ("match_digests", "company_id"),
        ):
            row = await db.fetchone(f"SELECT count(*) FROM {table} WHERE {column} = 10")
            assert row is not None and row[0] == 0, table
        # The country is no longer limited to two names: any forum's code fits, a name not.
        await db.execute(
            "INSERT INTO companies (name, country, created_at, updated_at) "
            "VALUES ('Berlin Soft', 'DE', ?, ?)",
            (STAMP, STAMP),
        )
        with pytest.raises(Exception, match="CHECK"):
            await db.execute(
                "INSERT INTO companies (name, country, created_at, updated_at) "
                "VALUES ('Old style', 'Romania', ?, ?)",
                (STAMP, STAMP),
            )
        # The repository reads the converted rows as codes and keys.
        lahore = await CompanyRepository(db).get(20)
        assert lahore is not None and lahore.country == "PK"
        assert lahore.sectors == ("cyber",) and lahore.partnerships == ("subcontract",)
    finally:
        await db.close()


async def test_a_new_database_starts_with_an_empty_catalogue(tmp_path: Path) -> None:
    """What a fresh database offers comes from the forum file alone (the start-up sync)."""
    db = await Database.open(tmp_path / "new.db")
    try:
        repo = CatalogueRepository(db)
        assert await repo.entries(SECTORS) == [] and await repo.entries(INTENTS) == []
    finally:
        await db.close()


async def test_the_sync_keeps_what_profiles_use_and_drops_the_rest(tmp_path: Path) -> None:
    db = await _old_database(tmp_path / "sync.db")
    try:
        await db.migrate()
        repo = CatalogueRepository(db)
        # A forum file that renames fintech, drops rpa and cyber, and adds iot.
        await repo.sync(
            [("iot", "IoT & embedded"), ("fintech", "Financial technology")],
            [("outsource", "Outsource"), ("subcontract", "Subcontract")],
        )
        entries = [(e.key, e.label, e.position, e.active) for e in await repo.entries(SECTORS)]
        assert entries == [
            ("iot", "IoT & embedded", 1, True),
            ("fintech", "Financial technology", 2, True),
            # Profiles have them: kept (after the offered ones), not offered.
            ("cyber", "Cybersecurity", 3, False),
            ("rpa", "RPA & automation", 4, False),
        ]
        assert await repo.retired(INTENTS) == [("joint_venture", "Joint venture")]
        # Once no profile has a retired entry, the next sync drops it.
        await db.execute("DELETE FROM company_sectors WHERE sector = 'rpa'")
        await repo.sync([("iot", "IoT & embedded")], [("outsource", "Outsource")])
        assert [e.key for e in await repo.entries(SECTORS)] == ["iot", "fintech", "cyber"]
        # And a profile's retired sector is still read back.
        imported = await CompanyRepository(db).get(30)
        assert imported is not None and imported.sectors == ("fintech",)
    finally:
        await db.close()
