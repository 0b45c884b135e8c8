"""Plain data kept by the sandbox: what the bot sent (``SentMessage``), every call it made
(``ApiCall``), stored files, known chats, and the ``ApiError`` that becomes an error response."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LOCAL_HOSTS", "ApiCall", "ApiError", "ChatState", "SentMessage", "StoredFile"]

# The only hosts the sandbox ever sends a request to (webhook deliveries).
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": code, "description": ...}``."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """400 with ``"Bad Request: " + reason``."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class ApiCall:
    """One Bot API call made by the bot. ``params`` are decoded (ints, bools, parsed JSON)."""

    method: str
    params: dict[str, Any]
    time: float
    result: Any = None
    error: tuple[int, str] | None = None
    done: bool = False

    @property
    def ok(self) -> bool:
        return self.done and self.error is None


@dataclass
class StoredFile:
    """A file known to the sandbox (uploaded by a user or by the bot)."""

    file_id: str
    file_unique_id: str
    file_path: str
    filename: str
    content: bytes
    mime_type: str

    def file_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }

    def document_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.filename,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }

    def photo_json(self) -> list[dict[str, Any]]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": len(self.content),
                "width": 640,
                "height": 480,
            }
        ]


@dataclass
class SentMessage:
    """A message the bot sent, reflecting its current state after edits/deletion."""

    message_id: int
    chat_id: int
    text: str | None  # text, or caption for media
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "text"  # "text" | "document" | "photo" | "other"
    filename: str | None = None
    content: bytes | None = None
    file_id: str | None = None
    raw_text: str | None = None  # text exactly as the bot sent it (before entity parsing)
    edits: list[str | None] = field(default_factory=list)  # previous texts, oldest first
    deleted: bool = False
    date: int = field(default_factory=lambda: int(time.time()))
    edit_date: int | None = None
    version: int = 0  # sandbox-wide change sequence number of the last change
    received_at: float = field(default_factory=time.monotonic)  # when the sandbox got it
    extra: dict[str, Any] = field(default_factory=dict)  # other content fields (sticker, ...)

    @property
    def caption(self) -> str | None:
        return self.text if self.kind != "text" else None

    def buttons(self) -> list[list[str]]:
        """Texts of the inline (or reply) keyboard buttons, row by row."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or self.reply_markup.get("keyboard") or []
        return [[b["text"] if isinstance(b, dict) else str(b) for b in row] for row in rows]

    def button_data(self) -> dict[str, str]:
        """Inline button text -> callback_data (buttons without callback_data are left out)."""
        if not self.reply_markup:
            return {}
        return {
            b["text"]: b["callback_data"]
            for row in self.reply_markup.get("inline_keyboard") or []
            for b in row
            if isinstance(b, dict) and "callback_data" in b
        }

    def to_json(self) -> dict[str, Any]:
        """A compact JSON view (used by the control API)."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "kind": self.kind,
            "text": self.text,
            "parse_mode": self.parse_mode,
            "buttons": self.buttons(),
            "button_data": self.button_data(),
            "filename": self.filename,
            "size": len(self.content) if self.content is not None else None,
            "edits": self.edits,
            "deleted": self.deleted,
            "date": self.date,
        }

    def describe(self) -> str:
        """One transcript line."""
        flags = ""
        if self.edits:
            flags += f" (edited x{len(self.edits)})"
        if self.deleted:
            flags += " (deleted)"
        head = f"#{self.message_id} [{self.kind}]"
        if self.filename:
            head += f" {self.filename}"
        line = f"{head}{flags}: {self.text!r}"
        if self.buttons():
            line += f" buttons={self.buttons()}"
        return line


@dataclass
class ChatState:
    """A chat the sandbox knows about (private chat id == user id, groups negative)."""

    chat: dict[str, Any]  # Telegram Chat object
    user: dict[str, Any] | None = None  # Telegram User object for private chats
    known: bool = False  # the chat has written to the bot, so the bot may send to it
    blocked: bool = False
    next_message_id: int = 1
    sent: list[SentMessage] = field(default_factory=list)
    by_id: dict[int, SentMessage] = field(default_factory=dict)
    incoming: dict[int, dict[str, Any]] = field(default_factory=dict)  # user messages by id

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    def new_message_id(self) -> int:
        mid = self.next_message_id
        self.next_message_id += 1
        return mid


# What a test waits for: a substring of the text or caption, a regex, or a predicate.
Matcher = str | re.Pattern[str] | Callable[[SentMessage], bool]
