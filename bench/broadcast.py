"""Benchmark: one broadcast to 10,000 recipients through the sandbox with Telegram's limits
enforced and 1% faults injected, while users chat with the bot.

Prints the achieved send rate against SEND_RATE (goal >= 95%), lost messages and duplicates
(goal 0 each), the p99 latency of direct replies to the chatting users (goal <= 1 s) and the
peak RSS of the process (bot and sandbox together).

``--timeouts N`` also makes N copies time out after arriving (Telegram's answer is lost); each
holds the outbox for its read timeout (``--send-timeout``, default PTB's 5 s). They must
arrive once and be counted "unknown", never sent twice.

    .venv/bin/python bench/broadcast.py [--recipients 10000] [--chatters 20] [--timeouts 0]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.runtime.local import LocalBot
from bot.services.broadcasts import Draft
from sandbox import Sandbox
from storage.broadcasts import EVERYONE, Audience
from tests.support.harness import bot_settings

ORGANISER = 1
TEXT = "📣 The forum opens in one hour: https://example.org/live"


async def chatter(sandbox: Sandbox, user_id: int, stop: asyncio.Event, out: list[float]) -> None:
    user = sandbox.user(user_id, f"Chatter{user_id}")
    rng = random.Random(user_id)
    while not stop.is_set():
        began = time.monotonic()
        await user.send("/help")
        await user.expect("Commands", timeout=30)
        out.append(time.monotonic() - began)
        await asyncio.sleep(rng.uniform(2.0, 6.0))


async def run(
    recipients: int, chatters: int, rate: float, timeouts: int, send_timeout: float | None
) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as folder:
        async with Sandbox(enforce_rate_limits=True) as sandbox:
            settings = bot_settings(
                sandbox,
                Path(folder) / "bench.db",
                admin_ids=frozenset({ORGANISER}),
                log_level="WARNING",
                send_rate=rate,
            )
            bot = LocalBot(settings)
            await bot.start()
            services = bot.services
            organiser = sandbox.user(ORGANISER, "Organiser")
            await organiser.send(TEXT)
            await organiser.expect("not sure")
            source = max(sandbox._chats[ORGANISER].incoming)
            ids = list(range(1_000_000, 1_000_000 + recipients))
            stamp = services.clock.now().isoformat()
            await services.db.executemany(
                "INSERT INTO users (telegram_id, first_name, first_seen, last_seen) "
                "VALUES (?, 'R', ?, ?)",
                [(uid, stamp, stamp) for uid in ids],
            )
            for uid in ids:
                sandbox.user(uid, "R")
                sandbox._chats[uid].known = True
            # 1% faults: half blocked for good, half a 5xx once (retried); plus a global 429
            # (retry_after 1 s) every ~80 s, as Telegram's flood control would answer.
            rng = random.Random(7)
            faulty = rng.sample(ids, max(1, recipients // 100))
            blocked = set(faulty[::4])
            for n, uid in enumerate(faulty):
                kind = ("blocked", "server_error", "bad_gateway", "server_error")[n % 4]
                sandbox.inject(kind, chat_id=uid, count=-1 if kind == "blocked" else 1)
            unfaulted = set(ids) - set(faulty)
            healthy = [uid for uid in ids if uid in unfaulted]
            for uid in rng.sample(healthy, min(timeouts, len(healthy))):
                sandbox.inject("timeout", chat_id=uid, delay=60, methods=("copyMessage",))
            bot.sender.send_timeout = send_timeout
            broadcaster = services.broadcasts
            record = await broadcaster.create(
                ORGANISER, Draft(ORGANISER, source, "bench"), Audience(EVERYONE)
            )
            stop = asyncio.Event()
            latencies: list[float] = []
            tasks = [
                asyncio.create_task(chatter(sandbox, 10 + i, stop, latencies))
                for i in range(chatters)
            ]

            async def flood() -> None:
                while not stop.is_set():
                    await asyncio.sleep(80)
                    sandbox.inject("retry_after", retry_after=1, count=1)

            tasks.append(asyncio.create_task(flood()))
            calls_before = len(sandbox.calls)
            began = time.monotonic()
            await broadcaster.start(record.id)
            while True:
                current = await services.broadcasts.get(record.id)
                if current is not None and current.state == "done":
                    break
                await asyncio.sleep(0.5)
            elapsed = time.monotonic() - began
            stop.set()
            tasks[-1].cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            copies = [c for c in sandbox.calls[calls_before:] if c.method == "copyMessage" and c.ok]
            first, last = copies[0].time, copies[-1].time
            counts = await services.broadcasts.delivery(record.id)
            too_many = sum(1 for c in sandbox.calls[calls_before:] if c.error and c.error[0] == 429)
            lost = duplicates = 0
            for uid in ids:
                got = [m.text for m in sandbox.messages(uid)].count(TEXT)
                if uid not in blocked and got == 0:
                    lost += 1
                duplicates += max(0, got - 1)
            await bot.stop()
    achieved = (len(copies) - 1) / (last - first) if last > first else 0.0
    lat = sorted(latencies)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"recipients           {recipients} ({len(blocked)} blocked, {len(faulty)} faulty)")
    print(f"broadcast took       {elapsed:.1f} s; outbox states {counts}")
    print(
        f"achieved rate        {achieved:.2f} msg/s of SEND_RATE {rate:g} ({achieved / rate:.1%})"
    )
    print(f"lost messages        {lost}")
    print(f"duplicates           {duplicates}")
    print(f"timed out (unknown)  {counts.get('unknown', 0)} of {timeouts} injected; not re-sent")
    print(
        f"sandbox max 1 s      {sandbox.max_sends_per_second()} sends (limit 30); "
        f"429 answers {too_many} (flood control injected every 80 s)"
    )
    print(
        f"direct replies       {len(lat)} during the broadcast; p50 "
        f"{statistics.median(lat) if lat else float('nan'):.3f} s, p99 {p99:.3f} s, "
        f"max {max(lat) if lat else float('nan'):.3f} s"
    )
    print(f"peak RSS             {rss_mb:.0f} MB (bot and sandbox in one process)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--chatters", type=int, default=10)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--timeouts", type=int, default=0)
    parser.add_argument("--send-timeout", type=float, default=None)
    args = parser.parse_args()
    asyncio.run(run(args.recipients, args.chatters, args.rate, args.timeouts, args.send_timeout))


if __name__ == "__main__":
    main()
