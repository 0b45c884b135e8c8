"""The one notification path: a service queues a notice (kind + data), the outbox keeps it,
and it is rendered for its recipient when it is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.container import Services
from bot.services.notices import NOTICE_METHOD, Delivery, Notice
from handlers.i18n import Texts
from handlers.notifications import Rendered, renderer
from sandbox import Sandbox
from tests.support.flows import answer, started
from tests.support.harness import BotHarness

SEEN: list[tuple[str, Mapping[str, Any]]] = []


@renderer("test_greeting")
async def greeting(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    SEEN.append((tx.language, data))
    user = await services.users.get(int(data["about"]))
    if user is None:
        return None  # the person is gone (erased): nothing to say any more
    return Rendered(
        text=f"Hello from {tx.user(user.first_name)} ({tx.language})",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="x")]]),
    )


@renderer("test_broken")
async def broken(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    raise RuntimeError("a bug in a renderer")


async def settled(harness: BotHarness, expected: int) -> dict[str, int]:
    async with asyncio.timeout(10):
        while True:
            counts = await harness.services.outbox.counts()
            if counts["pending"] == 0 and sum(counts.values()) >= expected:
                return counts
            await asyncio.sleep(0.05)


async def test_a_notice_is_rendered_at_sending_time_for_its_reader(
    sandbox: Sandbox, running: BotHarness
) -> None:
    ana = sandbox.user(8701, "Ana <b>", language_code="ro")
    imran = sandbox.user(8702, "Imran", language_code="ur")
    for user in (ana, imran):
        await answer(user, "/start", "ForumBridge")
    notifier = running.services.notifier
    queued = await notifier.send(
        [
            Delivery(ana.id, Notice("test_greeting", {"about": imran.id}), "greet:1"),
            Delivery(imran.id, Notice("test_greeting", {"about": ana.id}), "greet:2"),
        ]
    )
    assert queued == 2
    # What the outbox keeps is the notice, not a text.
    rows = await running.services.outbox.rows(kind="test_greeting")
    assert {r.method for r in rows} == {NOTICE_METHOD}
    assert rows[0].payload == {"data": {"about": imran.id}}
    to_ana = await ana.expect("Hello from")
    to_imran = await imran.expect("Hello from")
    assert to_ana.text == "Hello from Imran (ro)"
    assert to_ana.buttons() == [["OK"]]
    # User text is escaped and, in right-to-left Urdu, isolated.
    assert to_imran.text == "Hello from \u2068Ana <b>\u2069 (ur)"
    assert (
        await notifier.send(
            [Delivery(ana.id, Notice("test_greeting", {"about": imran.id}), "greet:1")]
        )
        == 0
    )  # same dedupe key: not queued twice


async def test_a_notice_about_someone_gone_is_dropped_not_sent(
    sandbox: Sandbox, running: BotHarness
) -> None:
    ana = await started(sandbox, 8711, "Ana")
    await running.services.notifier.tell([ana.id], "test_greeting", {"about": 1}, key="gone")
    counts = await settled(running, 1)
    assert counts["cancelled"] == 1
    await sandbox.wait_idle()
    assert not [m for m in ana.messages if "Hello from" in (m.text or "")]


async def test_a_renderer_that_fails_ends_failed_and_the_queue_moves_on(
    sandbox: Sandbox, running: BotHarness
) -> None:
    ana = await started(sandbox, 8721, "Ana")
    running.sender.retry_base_seconds = 0.01
    notifier = running.services.notifier
    await notifier.tell([ana.id], "test_broken", {}, key="broken")
    await notifier.tell([ana.id], "test_greeting", {"about": ana.id}, key="after")
    await ana.expect("Hello from Ana")
    counts = await settled(running, 2)
    assert counts["failed"] == 1 and counts["sent"] == 1


async def test_an_edit_to_what_the_message_already_says_counts_as_sent(
    sandbox: Sandbox, running: BotHarness
) -> None:
    from storage.outbox import NewMessage

    ana = await started(sandbox, 8731, "Ana")
    notifier = running.services.notifier
    plain = {"text": "Progress: 3 of 3", "parse_mode": "HTML"}
    await notifier.enqueue([NewMessage(ana.id, "first", "test_edit", plain)])
    first = await ana.expect("Progress")
    edit = NewMessage(
        chat_id=ana.id,
        dedupe_key="same-text",
        kind="test_edit",
        method="editMessageText",
        payload={"message_id": first.message_id, **plain},
    )
    await notifier.enqueue([edit])
    counts = await settled(running, 2)
    assert counts["sent"] == 2 and counts["failed"] == 0
    (call,) = sandbox.calls_of("editMessageText")
    assert call.error is not None and "not modified" in call.error[1]
