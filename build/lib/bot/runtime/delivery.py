"""What a failed send means for its outbox row: the recipient is gone (give up now), the send
may have arrived (never send it again), or it did not arrive (retry with back-off).

Pure functions over PTB's exceptions; the outbox sender (bot/outbox.py) acts on them.

The rules, and why:

* 403 Forbidden (blocked, kicked, deactivated): the recipient is gone; handled by the sender
  before these functions are asked.
* A 400 naming the recipient ("chat not found", "user is deactivated", "PEER_ID_INVALID",
  no right to write to the chat, ...): it will not change by trying again, so the row is
  given up at once.
* Any other 400 ("can't parse entities", "message is too long", "message to copy not
  found", ...): most of these will fail the same way every time, but a 400 is also what
  Telegram answers now and then for a passing inconsistency on its side, and an
  introduction notice must not be lost to one. So they are retried a bounded number of times
  (``BAD_REQUEST_ATTEMPTS`` in bot/outbox.py) with back-off, and then given up. A content
  error on a broadcast thus costs a few extra calls per recipient, never an endless loop.
* A send whose request reached Telegram but whose answer never came back (a read timeout,
  or the connection dropped while waiting) may have been delivered: it is never sent again
  (at most once), and the row ends "unknown".
* Everything else that is not an answer from Telegram (could not connect, pool or connect
  timeout, write timeout: the request never fully left) and 5xx / 429 answers: Telegram did
  not take the message, so it is retried.
"""

from __future__ import annotations

import httpx
from telegram.error import NetworkError, TimedOut

# Lower-case fragments of 400 descriptions that are about the recipient, not the message.
RECIPIENT_GONE = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "user is deactivated",
    "chat is deactivated",
    "bot was blocked",
    "bot was kicked",
    "bot can't initiate conversation",
    "have no rights to send",
    "not enough rights to send",
    "chat_write_forbidden",
    "user_is_blocked",
)

# httpx failures where the request had not fully left us: Telegram cannot have acted on it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout)
# httpx failures after the whole request was written: Telegram may have acted on it.
_ANSWER_LOST = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


def recipient_gone(description: str) -> bool:
    """Whether a 400's description says the chat cannot be written to at all."""
    text = description.lower()
    return any(fragment in text for fragment in RECIPIENT_GONE)


def may_have_arrived(exc: BaseException) -> bool:
    """Whether a send that failed with ``exc`` might nevertheless have been delivered."""
    if not isinstance(exc, NetworkError):
        return False
    cause = exc.__cause__
    if isinstance(cause, _NOT_SENT):
        return False
    if isinstance(cause, _ANSWER_LOST):
        return True
    # A TimedOut with no transport error behind it: unknown where it stopped, so assume the
    # worst for duplicates. Other NetworkErrors carry Telegram's own answer (5xx, 502).
    return isinstance(exc, TimedOut)
