"""Update throughput through the sandbox: the stock PTB echo bot (httpx, sequential, PTB's
defaults) against an echo bot and ForumBridge's /start path on the aiohttp transport (and on
httpx), and the per-chat update processor against sequential processing on a slow network.

    .venv/bin/python bench/throughput.py [--updates N] [--users M] [--concurrency C]

Each configuration runs in its own subprocess so that peak RSS is its own; bot and sandbox
share that process, as they share the event loop. Open loop: every simulated user sends its
share of messages at once; latency is from the moment the sandbox queued an update to the
moment the bot's reply reached it. "CPU ms/upd" is the process's CPU time (bot, sandbox,
SQLite thread) per update while measuring. AIORateLimiter is off here: it caps sending at
Telegram's 30 messages/s, and this measures what the process can handle.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu_seconds() -> float:
    """CPU time of this process (bot, sandbox and SQLite thread), user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _measure(
    kind: str, transport: str, updates: int, users: int, latency: float, concurrency: int
) -> dict[str, Any]:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from bot.runtime.local import LocalBot
    from bot.runtime.processor import PerChatOrderedProcessor
    from bot.runtime.transport import build_requests
    from sandbox import Sandbox
    from tests.support.harness import bot_settings

    per_user = max(1, updates // users)
    total = per_user * users
    async with Sandbox(latency=0.0) as sandbox:
        with tempfile.TemporaryDirectory() as folder:
            settings = bot_settings(sandbox, Path(folder) / "bench.db", log_level="WARNING")
            if kind == "echo":

                async def echo(update: Update, context: Any) -> None:
                    assert update.effective_chat and update.effective_message
                    await update.effective_chat.send_message(update.effective_message.text or "")

                builder = (
                    ApplicationBuilder()
                    .token(settings.bot_token)
                    .base_url(settings.base_url)
                    .base_file_url(settings.base_file_url)
                )
                if transport != "stock":
                    # The bot's own pair of requests (bot/transport.py), without the bot.
                    replies, updates_request = build_requests(
                        replace(settings, http_transport=transport), concurrency
                    )
                    builder = builder.request(replies).get_updates_request(updates_request)
                if concurrency > 1:
                    builder = builder.concurrent_updates(PerChatOrderedProcessor(concurrency))
                app = builder.build()
                app.add_handler(MessageHandler(filters.ALL, echo))
                await app.initialize()
                assert app.updater
                await app.updater.start_polling(poll_interval=0.0, timeout=1)
                await app.start()
                stop = app.stop
                shutdown = app.shutdown
                updater_stop = app.updater.stop
            else:
                bot = LocalBot(
                    replace(settings, http_transport=transport),
                    rate_limiter=False,
                    max_concurrent_updates=concurrency,
                )
                app = await bot.start()
                assert app.updater
                updater_stop = app.updater.stop
                stop = app.stop
                shutdown = app.shutdown

            for u in range(users):
                sandbox.user(100_000 + u, f"User{u}")
            # warm-up: every user once, so both bots start from the same state
            await asyncio.gather(*(sandbox.send_text(100_000 + u, "/start") for u in range(users)))
            await sandbox.wait_idle(quiet=0.3, timeout=60)
            sandbox.latency = latency
            baseline = {u: len(sandbox.messages(100_000 + u)) for u in range(users)}
            sent_at: dict[int, list[float]] = {u: [] for u in range(users)}

            started = time.monotonic()
            cpu_before = _cpu_seconds()
            for _ in range(per_user):
                for u in range(users):
                    sent_at[u].append(time.monotonic())
                    await sandbox.send_text(100_000 + u, "/start")
            deadline = started + 600
            while time.monotonic() < deadline:
                done = sum(len(sandbox.messages(100_000 + u)) - baseline[u] for u in range(users))
                if done >= total:
                    break
                await asyncio.sleep(0.01)
            finished = time.monotonic()
            cpu = _cpu_seconds() - cpu_before
            latencies: list[float] = []
            for u in range(users):
                replies = sandbox.messages(100_000 + u)[baseline[u] :]
                for sent, msg in zip(sent_at[u], replies, strict=False):
                    latencies.append(msg.received_at - sent)
            sandbox.latency = 0.0
            await updater_stop()
            await stop()
            await shutdown()
            if kind != "echo":
                await bot.db.close() if bot.db else None  # type: ignore[func-returns-value]
    latencies.sort()
    return {
        "updates": total,
        "rate": total / (finished - started),
        "cpu_ms": cpu / total * 1000,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_child(
    kind: str, transport: str, updates: int, users: int, latency: float, concurrency: int
) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--transport",
            transport,
            "--updates",
            str(updates),
            "--users",
            str(users),
            "--latency",
            str(latency),
            "--concurrency",
            str(concurrency),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--child", choices=["echo", "bot"])
    parser.add_argument("--transport", choices=["stock", "aiohttp", "httpx"], default="aiohttp")
    args = parser.parse_args()
    if args.child:
        result = asyncio.run(
            _measure(
                args.child,
                args.transport,
                args.updates,
                args.users,
                args.latency,
                args.concurrency,
            )
        )
        print(json.dumps(result))
        return

    row = "{:<52} {:>8} {:>10} {:>10} {:>9} {:>9} {:>7}"
    print(
        row.format(
            "configuration", "updates", "updates/s", "CPU ms/upd", "p50 ms", "p99 ms", "RSS MB"
        )
    )

    def show(label: str, r: dict[str, Any]) -> None:
        print(
            row.format(
                label,
                r["updates"],
                f"{r['rate']:.0f}",
                f"{r['cpu_ms']:.2f}",
                f"{r['p50']:.1f}",
                f"{r['p99']:.1f}",
                f"{r['rss_mb']:.0f}",
            )
        )

    n, users, c = args.updates, args.users, args.concurrency
    stock = _run_child("echo", "stock", n, users, 0.0, 1)
    show("(a) stock PTB echo (httpx, sequential, PTB defaults)", stock)
    echo = _run_child("echo", "aiohttp", n, users, 0.0, 1)
    show("(b) echo, aiohttp transport, sequential", echo)
    own = _run_child("bot", "aiohttp", n, users, 0.0, c)
    show(f"(c) ForumBridge /start, aiohttp, processor ({c})", own)
    own_httpx = _run_child("bot", "httpx", n, users, 0.0, c)
    show(f"(d) ForumBridge /start, httpx, processor ({c})", own_httpx)

    def ratio(label: str, x: dict[str, Any], y: dict[str, Any], goal: str = "") -> None:
        # updates/s, and the same from CPU per update (what a dedicated core would give):
        # the machine is shared, so the second moves less with other processes' load.
        print(
            f"ratio {label:<34} {x['rate'] / y['rate']:5.2f}x updates/s, "
            f"{y['cpu_ms'] / x['cpu_ms']:5.2f}x by CPU per update {goal}"
        )

    ratio("(b)/(a) transport alone:", echo, stock)
    ratio("(c)/(a) ForumBridge vs stock echo:", own, stock, "(goal >= 2.0x)")
    ratio("(c)/(d) aiohttp vs httpx:", own, own_httpx)

    slow_updates = max(200, n // 5)
    seq = _run_child("bot", "aiohttp", slow_updates // 4, users, 0.1, 1)
    show("(e) 100 ms API latency, aiohttp, sequential", seq)
    par = _run_child("bot", "aiohttp", slow_updates, users, 0.1, c)
    show(f"(f) 100 ms API latency, aiohttp, processor ({c})", par)
    print(f"ratio (f)/(e): {par['rate'] / seq['rate']:.1f}x  (goal >= 25x)")


if __name__ == "__main__":
    main()
