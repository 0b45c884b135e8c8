"""The meetings repository on a real SQLite file: no double booking is held by the database
itself (a company's seat per slot, a slot's tables), also against another connection racing
for the same slot, and bookings and moves check every rule inside their transaction."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.agenda import keys_in
from storage.agenda import AgendaRepository
from storage.companies import CompanyRepository
from storage.db import Database
from storage.meeting_choices import MeetingChoices
from storage.meeting_queries import MeetingQueries
from storage.meetings import (
    BY_REP,
    CONFIRMED,
    DECLINED,
    LIVE,
    PROPOSED,
    Booking,
    MeetingRepository,
    SlotChoice,
)
from tests.support.meetkit import meetings_block
from tests.support.storage import bare_company

NOW = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
START = NOW + timedelta(hours=2)


async def company(db: Database, name: str, country: str) -> int:
    return await bare_company(db, name, country, now=NOW)


async def block(db: Database, *, tables: int = 2, slots: int = 3) -> int:
    item = meetings_block(START, slots=slots, tables=tables)
    result = await AgendaRepository(db).apply_import([item], now=NOW, key=keys_in(UTC))
    return result.added[0].id


def slot(block_id: int, k: int = 0) -> SlotChoice:
    begin = START + timedelta(minutes=20 * k)
    return SlotChoice(block_id, begin, begin + timedelta(minutes=20))


async def book(
    repo: MeetingRepository, a: int, b: int, where: SlotChoice, token: str, **extra: object
) -> Booking:
    options: dict[str, object] = {
        "state": PROPOSED,
        "source": BY_REP,
        "proposer_company": a,
        "requested_by": None,
        "token": token,
        "max_per_company": 8,
        "now": NOW,
    }
    options.update(extra)
    return await repo.book(a, b, where, **options)  # type: ignore[arg-type]


@pytest.fixture
async def setup(db: Database) -> tuple[MeetingRepository, int, list[int]]:
    ids = [await company(db, f"Company {n}", "RO" if n < 3 else "PK") for n in range(6)]
    return MeetingRepository(db), await block(db), ids


async def test_a_company_is_in_one_meeting_per_slot(
    setup: tuple[MeetingRepository, int, list[int]],
) -> None:
    repo, blk, (a, b, c, x, y, z) = setup
    first = await book(repo, a, x, slot(blk), "t1")
    assert first.kind == "ok" and first.meeting is not None
    assert (first.meeting.company_a, first.meeting.company_b, first.meeting.table_no) == (a, x, 1)
    # The same company (on either side) at the same time: refused, and who is busy is named.
    assert await book(repo, y, a, slot(blk), "t2") == Booking("busy", company=a)
    assert await book(repo, a, y, slot(blk), "t2") == Booking("busy", company=a)
    # The same pair again, in another slot: they already have a meeting ahead.
    assert (await book(repo, x, a, slot(blk, 1), "t2")).kind == "pair"
    # Others still fit, until the slot's two tables are taken.
    assert (await book(repo, b, y, slot(blk), "t2")).kind == "ok"
    assert (await book(repo, c, z, slot(blk), "t3")).kind == "full"


async def test_the_database_itself_refuses_a_second_seat_and_a_table_too_many(
    db: Database, setup: tuple[MeetingRepository, int, list[int]]
) -> None:
    repo, blk, (a, b, c, x, y, z) = setup
    assert (await book(repo, a, x, slot(blk), "t1")).kind == "ok"
    start = slot(blk).starts_at.isoformat()
    end = slot(blk).ends_at.isoformat()
    columns = (
        "INSERT INTO meetings (company_a, company_b, block_id, starts_at, ends_at, table_no, "
        "state, source, token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'rep', ?, ?, ?)"
    )
    stamp = NOW.isoformat()
    # Written past every check in the code: company a's seat at that time is taken.
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(columns, (a, y, blk, start, end, 2, CONFIRMED, "raw1", stamp, stamp))
    # A table that is already in use.
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(columns, (b, y, blk, start, end, 1, CONFIRMED, "raw2", stamp, stamp))
    # A table the block does not have (it has two).
    with pytest.raises(sqlite3.IntegrityError, match="every table of this slot is taken"):
        await db.execute(columns, (b, y, blk, start, end, 3, CONFIRMED, "raw3", stamp, stamp))
    # A meeting that is no longer live gives its seat back: then the same insert works.
    (meeting,) = [m for m in await repo.for_company(a) if m.state in LIVE]
    assert await repo.set_state(
        meeting.id, meeting.rev, DECLINED, allowed_from=LIVE, by=None, now=NOW
    )
    await db.execute(columns, (a, y, blk, start, end, 1, CONFIRMED, "raw4", stamp, stamp))
    seats = await db.fetchall("SELECT company_id FROM meeting_seats ORDER BY company_id")
    assert [int(r[0]) for r in seats] == sorted([a, y])
    assert c and z  # the other companies took no seat


async def test_two_connections_racing_for_one_slot_book_it_once(
    tmp_path: Path, setup: tuple[MeetingRepository, int, list[int]]
) -> None:
    """Two processes (two connections to the file) book the same company at the same time,
    many times over: exactly one booking per slot wins each race."""
    repo, blk, (a, *_) = setup
    partners = [await company(repo.db, f"Partner {n}", "PK") for n in range(6)]
    other = await Database.open(repo.db.path)
    try:
        rival = MeetingRepository(other)
        for k in range(3):
            results = await asyncio.gather(
                book(repo, a, partners[2 * k], slot(blk, k), f"p{k}"),
                book(rival, a, partners[2 * k + 1], slot(blk, k), f"q{k}"),
            )
            assert sorted(r.kind for r in results) == ["busy", "ok"]
    finally:
        await other.close()
    live = await MeetingQueries(repo.db).live()
    assert len(live) == 3
    per_company_slot = [(c, m.starts_at) for m in live for c in (m.company_a, m.company_b)]
    assert len(per_company_slot) == len(set(per_company_slot))


async def test_a_move_keeps_its_place_when_the_new_slot_is_taken(
    setup: tuple[MeetingRepository, int, list[int]],
) -> None:
    repo, blk, (a, b, _, x, y, _) = setup
    mine = await book(repo, a, x, slot(blk), "t1")
    assert (await book(repo, b, y, slot(blk, 1), "t2")).kind == "ok"
    assert (await book(repo, y, a, slot(blk, 1), "t3")).kind == "busy"
    assert mine.meeting is not None
    # x proposes the slot where y meets b: allowed (x and a are free then)...
    moved = await repo.move(
        mine.meeting.id, mine.meeting.rev, slot(blk, 1), proposer_company=x, requested_by=7, now=NOW
    )
    assert moved.kind == "ok" and moved.meeting is not None
    assert moved.meeting.starts_at == slot(blk, 1).starts_at and moved.meeting.proposer_company == x
    # ...a stale revision changes nothing...
    stale = await repo.move(
        mine.meeting.id, mine.meeting.rev, slot(blk, 2), proposer_company=a, requested_by=7, now=NOW
    )
    assert stale.kind == "gone"
    # ...and a company that blocked a slot cannot be booked there.
    await MeetingChoices(repo.db).set_available(a, slot(blk, 2).starts_at, False)
    refused = await repo.move(
        moved.meeting.id,
        moved.meeting.rev,
        slot(blk, 2),
        proposer_company=x,
        requested_by=7,
        now=NOW,
    )
    assert refused == Booking("unavailable", company=a)
    fresh = await repo.get(mine.meeting.id)
    assert fresh is not None and fresh.starts_at == slot(blk, 1).starts_at


async def test_a_company_at_its_maximum_gets_no_more(
    setup: tuple[MeetingRepository, int, list[int]],
) -> None:
    repo, blk, (a, _, _, x, y, z) = setup
    assert (await book(repo, a, x, slot(blk, 0), "t1", max_per_company=2)).kind == "ok"
    assert (await book(repo, a, y, slot(blk, 1), "t2", max_per_company=2)).kind == "ok"
    assert await book(repo, z, a, slot(blk, 2), "t3", max_per_company=2) == Booking(
        "limit", company=a
    )


async def test_erasing_a_rep_takes_their_feedback_and_their_id_off_the_meetings(
    db: Database, setup: tuple[MeetingRepository, int, list[int]]
) -> None:
    from storage.erasure import erase_person
    from storage.users import UserRepository

    repo, blk, (a, b, _, x, _, _) = setup
    users, companies = UserRepository(db), CompanyRepository(db)
    for user_id in (71, 72):
        await users.seen(
            user_id, first_name="Rep", last_name=None, username=None, language_code=None, now=NOW
        )
    await companies.add_rep(a, 71, now=NOW)
    await companies.add_rep(a, 72, now=NOW)  # a colleague keeps the company
    made = await book(repo, a, x, slot(blk), "t1", requested_by=71)
    assert made.meeting is not None
    done = await repo.set_state(
        made.meeting.id, made.meeting.rev, CONFIRMED, allowed_from=LIVE, by=71, now=NOW
    )
    assert done is not None
    choices = MeetingChoices(db)
    await choices.set_held(done.id, 71, "yes", now=NOW)
    await choices.set_note(done.id, 71, "A private note by rep 71")
    await choices.save_plan([], created_by=71, now=NOW)
    erased = await erase_person(db, 71, now=NOW)
    assert erased.swept == ()  # handled on purpose, not by the safety net
    assert await choices.feedback(done.id, 71) is None
    kept = await repo.get(done.id)
    assert kept is not None and kept.state == CONFIRMED
    assert (kept.requested_by, kept.decided_by) == (None, None)
    rows = await db.fetchall("SELECT created_by FROM meeting_plans")
    assert [r[0] for r in rows] == [None]
    assert b  # the other companies are untouched


async def test_an_unanswered_proposal_expires_when_its_slot_begins(
    db: Database, setup: tuple[MeetingRepository, int, list[int]]
) -> None:
    repo, blk, (a, _, _, x, _, _) = setup
    made = await book(repo, a, x, slot(blk, 1), "t1")
    assert made.meeting is not None
    assert await repo.expire_proposals(slot(blk, 0).starts_at) == 0
    assert await repo.expire_proposals(slot(blk, 1).starts_at) == 1
    expired = await repo.get(made.meeting.id)
    assert expired is not None and expired.state == "expired"
    assert await db.fetchall("SELECT * FROM meeting_seats") == []
