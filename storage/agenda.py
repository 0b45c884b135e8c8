"""The agenda repository: sessions (times in UTC), subscriptions and reminder lead times.

The database is the source of truth for reminders: the planner in ``bot.services.reminders``
reads what is due from here and never keeps its own copy. What an import file says (the
sessions and how a re-import recognises one) is the domain's (``bot.domain.agenda``); this
module reads it by its fields and imports nothing of the application.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import aiosqlite

from storage.db import Repository, fetch_all
from storage.rows import timed_from_row

DEFAULT_LEAD_MINUTES = 15
TALK, MEETINGS = "talk", "meetings"  # a session's kind: a talk, or a block of 1:1 meeting slots


class NewSession(Protocol):
    """A session as an import file describes it (``bot.domain.agenda.SessionInput``)."""

    @property
    def title(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def speakers(self) -> str: ...
    @property
    def track(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def link(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def slot_minutes(self) -> int: ...
    @property
    def tables(self) -> int: ...


# How a re-import recognises a session (``bot.domain.agenda.session_key`` in the event zone):
# from a title and a start to a key; the same key is the same session.
SessionKey = Callable[[str, datetime], Hashable]


@dataclass(frozen=True)
class Session:
    id: int
    title: str
    description: str
    speakers: str
    track: str
    starts_at: datetime
    ends_at: datetime
    link: str | None
    cancelled: bool
    updated_at: str
    kind: str = TALK
    slot_minutes: int = 20
    tables: int = 0


@dataclass(frozen=True)
class Change:
    """A session that an import moved or cancelled: its subscribers get a notice."""

    before: Session
    after: Session | None  # None: cancelled


@dataclass
class ImportResult:
    added: list[Session] = field(default_factory=list)
    changed: list[Session] = field(default_factory=list)
    removed: list[Session] = field(default_factory=list)
    unchanged: int = 0
    # Of ``changed`` and ``removed``: those whose time changed or that were cancelled.
    notices: list[Change] = field(default_factory=list)


def _session(row: aiosqlite.Row) -> Session:
    return timed_from_row(Session, row, cancelled=bool(row["cancelled"]))


class AgendaRepository(Repository):
    # -- sessions ------------------------------------------------------------------------
    async def get(self, session_id: int) -> Session | None:
        return await self.read_one(
            _session, "SELECT * FROM agenda_sessions WHERE id = ?", (session_id,)
        )

    async def upcoming(self, now: datetime) -> list[Session]:
        """Sessions not cancelled and not over yet, by start time."""
        return await self._sessions("cancelled = 0 AND ends_at > ?", (to_utc(now),))

    async def not_started(self, now: datetime) -> list[Session]:
        """Sessions not cancelled whose start is still ahead: those that need reminders."""
        return await self._sessions("cancelled = 0 AND starts_at > ?", (to_utc(now),))

    async def all(self) -> list[Session]:
        return await self._sessions("1 = 1")

    async def _sessions(self, where: str, params: Sequence[object] = ()) -> list[Session]:
        """The sessions ``where`` (a fixed condition) selects, by start time."""
        return await self.read_all(
            _session, f"SELECT * FROM agenda_sessions WHERE {where} ORDER BY starts_at, id", params
        )

    async def fingerprint(self) -> tuple[int, str]:
        """Changes whenever the agenda does (for noticing imports made by another process)."""
        row = await self.db.fetchone(
            "SELECT count(*), coalesce(max(updated_at), '') FROM agenda_sessions"
        )
        return (int(row[0]), str(row[1])) if row else (0, "")

    async def apply_import(
        self, items: Sequence[NewSession], *, now: datetime, key: SessionKey
    ) -> ImportResult:
        """Make the agenda what the file says, in one transaction.

        Sessions are matched by ``key`` (their title and start date in the event zone); a
        match with other values is updated, a new one added, and a session missing from the
        file is cancelled (not deleted: its subscribers must still get the notice).
        """
        stamp = to_utc(now)
        result = ImportResult()
        async with self.db.transaction() as conn:
            rows = await fetch_all(conn, "SELECT * FROM agenda_sessions ORDER BY id")
            existing = [_session(r) for r in rows]
            by_key: dict[Hashable, Session] = {}
            for s in existing:
                k = key(s.title, s.starts_at)
                # Two old sessions with one key: prefer the live one.
                if k not in by_key or by_key[k].cancelled:
                    by_key[k] = s
            seen: set[int] = set()
            for item in items:
                values = _columns(item)
                old = by_key.get(key(item.title, item.starts_at))
                if old is None:
                    cursor = await conn.execute(
                        "INSERT INTO agenda_sessions (title, description, speakers, track, "
                        "starts_at, ends_at, link, kind, slot_minutes, tables, cancelled, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                        (*values, stamp),
                    )
                    new_id = int(cursor.lastrowid or 0)
                    seen.add(new_id)
                    result.added.append(_from(new_id, item, stamp))
                    continue
                seen.add(old.id)
                if _columns(old) == values and not old.cancelled:
                    result.unchanged += 1
                    continue
                await conn.execute(
                    "UPDATE agenda_sessions SET title = ?, description = ?, speakers = ?, "
                    "track = ?, starts_at = ?, ends_at = ?, link = ?, kind = ?, "
                    "slot_minutes = ?, tables = ?, cancelled = 0, updated_at = ? WHERE id = ?",
                    (*values, stamp, old.id),
                )
                new = _from(old.id, item, stamp)
                result.changed.append(new)
                if (old.starts_at, old.ends_at) != (new.starts_at, new.ends_at) or old.cancelled:
                    result.notices.append(Change(before=old, after=new))
            for old in existing:
                if old.id in seen or old.cancelled:
                    continue
                await conn.execute(
                    "UPDATE agenda_sessions SET cancelled = 1, updated_at = ? WHERE id = ?",
                    (stamp, old.id),
                )
                result.removed.append(old)
                result.notices.append(Change(before=old, after=None))
        return result

    async def set_cancelled(self, session_id: int, *, now: datetime) -> Session | None:
        """Cancel one session; returns it as it was, or None if unknown or already cancelled."""
        before = await self.get(session_id)
        if before is None or before.cancelled:
            return None
        await self.db.execute(
            "UPDATE agenda_sessions SET cancelled = 1, updated_at = ? WHERE id = ?",
            (to_utc(now), session_id),
        )
        return before

    async def move(
        self, session_id: int, starts_at: datetime, ends_at: datetime, *, now: datetime
    ) -> Session | None:
        """Give a session a new time; returns it as it was before (None if unknown)."""
        before = await self.get(session_id)
        if before is None:
            return None
        await self.db.execute(
            "UPDATE agenda_sessions SET starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?",
            (to_utc(starts_at), to_utc(ends_at), to_utc(now), session_id),
        )
        return before

    # -- subscriptions -------------------------------------------------------------------
    async def subscribe(self, user_id: int, session_ids: Iterable[int], *, now: datetime) -> int:
        """Subscribe to sessions; returns how many were new."""
        stamp = to_utc(now)
        async with self.db.transaction() as conn:
            before = conn.total_changes
            await conn.executemany(
                "INSERT OR IGNORE INTO agenda_subscriptions (user_id, session_id, created_at) "
                "VALUES (?, ?, ?)",
                [(user_id, sid, stamp) for sid in session_ids],
            )
            return conn.total_changes - before

    async def unsubscribe(self, user_id: int, session_id: int) -> bool:
        changed = await self.db.execute(
            "DELETE FROM agenda_subscriptions WHERE user_id = ? AND session_id = ?",
            (user_id, session_id),
        )
        return changed > 0

    async def subscribed_ids(self, user_id: int) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT session_id FROM agenda_subscriptions WHERE user_id = ?", (user_id,)
        )
        return {int(r[0]) for r in rows}

    async def subscribed_sessions(self, user_id: int) -> list[Session]:
        return await self.read_all(
            _session,
            "SELECT s.* FROM agenda_sessions s JOIN agenda_subscriptions a ON a.session_id = s.id "
            "WHERE a.user_id = ? AND s.cancelled = 0 ORDER BY s.starts_at, s.id",
            (user_id,),
        )

    async def subscribers(self, session_id: int) -> list[tuple[int, str | None]]:
        """(user id, time zone) of the reachable subscribers of a session."""
        rows = await self.db.fetchall(
            "SELECT u.telegram_id, u.timezone FROM agenda_subscriptions a "
            "JOIN users u ON u.telegram_id = a.user_id "
            "WHERE a.session_id = ? AND u.is_active = 1 ORDER BY u.telegram_id",
            (session_id,),
        )
        return [(int(r[0]), r[1]) for r in rows]

    async def reminder_targets(
        self, session_id: int, leads: Sequence[int]
    ) -> list[tuple[int, str | None, int]]:
        """(user id, time zone, lead) for each reachable subscriber of a session and each of
        ``leads`` the user chose (no choice means the default lead)."""
        if not leads:
            return []
        marks = ",".join("?" * len(leads))
        rows = await self.db.fetchall(
            f"""
            SELECT u.telegram_id, u.timezone, coalesce(r.minutes, ?) AS lead
            FROM agenda_subscriptions a
            JOIN users u ON u.telegram_id = a.user_id
            LEFT JOIN reminder_leads r ON r.user_id = a.user_id
            WHERE a.session_id = ? AND u.is_active = 1 AND coalesce(r.minutes, ?) IN ({marks})
            ORDER BY u.telegram_id, lead
            """,
            (DEFAULT_LEAD_MINUTES, session_id, DEFAULT_LEAD_MINUTES, *leads),
        )
        return [(int(r[0]), r[1], int(r[2])) for r in rows]

    async def reminder_counts(self, now: datetime) -> dict[tuple[int, int], int]:
        """How many reminders each (session, lead) of the sessions not started yet will queue:
        :meth:`reminder_targets` counted, for all of them in one query."""
        rows = await self.db.fetchall(
            """
            SELECT a.session_id, coalesce(r.minutes, ?) AS lead, count(*)
            FROM agenda_subscriptions a
            JOIN agenda_sessions s ON s.id = a.session_id
            JOIN users u ON u.telegram_id = a.user_id
            LEFT JOIN reminder_leads r ON r.user_id = a.user_id
            WHERE s.cancelled = 0 AND s.starts_at > ? AND u.is_active = 1
            GROUP BY a.session_id, lead
            """,
            (DEFAULT_LEAD_MINUTES, to_utc(now)),
        )
        return {(int(r[0]), int(r[1])): int(r[2]) for r in rows}

    # -- lead times ----------------------------------------------------------------------
    async def leads(self, user_id: int) -> list[int]:
        """The user's lead times in minutes, largest first; the default when none chosen."""
        rows = await self.db.fetchall(
            "SELECT minutes FROM reminder_leads WHERE user_id = ? ORDER BY minutes DESC",
            (user_id,),
        )
        return [int(r[0]) for r in rows] or [DEFAULT_LEAD_MINUTES]

    async def set_leads(self, user_id: int, minutes: Iterable[int]) -> None:
        chosen = sorted(set(minutes), reverse=True)
        if not chosen:
            raise ValueError("at least one lead time")
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM reminder_leads WHERE user_id = ?", (user_id,))
            await conn.executemany(
                "INSERT INTO reminder_leads (user_id, minutes) VALUES (?, ?)",
                [(user_id, m) for m in chosen],
            )

    # -- the outbox side of a move -------------------------------------------------------
    async def cancel_pending_reminders(self, session_id: int) -> int:
        """Cancel reminders still waiting in the outbox for a session that moved or ended.

        Keys look like ``reminder:<user>:<session>:<lead>@<start>``; see bot.services.reminders.
        """
        return await self.db.execute(
            "UPDATE outbox SET state = 'cancelled' WHERE state = 'pending' AND kind = 'reminder' "
            "AND dedupe_key LIKE ?",
            (f"reminder:%:{session_id}:%",),
        )


def to_utc(value: datetime) -> str:
    """The one storage form of a time: ISO 8601 in UTC. Naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("aware datetimes only")
    return value.astimezone(UTC).isoformat()


def _columns(session: NewSession) -> tuple[object, ...]:
    """A session's stored columns, in the order of the INSERT and UPDATE of an import: what
    a re-import compares to tell an unchanged session from a changed one."""
    return (
        session.title,
        session.description,
        session.speakers,
        session.track,
        to_utc(session.starts_at),
        to_utc(session.ends_at),
        session.link or None,
        session.kind,
        session.slot_minutes,
        session.tables,
    )


def _from(session_id: int, item: NewSession, stamp: str) -> Session:
    return Session(
        id=session_id,
        title=item.title,
        description=item.description,
        speakers=item.speakers,
        track=item.track,
        starts_at=datetime.fromisoformat(to_utc(item.starts_at)),
        ends_at=datetime.fromisoformat(to_utc(item.ends_at)),
        link=item.link or None,
        cancelled=False,
        updated_at=stamp,
        kind=item.kind,
        slot_minutes=item.slot_minutes,
        tables=item.tables,
    )
