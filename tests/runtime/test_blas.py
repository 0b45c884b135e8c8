"""While the bot runs, numpy's BLAS works on one thread (bot/runtime/blas.py): the index's
builds leave the event loop a core; once the last bot in the process stops, BLAS has the
threads it had."""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits

from sandbox import Sandbox
from tests.support.harness import BotHarness


def blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


async def test_a_running_bot_keeps_blas_on_one_thread_and_stop_gives_them_back(
    sandbox: Sandbox, harness: BotHarness
) -> None:
    with threadpool_limits(limits=2, user_api="blas"):
        assert blas_threads() == {2}
        await harness.start()
        try:
            assert blas_threads() == {1}
            user = sandbox.user(7311, "Ana")
            await user.send("/start")
            await user.expect("Welcome")
        finally:
            await harness.stop()
        assert blas_threads() == {2}
