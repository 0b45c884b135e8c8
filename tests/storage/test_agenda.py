"""The agenda repository on a real SQLite file: import semantics, subscriptions, leads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.agenda import SessionInput, keys_in
from bot.domain.timefmt import zone
from storage.agenda import AgendaRepository
from storage.db import Database
from storage.users import UserRepository

NOW = datetime(2025, 11, 19, 12, 0, tzinfo=UTC)
TZ = zone("Europe/Bucharest")
KEY = keys_in(TZ)  # a re-import matches by title and day in the event zone


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    yield database
    await database.close()


def item(title: str, hour: int, minutes: int = 30) -> SessionInput:
    start = datetime(2025, 11, 20, hour, 0, tzinfo=TZ)
    return SessionInput(title=title, starts_at=start, ends_at=start + timedelta(minutes=minutes))


async def add_user(db: Database, user_id: int, tz: str | None = None) -> None:
    users = UserRepository(db)
    await users.seen(
        user_id, first_name="U", last_name=None, username=None, language_code=None, now=NOW
    )
    if tz:
        await users.set_timezone(user_id, tz)


async def test_reimport_adds_changes_removes(db: Database) -> None:
    repo = AgendaRepository(db)
    first = await repo.apply_import([item("A", 10), item("B", 11), item("C", 12)], now=NOW, key=KEY)
    assert [s.title for s in first.added] == ["A", "B", "C"]
    stored = {s.title: s for s in await repo.all()}
    assert stored["A"].starts_at == datetime(2025, 11, 20, 8, 0, tzinfo=UTC)  # stored in UTC

    # Same file again: nothing changes.
    again = await repo.apply_import([item("A", 10), item("B", 11), item("C", 12)], now=NOW, key=KEY)
    assert (again.added, again.changed, again.removed, again.unchanged) == ([], [], [], 3)

    # A moves within its day (same session), B's title case differs (same), C is dropped.
    moved = await repo.apply_import(
        [item("A", 14), item("b", 11, minutes=45), item("D", 15)], now=NOW, key=KEY
    )
    assert [s.title for s in moved.added] == ["D"]
    assert sorted(s.title for s in moved.changed) == ["A", "b"]
    assert [s.title for s in moved.removed] == ["C"]
    # Notices: A's time, B's end, C's cancellation.
    assert len(moved.notices) == 3
    assert sorted(s.title for s in await repo.upcoming(NOW)) == ["A", "D", "b"]
    assert stored["A"].id == next(s.id for s in await repo.all() if s.title == "A")


async def test_refused_times_write_nothing(db: Database) -> None:
    repo = AgendaRepository(db)
    bad = SessionInput(
        title="X",
        starts_at=datetime(2025, 11, 20, 10, 0),  # naive
        ends_at=datetime(2025, 11, 20, 11, 0, tzinfo=TZ),
    )
    with pytest.raises(ValueError, match="aware"):
        await repo.apply_import([item("A", 10), bad], now=NOW, key=KEY)
    assert await repo.all() == []


async def test_subscriptions_and_reminder_targets(db: Database) -> None:
    repo = AgendaRepository(db)
    await repo.apply_import([item("A", 10), item("B", 11)], now=NOW, key=KEY)
    a, b = (s.id for s in await repo.all())
    for uid in (1, 2, 3):
        await add_user(db, uid, "Europe/London" if uid == 2 else None)
    assert await repo.subscribe(1, [a, b], now=NOW) == 2
    assert await repo.subscribe(1, [a], now=NOW) == 0
    await repo.subscribe(2, [a], now=NOW)
    await repo.subscribe(3, [a], now=NOW)
    await repo.set_leads(2, [60, 0])
    await UserRepository(db).set_active(3, False, now=NOW)
    assert await repo.leads(1) == [15]  # the default
    assert await repo.leads(2) == [60, 0]
    assert await repo.reminder_targets(a, [15]) == [(1, None, 15)]
    assert await repo.reminder_targets(a, [60, 15, 0]) == [
        (1, None, 15),
        (2, "Europe/London", 0),
        (2, "Europe/London", 60),
    ]
    assert await repo.unsubscribe(1, a) and not await repo.unsubscribe(1, a)
    assert [s.title for s in await repo.subscribed_sessions(1)] == ["B"]
    with pytest.raises(ValueError):
        await repo.set_leads(1, [])


async def test_upcoming_and_not_started(db: Database) -> None:
    repo = AgendaRepository(db)
    await repo.apply_import([item("A", 10), item("B", 11)], now=NOW, key=KEY)
    during_a = datetime(2025, 11, 20, 8, 10, tzinfo=UTC)
    assert [s.title for s in await repo.upcoming(during_a)] == ["A", "B"]
    assert [s.title for s in await repo.not_started(during_a)] == ["B"]
    b = (await repo.not_started(during_a))[0]
    assert await repo.set_cancelled(b.id, now=NOW) is not None
    assert await repo.set_cancelled(b.id, now=NOW) is None
    assert await repo.not_started(during_a) == []
