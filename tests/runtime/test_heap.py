"""While the bot runs, what start-up built is left out of the garbage collector's scans and
young objects are collected less often (bot/runtime/heap.py); once the last bot running in
the process stops, the collector is as it was."""

from __future__ import annotations

import gc

from bot.runtime.heap import YOUNG_THRESHOLD
from sandbox import Sandbox
from tests.support.harness import BotHarness


async def test_a_running_bot_freezes_its_start_up_heap_and_stop_undoes_it(
    sandbox: Sandbox, harness: BotHarness
) -> None:
    before = gc.get_threshold()
    await harness.start()
    try:
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
        user = sandbox.user(7301, "Ana")
        await user.send("/start")
        await user.expect("Welcome")
    finally:
        await harness.stop()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
