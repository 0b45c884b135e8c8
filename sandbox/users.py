"""``SandboxUser``: a thin handle to act as one Telegram user against the sandbox and to read
the chat like a conversation (``send`` / ``press`` / ``expect``)."""

from __future__ import annotations

from typing import Any, Protocol

from .state import Matcher, SentMessage


class Sandbox(Protocol):
    """What a user handle needs of the sandbox server (``server.Sandbox`` provides it)."""

    async def send_text(self, user_id: int, text: str) -> dict[str, Any]: ...
    async def send_message(self, user_id: int, **fields: Any) -> dict[str, Any]: ...
    async def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "text/csv",
    ) -> dict[str, Any]: ...
    async def press(
        self, user_id: int, button: str, *, message_id: int | None = None
    ) -> dict[str, Any]: ...
    async def press_data(self, user_id: int, message_id: int, data: str) -> dict[str, Any]: ...
    async def block(self, user_id: int) -> None: ...
    async def unblock(self, user_id: int) -> None: ...
    def messages(self, user_id: int) -> list[SentMessage]: ...
    def transcript(self, user_id: int) -> str: ...
    async def _wait_message(
        self,
        chat_id: int,
        match: Matcher,
        *,
        timeout: float,  # noqa: ASYNC109
        after: int,
        edited_since: int,
        what: str,
    ) -> SentMessage: ...


__all__ = ["SandboxUser"]


class SandboxUser:
    """One user (private chat id == user id). ``expect`` waits for a message or edit that
    appeared after this user's last action (send, press, upload, block)."""

    def __init__(self, sandbox: Sandbox, user_id: int) -> None:
        self.sandbox = sandbox
        self.id = user_id
        self._cursor_index = 0
        self._cursor_version = 0

    def __repr__(self) -> str:
        return f"SandboxUser(id={self.id})"

    def mark(self, index: int, version: int) -> None:
        """Move the cursor: later ``expect`` calls look at messages from ``index`` on, and at
        older messages edited after sandbox change number ``version``."""
        self._cursor_index = index
        self._cursor_version = version

    async def send(self, text: str) -> dict[str, Any]:
        return await self.sandbox.send_text(self.id, text)

    async def send_message(self, **fields: Any) -> dict[str, Any]:
        return await self.sandbox.send_message(self.id, **fields)

    async def send_document(
        self,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "text/csv",
    ) -> dict[str, Any]:
        return await self.sandbox.send_document(
            self.id, filename, content, caption=caption, mime_type=mime_type
        )

    async def press(self, button: str, *, message_id: int | None = None) -> dict[str, Any]:
        return await self.sandbox.press(self.id, button, message_id=message_id)

    async def press_data(self, message_id: int, data: str) -> dict[str, Any]:
        return await self.sandbox.press_data(self.id, message_id, data)

    async def block(self) -> None:
        await self.sandbox.block(self.id)

    async def unblock(self) -> None:
        await self.sandbox.unblock(self.id)

    @property
    def messages(self) -> list[SentMessage]:
        return self.sandbox.messages(self.id)

    @property
    def last(self) -> SentMessage | None:
        msgs = self.messages
        return msgs[-1] if msgs else None

    @property
    def transcript(self) -> str:
        return self.sandbox.transcript(self.id)

    async def expect(self, match: Matcher, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """Wait for a message sent, or edited, since this user's last action that matches
        ``match`` (substring of text/caption, compiled regex, or predicate)."""
        return await self.sandbox._wait_message(
            self.id,
            match,
            timeout=timeout,
            after=self._cursor_index,
            edited_since=self._cursor_version,
            what="a new message or edit",
        )
