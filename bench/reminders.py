"""Reminder benchmark: 5,000 subscribers × 40 sessions × 3 lead times.

Prints the time to rebuild every reminder job at start-up, the time to enqueue one session's
5,000 reminders, and the lateness of delivered reminders against their due time (p50, p99)
with the outbox sender paced at 25 messages/s through the sandbox.

    .venv/bin/python bench/reminders.py [--users 5000] [--sessions 40] [--deliver 5000]

``--deliver N`` delivers one session's reminders to the first N subscribers only (at 25/s,
5,000 take 200 s; lateness grows linearly with the queue, so a smaller N gives a shorter
run and a smaller p99).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.runtime.local import LocalBot, local_settings
from sandbox import Sandbox
from storage.db import Database

LEADS = (1440, 60, 15)


async def populate(db: Database, users: int, sessions: int, now: datetime) -> list[int]:
    stamp = now.isoformat()
    first = now + timedelta(days=2)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (telegram_id, first_name, timezone, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    100_000 + i,
                    f"U{i}",
                    ("Europe/Bucharest", "Asia/Karachi", "Europe/London")[i % 3],
                    stamp,
                    stamp,
                )
                for i in range(users)
            ],
        )
        rows = []
        for s in range(sessions):
            start = first + timedelta(minutes=30 * s)
            rows.append(
                (
                    f"Session {s} <b>&</b>",
                    "Speaker",
                    start.isoformat(),
                    (start + timedelta(minutes=25)).isoformat(),
                    "https://forum.example.org/live",
                    stamp,
                )
            )
        await conn.executemany(
            "INSERT INTO agenda_sessions (title, speakers, starts_at, ends_at, link, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        ids = [
            int(r[0])
            for r in await (await conn.execute("SELECT id FROM agenda_sessions")).fetchall()
        ]
        await conn.executemany(
            "INSERT INTO agenda_subscriptions (user_id, session_id, created_at) VALUES (?, ?, ?)",
            [(100_000 + u, sid, stamp) for sid in ids for u in range(users)],
        )
        await conn.executemany(
            "INSERT INTO reminder_leads (user_id, minutes) VALUES (?, ?)",
            [(100_000 + u, lead) for u in range(users) for lead in LEADS],
        )
    return ids


async def main(users: int, sessions: int, deliver: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as folder:
        async with Sandbox() as sandbox:
            settings = local_settings(
                sandbox.token,
                sandbox.base_url,
                sandbox.base_file_url,
                Path(folder) / "bench.db",
                log_level="WARNING",
                send_rate=25.0,
            )
            db = await Database.open(settings.database_path)
            now = datetime.now(UTC)
            t0 = time.perf_counter()
            ids = await populate(db, users, sessions, now)
            await db.close()
            print(
                f"setup: {users} users × {len(ids)} sessions × {len(LEADS)} lead times "
                f"({users * len(ids)} subscriptions) in {time.perf_counter() - t0:.1f} s"
            )
            for u in range(users):
                sandbox.user(100_000 + u, f"U{u}")
                sandbox._chats[100_000 + u].known = True  # as if each had opened the bot

            bot = LocalBot(settings)
            t0 = time.perf_counter()
            await bot.start()  # includes the start-up rebuild
            startup = time.perf_counter() - t0
            planner = bot.services.reminders
            t0 = time.perf_counter()
            report = await planner.rebuild(late=True)
            rebuild = time.perf_counter() - t0
            print(
                f"rebuild all jobs at start-up: {rebuild * 1000:.0f} ms "
                f"({report.jobs} jobs for {report.sessions} sessions; goal ≤ 2 s); "
                f"whole bot start-up {startup:.2f} s"
            )

            services = bot.services
            await bot.sender.stop()  # measure enqueueing alone
            t0 = time.perf_counter()
            added = await planner.fire(ids[0], 15)
            enqueue = time.perf_counter() - t0
            print(
                f"enqueue one session's reminders: {added} rows in {enqueue * 1000:.0f} ms "
                "(goal ≤ 1 s)"
            )
            await services.agenda.cancel_pending_reminders(ids[0])

            # Lateness: one session whose 15-minute reminder falls due 2 s from now, fired by
            # its timer and drained by the sender at 25/s (each notice rendered as it goes).
            target = ids[1]
            if deliver < users:
                await db_keep_first(services.db, target, deliver)
            start = datetime.now(UTC) + timedelta(minutes=15, seconds=2)
            await services.db.execute(
                "UPDATE agenda_sessions SET starts_at = ?, ends_at = ? WHERE id = ?",
                (start.isoformat(), (start + timedelta(minutes=25)).isoformat(), target),
            )
            await planner.rebuild(late=False)
            due_mono = (
                time.monotonic()
                + (start - timedelta(minutes=15) - datetime.now(UTC)).total_seconds()
            )
            bot.sender.start()
            expected = min(deliver, users)
            t0 = time.perf_counter()
            while True:
                sent = [
                    c
                    for c in sandbox.calls_of("sendMessage")
                    if c.ok and "starts in" in str(c.params.get("text", ""))
                ]
                if len(sent) >= expected or time.perf_counter() - t0 > expected / 20 + 60:
                    break
                await asyncio.sleep(0.5)
            lateness = sorted(max(0.0, c.time - due_mono) for c in sent)
            if lateness:
                p50 = statistics.median(lateness)
                p99 = lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))]
                rate = len(lateness) / max(lateness[-1] - lateness[0], 1e-9)
                print(
                    f"delivered {len(lateness)}/{expected} reminders at {rate:.1f} msg/s; "
                    f"lateness vs due time: p50 {p50:.2f} s, p99 {p99:.2f} s, "
                    f"first {lateness[0]:.2f} s, max {lateness[-1]:.2f} s; "
                    f"max sends in any 1 s window: {sandbox.max_sends_per_second()}"
                )
            await bot.stop()


async def db_keep_first(db: Database, session_id: int, keep: int) -> None:
    """Only the first ``keep`` users stay subscribed to the delivered session."""
    await db.execute(
        "DELETE FROM agenda_subscriptions WHERE session_id = ? AND user_id >= ?",
        (session_id, 100_000 + keep),
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--deliver", type=int, default=5000)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.sessions, args.deliver))
