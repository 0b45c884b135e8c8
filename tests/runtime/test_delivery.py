"""The rules for a failed send: which 400s are about the recipient, and which failures may
have delivered the message (so it must not be sent again)."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.runtime.delivery import may_have_arrived, recipient_gone


def caused(exc: Exception, cause: BaseException | None) -> Exception:
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("description", "gone"),
    [
        ("Bad Request: chat not found", True),
        ("Bad Request: PEER_ID_INVALID", True),
        ("Bad Request: have no rights to send a message", True),
        ("Bad Request: user is deactivated", True),
        ("Bad Request: can't parse entities: Can't find end tag", False),
        ("Bad Request: message is too long", False),
        ("Bad Request: message to copy not found", False),
    ],
)
def test_recipient_gone(description: str, gone: bool) -> None:
    assert recipient_gone(description) is gone
    assert recipient_gone(BadRequest(description).message) is gone  # PTB's capitalised text


@pytest.mark.parametrize(
    ("exc", "arrived"),
    [
        (caused(TimedOut(), httpx.ReadTimeout("read")), True),
        (caused(TimedOut(), None), True),
        (
            caused(NetworkError("httpx.RemoteProtocolError: gone"), httpx.RemoteProtocolError("x")),
            True,
        ),
        (caused(NetworkError("httpx.ReadError: reset"), httpx.ReadError("x")), True),
        (caused(TimedOut(), httpx.ConnectTimeout("connect")), False),
        (caused(TimedOut("Pool timeout"), httpx.PoolTimeout("pool")), False),
        (caused(TimedOut(), httpx.WriteTimeout("write")), False),
        (caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("x")), False),
        (NetworkError("Internal Server Error (500)"), False),
        (NetworkError("Bad Gateway"), False),
        (BadRequest("Bad Request: chat not found"), False),
        (RuntimeError("bug"), False),
    ],
)
def test_may_have_arrived(exc: Exception, arrived: bool) -> None:
    assert may_have_arrived(exc) is arrived
