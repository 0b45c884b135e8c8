"""Tables behind the bot's PTB persistence: opaque blobs per user/chat and conversation states.

The bot (``bot/persistence.py``) owns the PTB interface and the (de)serialisation; this
module only stores bytes and JSON, so storage stays free of Telegram types.
"""

from __future__ import annotations

import json
from typing import Any

from storage.db import Database

_BLOB_TABLES = {"user": ("ptb_user_data", "user_id"), "chat": ("ptb_chat_data", "chat_id")}
_SINGLETONS = {"bot": "ptb_bot_data", "callback": "ptb_callback_data"}


class PersistenceStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def load_blobs(self, kind: str) -> dict[int, bytes]:
        table, column = _BLOB_TABLES[kind]
        rows = await self.db.fetchall(f"SELECT {column}, data FROM {table}")
        return {int(r[0]): bytes(r[1]) for r in rows}

    async def save_blob(self, kind: str, key: int, data: bytes) -> None:
        table, column = _BLOB_TABLES[kind]
        await self.db.execute(
            f"INSERT INTO {table} ({column}, data) VALUES (?, ?) "
            f"ON CONFLICT ({column}) DO UPDATE SET data = excluded.data",
            (key, data),
        )

    async def drop_blob(self, kind: str, key: int) -> None:
        table, column = _BLOB_TABLES[kind]
        await self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", (key,))

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
        encoded_key = json.dumps(list(key))
        if state is None:
            await self.db.execute(
                "DELETE FROM ptb_conversations WHERE name = ? AND key = ?", (name, encoded_key)
            )
            return
        await self.db.execute(
            "INSERT INTO ptb_conversations (name, key, state) VALUES (?, ?, ?) "
            "ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
            (name, encoded_key, json.dumps(state)),
        )

    async def save_progress(
        self,
        user_id: int,
        data: bytes,
        conversation: tuple[str, tuple[str | int, ...], object] | None,
    ) -> None:
        """A user's data and, optionally, one conversation's state, in one transaction: a
        kill leaves both or neither."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO ptb_user_data (user_id, data) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                (user_id, data),
            )
            if conversation is not None:
                name, key, state = conversation
                await conn.execute(
                    "INSERT INTO ptb_conversations (name, key, state) VALUES (?, ?, ?) "
                    "ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                    (name, json.dumps(list(key)), json.dumps(state)),
                )
