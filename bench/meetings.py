"""Meeting booking benchmark: N reps (default 200) book 1:1 meetings at the same moment
through the sandbox, all racing for the earliest slots.

100 Romanian and 100 Pakistani companies (one rep each), each introduced to three companies
of the other country; one meetings block of 9 slots × 12 tables (108 places, so most reps
lose a race at least once). Every rep opens /meetings, taps its first partner, picks the
earliest slot offered and, when told the slot was taken meanwhile, picks the earliest of the
slots it is shown again, until a proposal stands, the pair already has a meeting, or no slot
is left. Prints the outcomes, the reply time of every press (p50/p99: the press until its
answer is on screen) and the double bookings found in the database (a company twice in one
slot, a slot over its tables, a pair twice): they must be zero.
Run: ``.venv/bin/python bench/meetings.py [N]``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.agenda import keys_in
from bot.runtime.local import LocalBot
from sandbox import Sandbox, SandboxUser
from tests.support.harness import bot_settings
from tests.support.meetkit import meetings_block
from tests.support.storage import bare_company

BASE_ID = 20_000_000
SLOTS, TABLES, PARTNERS = 9, 12, 3
latencies: list[float] = []
outcomes: Counter[str] = Counter()


async def setup(bot: LocalBot, n: int) -> dict[int, str]:
    """Companies, reps and accepted introductions written directly (registration and
    introductions are measured elsewhere). Returns rep id -> the first partner's name."""
    services = bot.services
    now = services.clock.now()
    start = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
    await services.agenda.apply_import(
        [meetings_block(start, slots=SLOTS, tables=TABLES)],
        now=now,
        key=keys_in(UTC),
    )
    half = n // 2
    ids: dict[tuple[str, int], int] = {}
    names: dict[int, str] = {}
    forum = services.forum
    first, second = forum.codes
    for side, country in (("RO", first), ("PK", second)):
        for i in range(half):
            rep = BASE_ID + (0 if side == "RO" else half) + i
            await services.users.seen(
                rep, first_name=f"Rep{rep}", last_name=None, username=None,
                language_code="en", now=now,
            )  # fmt: skip
            name = f"Bench {side} {i:03d}"
            ids[side, i] = await bare_company(
                services.db,
                name,
                country,
                now=now,
                sectors=(forum.sectors[0].key,),
                partnerships=(forum.intents[0].key,),
                rep_id=rep,
            )
            names[ids[side, i]] = name
    rows = []
    for i in range(half):
        for k in range(PARTNERS):
            rows.append((ids["RO", i], ids["PK", (i + k) % half], now.isoformat()))
    await services.db.executemany(
        "INSERT INTO introductions (requester_company_id, target_company_id, state, "
        "created_at, expires_at) VALUES (?, ?, 'accepted', ?, ?)",
        [(a, b, at, at) for a, b, at in rows],
    )
    # As if their "introduction made" notices went out long ago (else the introductions'
    # recovery would queue 300 of them during the run).
    await services.db.execute(
        "INSERT INTO outbox (kind, dedupe_key, chat_id, method, payload, not_before, state, "
        "created_at) SELECT 'intro_accepted', 'intro:' || id || ':accepted:0', 0, "
        "'sendMessage', '{}', created_at, 'sent', created_at FROM introductions"
    )
    first: dict[int, str] = {}
    for (side, i), company in ids.items():
        partners = sorted(names[b if a == company else a] for a, b, _ in rows if company in (a, b))
        first[BASE_ID + (0 if side == "RO" else half) + i] = partners[0]
    return first


async def one_rep(sandbox: Sandbox, user: SandboxUser, partner: str) -> None:
    await user.send("/meetings")
    await user.expect("1:1 meetings of", timeout=120)
    await user.press(f"📅 Book: {partner}")
    picker = await user.expect(f"Book a meeting with {partner}", timeout=120)
    for _ in range(SLOTS * 3):
        buttons = picker.buttons()
        if not buttons:
            outcomes["no slot left"] += 1
            return
        started = time.perf_counter()
        update = await user.press(buttons[0][0], message_id=picker.message_id)
        answer = await sandbox.wait_answer(update["callback_query"]["id"], timeout=120)
        if answer.get("show_alert"):
            latencies.append(time.perf_counter() - started)
            outcomes["the pair already had a meeting"] += 1
            return
        shown = picker.message_id
        picker = await user.expect(lambda m, shown=shown: m.message_id == shown, timeout=120)
        latencies.append(time.perf_counter() - started)
        text = picker.text or ""
        if text.startswith("📨 Proposed to"):
            outcomes["proposed"] += 1
            return
        outcomes["lost a race, shown the free slots"] += 1
    outcomes["gave up"] += 1


async def double_bookings(bot: LocalBot) -> dict[str, int]:
    db = bot.services.db
    live = "state IN ('proposed', 'confirmed')"
    company_twice = await db.fetchone(
        f"SELECT count(*) FROM (SELECT c, starts_at FROM (SELECT company_a AS c, starts_at "
        f"FROM meetings WHERE {live} UNION ALL SELECT company_b, starts_at FROM meetings "
        f"WHERE {live}) GROUP BY c, starts_at HAVING count(*) > 1)"
    )
    over_tables = await db.fetchone(
        f"SELECT count(*) FROM (SELECT m.starts_at FROM meetings m JOIN agenda_sessions s "
        f"ON s.id = m.block_id WHERE m.{live} GROUP BY m.block_id, m.starts_at "
        f"HAVING count(*) > max(s.tables))"
    )
    pair_twice = await db.fetchone(
        f"SELECT count(*) FROM (SELECT 1 FROM meetings WHERE {live} "
        f"GROUP BY company_a, company_b HAVING count(*) > 1)"
    )
    return {
        "a company twice in one slot": int(company_twice[0]) if company_twice else -1,
        "a slot over its tables": int(over_tables[0]) if over_tables else -1,
        "a pair twice": int(pair_twice[0]) if pair_twice else -1,
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main(n: int) -> int:
    with tempfile.TemporaryDirectory(prefix="forumbridge-bench-") as folder:
        async with Sandbox() as sandbox:
            settings = bot_settings(sandbox, Path(folder) / "bench.db", log_level="WARNING")
            bot = LocalBot(settings, rate_limiter=False)
            await bot.start()
            try:
                first = await setup(bot, n)
                users = {rep: sandbox.user(rep, f"Rep{rep}") for rep in first}
                began = time.perf_counter()
                await asyncio.gather(
                    *(one_rep(sandbox, users[rep], partner) for rep, partner in first.items())
                )
                total = time.perf_counter() - began
                found = await double_bookings(bot)
                meetings = await bot.services.db.fetchone(
                    "SELECT count(*) FROM meetings WHERE state = 'proposed'"
                )
            finally:
                await bot.stop()
    print(f"reps: {len(first)} booking at once; {SLOTS} slots x {TABLES} tables")
    print(f"total: {total:.1f} s at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"meetings proposed: {meetings[0] if meetings else 0}")
    for what, count in outcomes.most_common():
        print(f"  {what}: {count}")
    print(
        f"reply time per slot press ({len(latencies)} presses): "
        f"p50 {pct(latencies, 0.5) * 1000:.0f} ms, p99 {pct(latencies, 0.99) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    for what, count in found.items():
        print(f"double bookings, {what}: {count}")
    return 0 if not any(found.values()) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)))
