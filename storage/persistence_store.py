"""Tables behind the bot's PTB persistence: opaque blobs per user/chat and conversation states.

The bot (``bot/runtime/persistence.py``) owns the PTB interface and the (de)serialisation;
this module only stores bytes and JSON, so storage stays free of Telegram types.

Writes are committed in groups: a write joins the group that has not started writing yet,
and returns once that group's transaction has committed. While one group holds the
database's write lock, every write that arrives (a burst of users each saving a step, or the
data of every user PTB flushes each second) waits in the next group, so a burst costs one
transaction per group instead of one per write. A later write of the same row in the same
group replaces the earlier one; a user's data and their conversation's state saved together
(:meth:`PersistenceStore.save_progress`) are always in the same transaction.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiosqlite

from storage.db import Database

_BLOB_TABLES = {"user": ("ptb_user_data", "user_id"), "chat": ("ptb_chat_data", "chat_id")}
_SINGLETONS = {"bot": "ptb_bot_data", "callback": "ptb_callback_data"}
# A pending write per row: the new value, or None to delete the row.
Blobs = dict[tuple[str, int], bytes | None]
Conversations = dict[tuple[str, str], str | None]


class PersistenceStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._blobs: Blobs = {}
        self._conversations: Conversations = {}
        # The group the next write joins: started, and waiting for the write lock.
        self._group: asyncio.Task[None] | None = None

    async def load_blobs(self, kind: str) -> dict[int, bytes]:
        table, column = _BLOB_TABLES[kind]
        rows = await self.db.fetchall(f"SELECT {column}, data FROM {table}")
        return {int(r[0]): bytes(r[1]) for r in rows}

    async def save_blob(self, kind: str, key: int, data: bytes) -> None:
        self._blobs[(kind, key)] = data
        await self._commit()

    async def drop_blob(self, kind: str, key: int) -> None:
        self._blobs[(kind, key)] = None
        await self._commit()

    async def load_singleton(self, kind: str) -> bytes | None:
        row = await self.db.fetchone(f"SELECT data FROM {_SINGLETONS[kind]} WHERE id = 1")
        return bytes(row[0]) if row else None

    async def save_singleton(self, kind: str, data: bytes) -> None:
        await self.db.execute(
            f"INSERT INTO {_SINGLETONS[kind]} (id, data) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
            (data,),
        )

    async def load_conversations(self, name: str) -> dict[tuple[str | int, ...], Any]:
        rows = await self.db.fetchall(
            "SELECT key, state FROM ptb_conversations WHERE name = ?", (name,)
        )
        return {tuple(json.loads(r[0])): json.loads(r[1]) for r in rows}

    async def save_conversation(
        self, name: str, key: tuple[str | int, ...], state: object | None
    ) -> None:
        self._put_conversation(name, key, state)
        await self._commit()

    async def save_progress(
        self,
        user_id: int,
        data: bytes,
        conversation: tuple[str, tuple[str | int, ...], object] | None,
    ) -> None:
        """A user's data and, optionally, one conversation's state, in one transaction: a
        kill leaves both or neither."""
        self._blobs[("user", user_id)] = data
        if conversation is not None:
            self._put_conversation(*conversation)
        await self._commit()

    def discard(self, user_id: int, chat_id: int | None) -> None:
        """Forget the writes not yet committed about a user (and their chat): they are being
        erased, and a pending write would put their data back."""
        self._blobs.pop(("user", user_id), None)
        if chat_id is not None:
            self._blobs.pop(("chat", chat_id), None)
        for name, key in list(self._conversations):
            if user_id in json.loads(key):
                del self._conversations[(name, key)]

    def _put_conversation(self, name: str, key: tuple[str | int, ...], state: object) -> None:
        encoded = None if state is None else json.dumps(state)
        self._conversations[(name, json.dumps(list(key)))] = encoded

    async def _commit(self) -> None:
        """Join the next group and return once it has committed (or raise what it raised)."""
        if self._group is None:
            self._group = asyncio.ensure_future(self._write_group())
            # Its error reaches every write still waiting; with none left (all cancelled),
            # it is not reported a second time as "never retrieved".
            self._group.add_done_callback(_retrieved)
        # shield: a caller cancelled while waiting must not cancel the others' writes.
        await asyncio.shield(self._group)

    async def _write_group(self) -> None:
        try:
            async with self.db.transaction() as conn:
                # From here on, new writes join the next group (which waits for this one).
                blobs, conversations = self._blobs, self._conversations
                self._blobs, self._conversations, self._group = {}, {}, None
                await _write(conn, blobs, conversations)
        finally:
            if self._group is asyncio.current_task():
                self._group = None  # failed before taking the writes: the next write retries


def _retrieved(group: asyncio.Task[None]) -> None:
    if not group.cancelled():
        group.exception()


async def _write(conn: aiosqlite.Connection, blobs: Blobs, conversations: Conversations) -> None:
    for kind, (table, column) in _BLOB_TABLES.items():
        saved = [(k, v) for (of, k), v in blobs.items() if of == kind and v is not None]
        dropped = [(k,) for (of, k), v in blobs.items() if of == kind and v is None]
        if saved:
            await conn.executemany(
                f"INSERT INTO {table} ({column}, data) VALUES (?, ?) "
                f"ON CONFLICT ({column}) DO UPDATE SET data = excluded.data",
                saved,
            )
        if dropped:
            await conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", dropped)
    states = [(n, k, s) for (n, k), s in conversations.items() if s is not None]
    ended = [(n, k) for (n, k), s in conversations.items() if s is None]
    if states:
        await conn.executemany(
            "INSERT INTO ptb_conversations (name, key, state) VALUES (?, ?, ?) "
            "ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
            states,
        )
    if ended:
        await conn.executemany("DELETE FROM ptb_conversations WHERE name = ? AND key = ?", ended)
