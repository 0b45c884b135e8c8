"""The broadcasts repository: audiences, the life cycle transitions; and the audit log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.audit import AuditLog
from storage.broadcasts import (
    COMPANIES,
    COUNTRY,
    EVERYONE,
    NO_COMPANY,
    SECTOR,
    SESSION,
    Audience,
    BroadcastRepository,
)
from storage.db import Database
from tests.support.storage import open_synced

T0 = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
STAMP = T0.isoformat()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_synced(tmp_path / "b.db")
    # users 1..6; 6 blocked the bot. 1 rep of RO fintech, 2 rep of PK cyber, 3 rep of PK
    # fintech, 4 and 5 have no company (5 subscribed to session 10), 6 rep of RO (blocked).
    await database.executemany(
        "INSERT INTO users (telegram_id, first_name, is_active, first_seen, last_seen) "
        "VALUES (?, 'U', ?, ?, ?)",
        [(i, 0 if i == 6 else 1, STAMP, STAMP) for i in range(1, 7)],
    )
    await database.executemany(
        "INSERT INTO companies (id, name, country, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        [
            (1, "RoFin", "RO", STAMP, STAMP),
            (2, "PkCyber", "PK", STAMP, STAMP),
            (3, "PkFin", "PK", STAMP, STAMP),
            (4, "RoOther", "RO", STAMP, STAMP),
        ],
    )
    await database.executemany(
        "INSERT INTO company_sectors (company_id, sector) VALUES (?, ?)",
        [(1, "fintech"), (2, "cyber"), (3, "fintech"), (3, "cyber")],
    )
    await database.executemany(
        "INSERT INTO company_reps (company_id, user_id, joined_at) VALUES (?, ?, ?)",
        [(1, 1, STAMP), (2, 2, STAMP), (3, 3, STAMP), (4, 6, STAMP)],
    )
    await database.execute(
        "INSERT INTO agenda_sessions (id, title, starts_at, ends_at, updated_at) "
        "VALUES (10, 'Opening', ?, ?, ?)",
        ("2025-11-20T09:00:00+00:00", "2025-11-20T10:00:00+00:00", STAMP),
    )
    await database.executemany(
        "INSERT INTO agenda_subscriptions (user_id, session_id, created_at) VALUES (?, 10, ?)",
        [(5, STAMP), (2, STAMP), (6, STAMP)],
    )
    yield database
    await database.close()


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (Audience(EVERYONE), [1, 2, 3, 4, 5]),
        (Audience(COUNTRY, "RO"), [1]),
        (Audience(COUNTRY, "PK"), [2, 3]),
        (Audience(SECTOR, "fintech"), [1, 3]),
        (Audience(SECTOR, "cyber"), [2, 3]),  # by the sector's key
        (Audience(COMPANIES), [1, 2, 3]),
        (Audience(NO_COMPANY), [4, 5]),
        (Audience(SESSION, 10), [2, 5]),
        (Audience(SESSION, 99), []),
    ],
)
async def test_audiences(db: Database, audience: Audience, expected: list[int]) -> None:
    repo = BroadcastRepository(db)
    assert await repo.recipients(audience) == expected
    assert await repo.count_recipients(audience) == len(expected)


def test_audience_validation_and_json() -> None:
    with pytest.raises(ValueError):
        Audience("martians")
    with pytest.raises(ValueError):
        Audience(SECTOR)
    assert Audience.from_json(Audience(SESSION, 10).to_json()) == Audience(SESSION, 10)


async def test_transitions_are_conditional(db: Database) -> None:
    repo = BroadcastRepository(db)
    bid = await repo.create(
        created_by=1,
        audience=Audience(EVERYONE),
        audience_label="everyone",
        summary="Hi",
        method="copyMessage",
        payload={"from_chat_id": 1, "message_id": 5},
        now=T0,
        scheduled_for=T0,
    )
    record = await repo.get(bid)
    assert record is not None and record.state == "scheduled"
    assert await repo.transition(bid, "running", from_states=("scheduled",), now=T0, recipients=5)
    assert not await repo.transition(bid, "running", from_states=("scheduled",), now=T0)
    assert not await repo.transition(bid, "cancelled", from_states=("scheduled",), now=T0)
    assert await repo.transition(bid, "done", from_states=("running",), now=T0)
    record = await repo.get(bid)
    assert record is not None
    assert (record.state, record.recipients, record.started_at, record.finished_at) == (
        "done",
        5,
        STAMP,
        STAMP,
    )
    assert [r.id for r in await repo.with_state("done")] == [bid]
    assert await repo.sessions()


async def test_audit_log_newest_first(db: Database) -> None:
    log = AuditLog(db)
    await log.record(1, "promote", "2", now=T0)
    await log.record(1, "broadcast.create", "x" * 5000, now=T0)
    entries = await log.recent()
    assert [e.action for e in entries] == ["broadcast.create", "promote"]
    assert len(entries[0].detail) == 1000
    assert len(await log.recent(1)) == 1
