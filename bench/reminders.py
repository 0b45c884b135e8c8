"""Reminder benchmark: 5,000 subscribers × 40 sessions × 3 lead times.

Prints the time to rebuild every reminder job at start-up, the time to enqueue one session's
5,000 reminders, and the lateness and earliness of delivered reminders against their due time
(p50, p99, max) with the outbox sender paced at 25 messages/s through the sandbox: for one
session, and for two sessions at the same time with a broadcast queued; each with the old
path (timers at the due time, ``DeadlineTimers.early`` off) and the new (planned to be out by
the due time), side by side in one run.

    .venv/bin/python bench/reminders.py [--users 5000] [--sessions 40] [--deliver 5000]

``--deliver N`` delivers each measured session's reminders to the first N subscribers only
(at 25/s, 5,000 take 200 s and the whole run about 25 minutes; a smaller N gives a shorter
run and a smaller p99 on the old path).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.runtime.local import LocalBot
from sandbox import Sandbox
from storage.db import Database
from tests.support.harness import bot_settings
from tests.support.storage import bulk_texts

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
            settings = bot_settings(
                sandbox, Path(folder) / "bench.db", log_level="WARNING", send_rate=25.0
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

            # Lateness and earliness: the 15-minute reminders of one session (and of two
            # sessions at the same time, with a broadcast queued), fired by their timers and
            # drained by the sender at 25/s (each notice rendered as it goes); the old path
            # (timers at the due time) and the new (planned to be out by it) in one run.
            bot.sender.start()
            sizes = min(deliver, users)
            for s in ids[1:7]:
                if deliver < users:
                    await db_keep_first(services.db, s, deliver)
            print(f"send rate {settings.send_rate:g} msg/s; {sizes} subscribers per session")
            # Each run has sessions of its own: a reminder's key holds its start minute.
            for label, count, broadcast in (
                ("one session", 1, 0),
                ("two sessions at once + a broadcast", 2, 2000),
            ):
                for early in (False, True):
                    targets, ids = ids[1 : 1 + count], [ids[0], *ids[1 + count :]]
                    figures = await lateness(
                        bot, sandbox, targets, sizes * len(targets), early, broadcast
                    )
                    name = "new (planned early)" if early else "old (at due time)"
                    print(f"  {label}, {name}: {figures}")
            await bot.stop()


async def lateness(
    bot: LocalBot, sandbox: Sandbox, targets: list[int], expected: int, early: bool, bulk: int
) -> str:
    services = bot.services
    planner = services.reminders
    planner.timers.early = early
    rate = services.settings.send_rate
    needed = expected / rate
    # Far enough ahead that the new path's early start is still to come.
    offset = timedelta(seconds=(needed * 1.1 if early else 0) + 5)
    due = datetime.now(UTC) + offset
    start = due + timedelta(minutes=15)
    for sid in targets:
        await services.db.execute(
            "UPDATE agenda_sessions SET starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?",
            (
                start.isoformat(),
                (start + timedelta(minutes=25)).isoformat(),
                datetime.now(UTC).isoformat(),
                sid,
            ),
        )
    if bulk:
        await services.notifier.enqueue(
            bulk_texts(100_000, bulk, f"bench-bulk:{early}", "Forum news")
        )
    mark = time.monotonic()
    await planner.rebuild(late=False)
    due_mono = time.monotonic() + (due - datetime.now(UTC)).total_seconds()
    t0 = time.perf_counter()
    while True:
        sent = [
            c
            for c in sandbox.calls_of("sendMessage")
            if c.time >= mark and c.ok and "starts in" in str(c.params.get("text", ""))
        ]
        if len(sent) >= expected or time.perf_counter() - t0 > offset.total_seconds() + needed * 2:
            break
        await asyncio.sleep(0.5)
    await services.outbox.cancel(dedupe_prefix="bench-bulk:")
    bulk_sent = sum(
        1
        for c in sandbox.calls_of("sendMessage")
        if c.time >= mark and c.params.get("text") == "Forum news"
    )
    delta = sorted(c.time - due_mono for c in sent)
    if not delta:
        return "nothing delivered"
    late = sorted(max(0.0, d) for d in delta)
    soon = sorted(max(0.0, -d) for d in delta)

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(len(values) * q))]

    return (
        f"{len(delta)}/{expected} delivered; lateness p50 {pct(late, 0.5):.1f} s, "
        f"p99 {pct(late, 0.99):.1f} s, max {late[-1]:.1f} s; earliness p50 "
        f"{pct(soon, 0.5):.1f} s, p99 {pct(soon, 0.99):.1f} s, max {soon[-1]:.1f} s "
        f"(needed {needed:.0f} s, earliest = {soon[-1] / needed:.2f}× needed); "
        f"broadcast copies sent meanwhile {bulk_sent}"
    )


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
