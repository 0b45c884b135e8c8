"""PTB persistence backed by SQLite: conversations and user/chat data survive a restart.

The Application flushes changes every ``update_interval`` seconds; it is kept short (1 s) so
that a kill loses at most the last answer of a conversation. ``bot_data`` is not persisted:
it holds the process's live services (database, clock), built afresh at start-up.
"""

from __future__ import annotations

import pickle
from copy import deepcopy
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.persistence_store import PersistenceStore

UPDATE_INTERVAL_SECONDS = 1.0
UserData = dict[Any, Any]


class SQLitePersistence(BasePersistence[UserData, UserData, UserData]):
    def __init__(
        self, store: PersistenceStore, update_interval: float = UPDATE_INTERVAL_SECONDS
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=True),
            update_interval=update_interval,
        )
        self.store = store
        self._conversations: dict[str, ConversationDict] = {}
        # What each row holds now: PTB hands over every user who had an update, changed or
        # not, each interval, and most updates change nothing worth a write.
        self._written: dict[tuple[str, int], bytes] = {}

    async def _load(self, kind: str) -> dict[int, UserData]:
        blobs = await self.store.load_blobs(kind)
        self._written.update({(kind, k): v for k, v in blobs.items()})
        return {k: pickle.loads(v) for k, v in blobs.items()}

    async def _save(self, kind: str, key: int, data: UserData) -> None:
        blob = pickle.dumps(data)
        if self._written.get((kind, key)) == blob:
            return
        await self.store.save_blob(kind, key, blob)
        self._written[(kind, key)] = blob

    async def _drop(self, kind: str, key: int) -> None:
        self._written.pop((kind, key), None)
        await self.store.drop_blob(kind, key)

    async def get_user_data(self) -> dict[int, UserData]:
        return await self._load("user")

    async def get_chat_data(self) -> dict[int, UserData]:
        return await self._load("chat")

    async def get_bot_data(self) -> UserData:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        blob = await self.store.load_singleton("callback")
        return pickle.loads(blob) if blob else None

    async def get_conversations(self, name: str) -> ConversationDict:
        if name not in self._conversations:
            self._conversations[name] = await self.store.load_conversations(name)
        return deepcopy(self._conversations[name])

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        known = self._conversations.setdefault(name, {})
        if known.get(key) == new_state and (new_state is not None or key not in known):
            return
        if new_state is None:
            known.pop(key, None)
        else:
            known[key] = new_state
        await self.store.save_conversation(name, key, new_state)

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        await self._save("user", user_id, data)

    async def update_chat_data(self, chat_id: int, data: UserData) -> None:
        await self._save("chat", chat_id, data)

    async def update_bot_data(self, data: UserData) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        await self.store.save_singleton("callback", pickle.dumps(data))

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._drop("chat", chat_id)

    async def drop_user_data(self, user_id: int) -> None:
        await self._drop("user", user_id)

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: UserData) -> None:
        return None

    async def refresh_bot_data(self, bot_data: UserData) -> None:
        return None

    async def flush(self) -> None:
        # Every update_* call above writes through at once; nothing is buffered here.
        return None
