"""Erasing a person (/deleteme) from every table, in one transaction.

What goes, and what stays without them (the README's privacy paragraph says the same):

* their users row, and with it (foreign keys) their session subscriptions, reminder lead
  times and company membership;
* their company when they are its last rep, with everything that hangs off it;
* a company's contact person, e-mail and phone when they were the last to type any of
  them (``companies.contact_entered_by``), also when colleagues keep the company or they
  left it before; its reps are asked to enter them again (until then it is not matched);
* their @username, e-mail, phone and name wherever another company lists them;
* the notes they wrote in introduction requests and follow-up answers, and their id as
  requester, answerer or respondent (the introductions and the answers themselves belong
  to the companies); likewise their feedback on meetings (with its note) and their id as
  proposer or answerer of the companies' meetings;
* messages: those to them are deleted; those to other people that carry their data
  (contact cards, requests with their note, notices naming them, copies of their
  broadcasts) are emptied, and cancelled if still waiting;
* their broadcasts stop (the copies are made from the message in their own chat) and,
  like their audit rows, keep only the pseudonym "erased user #N";
* the PTB persistence rows of their user, their chat and their conversations.

Any other column named like a person (``user_id``, ``created_by``, ...) in any table is
swept by name afterwards, so a table added later cannot keep them by oversight.
Deleted content is zeroed (``secure_delete``, see storage.db); the caller checkpoints the
WAL after this returns.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

import aiosqlite

from storage.audit import pseudonym
from storage.db import Database, fetch_all, fetch_one
from storage.redaction import Identity

log = logging.getLogger(__name__)

ERASED_COMPANY = "an erased company"
CANCELLED_BECAUSE = "cancelled: it carried the data of an erased user"
PERSON_COLUMNS = (
    "telegram_id",
    "user_id",
    "chat_id",
    "created_by",
    "requested_by",
    "decided_by",
    "used_by",
    "actor_id",
    "progress_chat_id",
    "contact_entered_by",
    "answered_by",
)
COMPANY_CONTACT_COLUMNS = ("contact_name", "contact_email", "contact_phone", "telegram_username")
OUTBOX_BATCH = 2000


@dataclass(frozen=True)
class Erasure:
    """What /deleteme did."""

    pseudonym: int  # N of "erased user #N"
    user_row: bool
    company_id: int | None  # the company they represented
    company_name: str | None
    company_deleted: bool  # they were its last rep
    introductions: int  # introductions removed with the company
    subscriptions: int
    messages_deleted: int  # queued or sent to them
    messages_emptied: int  # to others, carrying their data
    audit_rows: int
    broadcasts: int
    colleagues: tuple[int, ...] = ()  # reps who keep the company
    contacts_cleared: tuple[int, ...] = ()  # companies that kept reps but lost their contact
    swept: tuple[str, ...] = field(default=())  # table.column found by the safety net


async def table_columns(conn: aiosqlite.Connection) -> dict[str, list[tuple[str, bool]]]:
    """Every table's columns as (name, NOT NULL)."""
    names = await fetch_all(
        conn, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {
        name: [(c[1], bool(c[3])) for c in await fetch_all(conn, f"PRAGMA table_info({name})")]
        for (name,) in names
    }


async def erase_person(db: Database, user_id: int, *, now: datetime) -> Erasure:
    """Erase everything about ``user_id``; see the module docstring for what that means."""
    async with db.transaction() as conn:
        return await _erase(conn, user_id, now)


async def _erase(conn: aiosqlite.Connection, user_id: int, now: datetime) -> Erasure:
    tables = await table_columns(conn)
    user = await fetch_one(
        conn, "SELECT first_name, last_name, username FROM users WHERE telegram_id = ?", (user_id,)
    )
    company = await fetch_one(
        conn,
        "SELECT c.id, c.name FROM companies c JOIN company_reps r ON r.company_id = c.id "
        "WHERE r.user_id = ?",
        (user_id,),
    )
    colleagues: tuple[int, ...] = ()
    if company is not None:
        colleagues = tuple(
            int(r[0])
            for r in await fetch_all(
                conn,
                "SELECT user_id FROM company_reps WHERE company_id = ? AND user_id <> ? "
                "ORDER BY joined_at, user_id",
                (company[0], user_id),
            )
        )
    deleted_id = company[0] if company is not None and not colleagues else None
    # The contact details they typed (in any company, even one they left since), and all
    # of the company that goes with them.
    contacts = await fetch_all(
        conn,
        "SELECT id, contact_name, contact_email, contact_phone, telegram_username, "
        "contact_entered_by = ? FROM companies WHERE contact_entered_by = ? OR id = ?",
        (user_id, user_id, deleted_id),
    )
    notes = await fetch_all(
        conn, "SELECT id, note FROM introductions WHERE requested_by = ? AND note <> ''", (user_id,)
    )
    cursor = await conn.execute(
        "INSERT INTO erasures (erased_on) VALUES (?)", (now.date().isoformat(),)
    )
    number = int(cursor.lastrowid or 0)
    full_name = " ".join(p for p in (user[0], user[1]) if p) if user else ""
    identity = Identity.of(
        user_id,
        pseudonym(number),
        names=[full_name, *(c[1] for c in contacts)],
        usernames=[user[2] if user else None, *(c[4] for c in contacts if c[0] == deleted_id)],
        emails=[c[2] for c in contacts],
        phones=[c[3] for c in contacts],
        texts=[n[1] for n in notes],
        others=[(company[1], ERASED_COMPANY)] if company and deleted_id is not None else [],
    )

    introductions = 0
    if deleted_id is not None:
        row = await fetch_one(
            conn,
            "SELECT count(*) FROM introductions WHERE requester_company_id = ? "
            "OR target_company_id = ?",
            (deleted_id, deleted_id),
        )
        assert row is not None  # count(*) always has its row
        introductions = int(row[0])
        await conn.execute("DELETE FROM companies WHERE id = ?", (deleted_id,))
    await conn.execute("DELETE FROM company_reps WHERE user_id = ?", (user_id,))
    cleared = tuple(int(c[0]) for c in contacts if c[5] and c[0] != deleted_id)
    for company_id in cleared:
        await conn.execute(
            "UPDATE companies SET contact_name = NULL, contact_email = NULL, "
            "contact_phone = NULL, contact_entered_by = NULL, updated_at = ? WHERE id = ?",
            (now.isoformat(), company_id),
        )
    await _companies(conn, identity, now)
    # The note is theirs; the introduction is the two companies'.
    await conn.execute("UPDATE introductions SET note = '' WHERE requested_by = ?", (user_id,))
    # So is a follow-up note; the answer is their company's and stays.
    await conn.execute(
        "UPDATE followups SET note = '', answered_by = NULL WHERE answered_by = ?", (user_id,)
    )
    for column in ("requested_by", "decided_by"):
        await conn.execute(
            f"UPDATE introductions SET {column} = NULL WHERE {column} = ?", (user_id,)
        )
    for column in ("created_by", "used_by"):
        await conn.execute(
            f"UPDATE company_links SET {column} = NULL WHERE {column} = ?", (user_id,)
        )
    await conn.execute("DELETE FROM meeting_feedback WHERE user_id = ?", (user_id,))
    for column in ("requested_by", "decided_by"):
        await conn.execute(f"UPDATE meetings SET {column} = NULL WHERE {column} = ?", (user_id,))
    await conn.execute(
        "UPDATE meeting_plans SET created_by = NULL WHERE created_by = ?", (user_id,)
    )
    broadcasts = await _broadcasts(conn, user_id, identity, number, now)
    audit_rows = await _audit(conn, user_id, identity, number)
    intro_keys = tuple(f"intro:{n[0]}:{what}:" for n in notes for what in ("request", "reminder"))
    deleted, emptied = await _outbox(conn, user_id, identity, intro_keys, number)
    row = await fetch_one(
        conn, "SELECT count(*) FROM agenda_subscriptions WHERE user_id = ?", (user_id,)
    )
    subscriptions = int(row[0]) if row else 0
    cursor = await conn.execute("DELETE FROM users WHERE telegram_id = ?", (user_id,))
    user_row = cursor.rowcount > 0
    await conn.execute("DELETE FROM ptb_user_data WHERE user_id = ?", (user_id,))
    await conn.execute("DELETE FROM ptb_chat_data WHERE chat_id = ?", (user_id,))
    await conn.execute(
        "DELETE FROM ptb_conversations WHERE EXISTS "
        "(SELECT 1 FROM json_each(ptb_conversations.key) WHERE json_each.value = ?)",
        (user_id,),
    )
    swept = await _sweep(conn, tables, user_id)
    return Erasure(
        pseudonym=number,
        user_row=user_row,
        company_id=company[0] if company else None,
        company_name=company[1] if company else None,
        company_deleted=deleted_id is not None,
        introductions=introductions,
        subscriptions=subscriptions,
        messages_deleted=deleted,
        messages_emptied=emptied,
        audit_rows=audit_rows,
        broadcasts=broadcasts,
        colleagues=colleagues,
        contacts_cleared=cleared,
        swept=swept,
    )


async def _companies(conn: aiosqlite.Connection, identity: Identity, now: datetime) -> None:
    """Their username, e-mail, phone or full name wherever a company lists them."""
    columns = ", ".join(COMPANY_CONTACT_COLUMNS)
    for row in await fetch_all(conn, f"SELECT id, {columns} FROM companies"):
        found = [
            name
            for name, value in zip(COMPANY_CONTACT_COLUMNS, row[1:], strict=True)
            if value and identity.in_text(str(value))
        ]
        if found:
            sets = ", ".join(f"{name} = NULL" for name in found)
            await conn.execute(
                f"UPDATE companies SET {sets}, updated_at = ? WHERE id = ?",
                (now.isoformat(), row[0]),
            )


async def _broadcasts(
    conn: aiosqlite.Connection, user_id: int, identity: Identity, number: int, now: datetime
) -> int:
    """Their broadcasts stop and keep the pseudonym; others' lose any mention of them."""
    await conn.execute(
        "UPDATE broadcasts SET finished_at = coalesce(finished_at, ?), "
        "state = CASE WHEN state = 'running' THEN 'stopped' "
        "WHEN state IN ('draft', 'scheduled') THEN 'cancelled' ELSE state END "
        "WHERE created_by = ?",
        (now.isoformat(), user_id),
    )
    await conn.execute(
        "UPDATE broadcasts SET progress_chat_id = NULL, progress_message_id = NULL, "
        "progress_text = NULL WHERE progress_chat_id = ?",
        (user_id,),
    )
    mine = 0
    for row in await fetch_all(conn, "SELECT id, created_by, summary, payload FROM broadcasts"):
        own = row[1] == user_id
        payload = row[3]
        if own or identity.in_value(json.loads(payload or "{}")):
            payload = "{}"
        summary = identity.scrub(row[2]) if own or identity.in_text(row[2]) else row[2]
        if own or summary != row[2] or payload != row[3]:
            await conn.execute(
                "UPDATE broadcasts SET created_by = ?, summary = ?, payload = ? WHERE id = ?",
                (-number if own else row[1], summary, payload, row[0]),
            )
        mine += own
    return mine


async def _audit(conn: aiosqlite.Connection, user_id: int, identity: Identity, number: int) -> int:
    """Their actions stay under the pseudonym (a negative actor id); any mention goes."""
    rows = await fetch_all(conn, "SELECT id, actor_id, detail FROM audit_log")
    updates = [
        (-number if actor == user_id else actor, identity.scrub(detail), row_id)
        for row_id, actor, detail in rows
        if actor == user_id or identity.in_text(detail)
    ]
    await conn.executemany("UPDATE audit_log SET actor_id = ?, detail = ? WHERE id = ?", updates)
    changed = sum(1 for r in rows if r[1] == user_id)
    return changed


async def _outbox(
    conn: aiosqlite.Connection,
    user_id: int,
    identity: Identity,
    intro_keys: tuple[str, ...],
    number: int,
) -> tuple[int, int]:
    """Delete the messages to them; empty (and cancel, if waiting) those about them."""
    cursor = await conn.execute("DELETE FROM outbox WHERE chat_id = ?", (user_id,))
    deleted = cursor.rowcount
    emptied = 0
    last = 0
    while True:
        batch = await fetch_all(
            conn,
            "SELECT id, dedupe_key, payload FROM outbox WHERE id > ? ORDER BY id LIMIT ?",
            (last, OUTBOX_BATCH),
        )
        if not batch:
            break
        last = batch[-1][0]
        emptying = [
            (identity.scrub(key, label=f"erased-{number}"), CANCELLED_BECAUSE, row_id)
            if identity.in_text(key)
            else (key, CANCELLED_BECAUSE, row_id)
            for row_id, key, payload in batch
            if key.startswith(intro_keys)
            or identity.in_text(key)
            or identity.in_value(json.loads(payload))
        ]
        # One statement per batch: the write lock is held, and every other write waits.
        await conn.executemany(
            "UPDATE outbox SET payload = '{}', dedupe_key = ?, "
            "last_error = CASE WHEN state = 'pending' THEN ? ELSE last_error END, "
            "state = CASE WHEN state = 'pending' THEN 'cancelled' ELSE state END "
            "WHERE id = ?",
            emptying,
        )
        emptied += len(emptying)
    return deleted, emptied


async def _sweep(
    conn: aiosqlite.Connection, tables: dict[str, list[tuple[str, bool]]], user_id: int
) -> tuple[str, ...]:
    """The safety net: any column named like a person that still holds their id."""
    swept: list[str] = []
    for table, columns in tables.items():
        for column, not_null in columns:
            if column not in PERSON_COLUMNS:
                continue
            if await fetch_one(
                conn, f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", (user_id,)
            ):
                if not_null:
                    await conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (user_id,))
                else:
                    await conn.execute(
                        f"UPDATE {table} SET {column} = NULL WHERE {column} = ?", (user_id,)
                    )
                swept.append(f"{table}.{column}")
    if swept:
        log.warning("erasure: removed the person from %s by name only", ", ".join(swept))
    return tuple(swept)
