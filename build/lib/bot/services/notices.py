"""The one path for messages to other people: a service says *what* happened and *who*
should hear it; the outbox keeps it; the handlers' renderer turns it into text and buttons in
each recipient's language when it is sent.

A notice is a kind (``"intro_request"``) and a small JSON-able dict of data — ids and values,
not sentences — so that the text is rendered in the reader's language at sending time, with
fresh data (a company renamed or erased meanwhile is shown as it is then), and so that no
personal data is copied into the outbox. Delivery, pacing, retries and dedupe are the
outbox's (``bot.runtime.outbox``); rendering is ``handlers.notifications``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.outbox import PRIORITY_NORMAL, NewMessage, OutboxRepository

# The outbox row's method for a notice: the sender renders it before it calls the Bot API.
NOTICE_METHOD = "notice"
JSONScalar = str | int | float | bool | None


@dataclass(frozen=True)
class Notice:
    """What happened, for one recipient: its kind and the data the renderer needs."""

    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Delivery:
    """A notice addressed to one chat, with the key that makes a second enqueue harmless."""

    chat_id: int
    notice: Notice
    dedupe_key: str
    priority: int = PRIORITY_NORMAL
    not_before: datetime | None = None
    broadcast_id: int | None = None


class Notifier:
    """Queues notices in the outbox and wakes the sender."""

    def __init__(
        self,
        outbox: OutboxRepository,
        now: Callable[[], datetime],
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.outbox = outbox
        self.now = now
        self.wake = wake

    async def enqueue(self, messages: list[NewMessage]) -> int:
        """Queue ready-made Bot API calls (a broadcast's copies); returns how many were new."""
        if not messages:
            return 0
        added = await self.outbox.enqueue(messages, now=self.now())
        if added:
            self.wake()
        return added

    async def send(self, deliveries: Iterable[Delivery]) -> int:
        """Queue the deliveries; returns how many were new (dedupe keys already seen are
        skipped)."""
        messages = [
            NewMessage(
                chat_id=d.chat_id,
                dedupe_key=d.dedupe_key,
                kind=d.notice.kind,
                payload={"data": dict(d.notice.data)},
                method=NOTICE_METHOD,
                not_before=d.not_before,
                priority=d.priority,
                broadcast_id=d.broadcast_id,
            )
            for d in deliveries
        ]
        return await self.enqueue(messages)

    async def tell(
        self,
        chat_ids: Iterable[int],
        kind: str,
        data: Mapping[str, Any],
        *,
        key: str,
        priority: int = PRIORITY_NORMAL,
        not_before: datetime | None = None,
    ) -> int:
        """The same notice to several chats; ``key`` is the dedupe key's stem (the chat id
        is appended)."""
        notice = Notice(kind, data)
        return await self.send(
            Delivery(chat, notice, f"{key}:{chat}", priority, not_before) for chat in chat_ids
        )
