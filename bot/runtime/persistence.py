"""PTB persistence backed by SQLite: conversations and user/chat data survive a restart.

The Application flushes changes every ``update_interval`` seconds (1 s). A conversation in
progress does not wait for that: ``save_progress`` writes the user's data and the
conversation's state at once, before the bot asks its next question, so a kill at any moment
after a question was sent keeps the answer that led to it. It also stamps the data with this
run's id, so that after a restart the bot can tell a conversation lost in the restart from a
user who never started one (``lost_progress``). ``bot_data`` is not persisted: it holds the
process's live services (database, clock), built afresh at start-up.

An empty user or chat dict is not stored (a row that held data goes instead). PTB hands
over the data of every user and chat seen since the last flush, and after /deleteme it
would otherwise write an empty row back for the person just erased; :func:`forget` drops
what the running Application still holds about them.
"""

from __future__ import annotations

import pickle
import secrets
from copy import deepcopy
from typing import Any

from telegram.ext import Application, BasePersistence, PersistenceInput

from storage.persistence_store import PersistenceStore

UPDATE_INTERVAL_SECONDS = 1.0
UserData = dict[Any, Any]
# The shapes BasePersistence uses (PTB keeps its own aliases private).
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]
# In a user's data while a conversation saved by save_progress is open: {"seq": how many
# saves, "run": the run that made the last one, "draft": the key of the conversation's own
# data (gone once the conversation ends), "resume": the command that continues it}.
PROGRESS = "_progress"


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
        # A new id per start of the bot: data stamped with another one was saved before a restart.
        self.run_id = secrets.token_hex(8)
        # Per user, the PROGRESS seq of the last save_progress; per conversation key, the state
        # it wrote. PTB's flush hands over copies taken up to an interval earlier: an older one
        # must not overwrite what save_progress has just written.
        self._saved_seq: dict[int, int] = {}
        self._saved_state: dict[tuple[str, ConversationKey], object] = {}

    async def _load(self, kind: str) -> dict[int, UserData]:
        blobs = await self.store.load_blobs(kind)
        self._written.update({(kind, k): v for k, v in blobs.items()})
        return {k: pickle.loads(v) for k, v in blobs.items()}

    async def _save(self, kind: str, key: int, data: UserData) -> None:
        if not data:
            if (kind, key) in self._written:
                await self._drop(kind, key)
            return
        blob = pickle.dumps(data)
        if self._written.get((kind, key)) == blob:
            return
        await self.store.save_blob(kind, key, blob)
        self._written[(kind, key)] = blob

    async def _drop(self, kind: str, key: int) -> None:
        self._written.pop((kind, key), None)
        if kind == "user":
            self._saved_seq.pop(key, None)
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
        saved = self._saved_state.get((name, key))
        if new_state is not None and saved is not None and new_state != saved:
            # Every state of such a conversation is written by save_progress before PTB has
            # it, so another one here is a copy from before the last save.
            return
        if new_state is None:
            self._saved_state.pop((name, key), None)
        if new_state is None:
            known.pop(key, None)
        else:
            known[key] = new_state
        await self.store.save_conversation(name, key, new_state)

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        progress = data.get(PROGRESS)
        seq = progress.get("seq", 0) if isinstance(progress, dict) else 0
        if seq < self._saved_seq.get(user_id, 0):
            return  # copied before the last save_progress; writing it would go back in time
        await self._save("user", user_id, data)

    async def save_progress(
        self,
        user_id: int,
        data: UserData,
        conversation: tuple[str, ConversationKey, object] | None,
        *,
        draft: str,
        resume: str,
    ) -> None:
        """Write a user's data and (unless None) a conversation's state now, in one
        transaction.

        ``data`` is the live user_data; it gets the PROGRESS stamp. ``draft`` names the key
        of the conversation's data in it, ``resume`` the command that continues it.
        """
        previous = data.get(PROGRESS)
        seq = (previous.get("seq", 0) if isinstance(previous, dict) else 0) + 1
        data[PROGRESS] = {"seq": seq, "run": self.run_id, "draft": draft, "resume": resume}
        blob = pickle.dumps(data)
        # Noted before the write is awaited: a flush copy taken before the stamp, handed over
        # while this write waits for its group, is already too old to be written.
        self._saved_seq[user_id] = seq
        if conversation is not None:
            name, key, state = conversation
            self._conversations.setdefault(name, {})[key] = state
            self._saved_state[(name, key)] = state
        await self.store.save_progress(user_id, blob, conversation)
        self._written[("user", user_id)] = blob

    def lost_progress(self, data: UserData) -> str | None:
        """The command that resumes a conversation saved before this run started and still
        open (its draft is there) — or None: nothing was lost, or it was saved in this run."""
        progress = data.get(PROGRESS)
        if not isinstance(progress, dict) or progress.get("run") == self.run_id:
            return None
        if progress.get("draft") not in data:
            return None
        resume = progress.get("resume")
        return resume if isinstance(resume, str) else None

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

    def forget(self, user_id: int, chat_id: int | None) -> None:
        """Drop the in-memory copies of what was stored for a user and their chat (the rows
        themselves are deleted by the erasure's transaction)."""
        self._written.pop(("user", user_id), None)
        self._saved_seq.pop(user_id, None)
        if chat_id is not None:
            self._written.pop(("chat", chat_id), None)
        self.store.discard(user_id, chat_id)
        for states in self._conversations.values():
            for key in [k for k in states if user_id in k]:
                del states[key]

    async def flush(self) -> None:
        # Every update_* call above writes through at once; nothing is buffered here.
        return None


def forget(
    app: Application[Any, Any, Any, Any, Any, Any], user_id: int, chat_id: int | None
) -> None:
    """Make the running Application forget a user, so nothing it holds in memory is written
    back after an erasure: their user data, their chat's data, their place in every
    conversation, and this persistence's own copies.

    PTB has no public way to end another update's conversation; its per-conversation state
    dicts are reachable only through this attribute. Popping a key there also deletes it
    from the persistence at the next flush.
    """
    app.drop_user_data(user_id)
    if chat_id is not None:
        app.drop_chat_data(chat_id)
    conversations = getattr(app, "_conversation_handler_conversations", {})
    for states in conversations.values():
        for key in [k for k in list(states) if user_id in k]:
            states.pop(key, None)
    if isinstance(app.persistence, SQLitePersistence):
        app.persistence.forget(user_id, chat_id)
