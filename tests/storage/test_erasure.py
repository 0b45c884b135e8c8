"""storage.erasure row by row: which messages to other people are emptied or cancelled and
which are left alone, broadcasts and the audit log under the pseudonym, other companies'
contact columns, and the safety net for tables it does not know."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from storage.audit import AuditLog
from storage.broadcasts import BroadcastRepository
from storage.db import Database
from storage.erasure import erase_person
from storage.outbox import NewMessage, OutboxRepository
from storage.users import UserRepository
from tests.support.storage import broadcast_to_everyone

NOW = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
PERSON, OTHER = 4242, 5000


async def _people(db: Database) -> None:
    users = UserRepository(db)
    await users.seen(
        PERSON, first_name="Ana", last_name="Popa", username="ana_p", language_code=None, now=NOW
    )
    await users.seen(
        OTHER, first_name="Omar", last_name=None, username="omar", language_code=None, now=NOW
    )


def text(chat: int, key: str, body: str, **kw: object) -> NewMessage:
    return NewMessage(chat_id=chat, dedupe_key=key, kind="t", payload={"text": body}, **kw)  # type: ignore[arg-type]


async def test_messages_about_the_person_are_emptied_and_others_left_alone(db: Database) -> None:
    await _people(db)
    outbox = OutboxRepository(db)
    await outbox.enqueue(
        [
            text(PERSON, "to-them", "Your contact card"),
            text(OTHER, "card", "Telegram: <a href='https://t.me/ana_p'>@ana_p</a>"),
            text(OTHER, "named", "🚪 <b>Ana   Popa</b> left Alpha"),
            text(OTHER, "rep-left:1:4242:t0", "🚪 Ana left Alpha"),
            text(OTHER, "reminder", "Data &amp; Ana: analytics starts in 15 minutes"),
            text(OTHER, "number", "Ticket 14242 and 42420 are not her id"),
            NewMessage(
                chat_id=OTHER,
                dedupe_key="broadcast:1:5000",
                kind="broadcast",
                method="copyMessage",
                payload={"from_chat_id": PERSON, "message_id": 7},
            ),
        ],
        now=NOW,
    )
    for key in ("card", "rep-left:1:4242:t0"):
        row = await db.fetchone("SELECT id FROM outbox WHERE dedupe_key = ?", (key,))
        assert row is not None
        await outbox.mark_sent(row[0], message_id=1, now=NOW)

    erased = await erase_person(db, PERSON, now=NOW)

    assert (erased.messages_deleted, erased.messages_emptied) == (1, 4)
    rows = {
        r["dedupe_key"]: (r["state"], json.loads(r["payload"]))
        for r in await db.fetchall("SELECT * FROM outbox ORDER BY id")
    }
    assert rows == {
        "card": ("sent", {}),  # history: emptied, still counted as sent
        "named": ("cancelled", {}),  # not sent yet: never will be
        "rep-left:1:erased-1:t0": ("sent", {}),
        # A first name alone is a word like any other: a message to someone else stays.
        "reminder": ("pending", {"text": "Data &amp; Ana: analytics starts in 15 minutes"}),
        "number": ("pending", {"text": "Ticket 14242 and 42420 are not her id"}),
        "broadcast:1:5000": ("cancelled", {}),
    }


async def test_broadcasts_and_audit_keep_the_pseudonym(db: Database) -> None:
    await _people(db)
    broadcasts = BroadcastRepository(db)
    scheduled = await broadcast_to_everyone(
        db, PERSON, "Greetings from Ana Popa", 3, now=NOW, scheduled_for=NOW
    )
    running = await broadcast_to_everyone(db, PERSON, "Doors open", 5, now=NOW)
    assert await broadcasts.transition(running, "running", from_states=("draft",), now=NOW)
    await broadcasts.set_progress_message(running, PERSON, 6)
    theirs = await broadcast_to_everyone(db, OTHER, "Welcome, Omar here", 4, now=NOW)
    audit = AuditLog(db)
    await audit.record(OTHER, "promote", "4242 ana_p", now=NOW)
    await audit.record(PERSON, "broadcast.schedule", "#1 to everyone: Greetings from Ana", now=NOW)
    await audit.record(OTHER, "demote", "5001 anabel", now=NOW)

    erased = await erase_person(db, PERSON, now=NOW)

    assert (erased.pseudonym, erased.audit_rows, erased.broadcasts) == (1, 1, 2)
    mine = await broadcasts.get(scheduled)
    assert mine is not None
    assert (mine.state, mine.created_by, mine.payload) == ("cancelled", -1, {})
    assert mine.summary == "Greetings from erased user #1"
    stopped = await broadcasts.get(running)
    assert stopped is not None and stopped.state == "stopped" and stopped.finished_at
    assert (stopped.created_by, stopped.progress_chat_id, stopped.summary) == (
        -1,
        None,
        "Doors open",
    )
    other = await broadcasts.get(theirs)
    assert other is not None and other.created_by == OTHER and other.payload["message_id"] == 4
    entries = {e.action: e for e in await audit.recent()}
    assert entries["promote"].detail == "erased user #1"
    assert entries["promote"].actor_id == OTHER and entries["promote"].erased_actor is None
    assert entries["broadcast.schedule"].erased_actor == "erased user #1"
    assert entries["broadcast.schedule"].detail == "#1 to everyone: Greetings from erased user #1"
    assert entries["demote"].detail == "5001 anabel"
    # A second erasure gets the next number; numbers are never reused.
    assert (await erase_person(db, OTHER, now=NOW)).pseudonym == 2
    assert {e.actor_id for e in await audit.recent()} == {-1, -2}


async def test_other_companies_and_unknown_tables(db: Database) -> None:
    await _people(db)
    await db.execute(
        "INSERT INTO companies (name, country, telegram_username, contact_name, contact_email, "
        "created_at, updated_at) VALUES ('Imported', 'RO', '@Ana_P', 'Ana Popa', "
        "'office@imported.example', ?, ?)",
        (NOW.isoformat(), NOW.isoformat()),
    )
    await db.execute("CREATE TABLE feature_votes (user_id INTEGER NOT NULL, vote TEXT)")
    await db.execute("CREATE TABLE feature_notes (author INTEGER, created_by INTEGER)")
    await db.execute("INSERT INTO feature_votes VALUES (?, 'yes'), (?, 'no')", (PERSON, OTHER))
    await db.execute("INSERT INTO feature_notes VALUES (1, ?)", (PERSON,))

    erased = await erase_person(db, PERSON, now=NOW)

    company = await db.fetchone("SELECT * FROM companies WHERE name = 'Imported'")
    assert company is not None
    assert (company["telegram_username"], company["contact_name"]) == (None, None)
    assert company["contact_email"] == "office@imported.example"
    assert sorted(erased.swept) == ["feature_notes.created_by", "feature_votes.user_id"]
    assert [tuple(r) for r in await db.fetchall("SELECT user_id FROM feature_votes")] == [(OTHER,)]
    assert [tuple(r) for r in await db.fetchall("SELECT * FROM feature_notes")] == [(1, None)]
