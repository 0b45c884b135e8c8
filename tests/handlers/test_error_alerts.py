"""Unhandled errors reach the organisers' chats: with a trace id that is also in the log, at
most once per distinct error per ten minutes (on the FakeClock), and with no message text."""

from __future__ import annotations

import logging
import re

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.clock import FakeClock
from sandbox import Sandbox, SentMessage
from tests.support.flows import answer
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import rep


def _alerts(organiser_messages: list[SentMessage]) -> list[str]:
    return [m.text or "" for m in organiser_messages if "Unhandled error" in (m.text or "")]


async def test_alert_with_trace_id_throttled_per_distinct_error(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(update: Update, context: object) -> None:
        raise RuntimeError("ana@example.ro broke it")  # a message with personal data

    async def other(update: Update, context: object) -> None:
        raise KeyError("another")

    assert fb.app is not None
    fb.app.add_handler(CommandHandler("boom", boom), group=-1)
    fb.app.add_handler(CommandHandler("other", other), group=-1)
    caplog.set_level(logging.ERROR, logger="handlers.errors")
    organiser = await rep(sandbox, ADMIN_ID, "Org")
    user = await rep(sandbox, 7001, "User")

    await user.send("/boom")
    first = await organiser.expect("Unhandled error")
    await user.expect("something went wrong")
    text = first.text or ""
    assert "RuntimeError" in text and "ana@example.ro" not in text
    trace = re.search(r"Trace id ([0-9a-f]{8})", text)
    assert trace is not None
    logged = [r for r in caplog.records if f"trace={trace.group(1)}" in r.getMessage()]
    assert len(logged) == 1 and "user=7001" in logged[0].getMessage()

    # The same error twice more within ten minutes: logged each time, told to nobody.
    for _ in range(2):
        await answer(user, "/boom", "something went wrong")
        clock.advance(minutes=4)
    # A different error is told at once.
    await user.send("/other")
    second = await organiser.expect("KeyError")
    await user.expect("something went wrong")
    assert len(_alerts(organiser.messages)) == 2
    assert len([r for r in caplog.records if "error=RuntimeError" in r.getMessage()]) == 3

    # Ten minutes after the first alert the same error is told again, with the count.
    clock.advance(minutes=2, seconds=1)
    await user.send("/boom")
    told = {first.message_id, second.message_id}
    third = await organiser.expect(
        lambda m: m.message_id not in told and "RuntimeError" in (m.text or "")
    )
    assert "2 more times since the last alert" in (third.text or "")
    assert len(_alerts(organiser.messages)) == 3
