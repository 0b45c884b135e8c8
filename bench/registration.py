"""Registration benchmark: N simulated reps (default 1,000) complete the whole registration
conversation through the sandbox at the same time.

Prints the total time, p50/p99 latency per step (an answer sent → the next question
received), the database size and the peak RSS, then checks that every profile is complete and
holds exactly its own rep's answers. The bot runs without PTB's rate limiter: the sandbox does
not enforce Telegram's 30 messages/s, and with it the number would only measure that limit.
Run: ``.venv/bin/python bench/registration.py [N]``.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.runtime.local import LocalBot
from sandbox import Sandbox, SandboxUser
from tests.support.harness import bot_settings

BASE_ID = 10_000_000
latencies: dict[str, list[float]] = defaultdict(list)
STEP_NAMES = (
    "/register",
    "name",
    "country",
    "city",
    "tick sector 1",
    "tick sector 2",
    "sectors done",
    "offers",
    "seeks",
    "tick intent",
    "intents done",
    "size",
    "website",
    "contact name",
    "email",
    "phone",
    "consent",
    "confirm",
)


def script(i: int) -> list[tuple[str, str, str]]:
    """(kind, value, expected) per step: kind is send, press or tick (a multi-select)."""
    romanian = i % 2 == 0
    return [
        ("send", "/register", "Step 1 of 12"),
        ("send", f"Bench Company {i}", "Step 2 of 12"),
        ("press", "🇷🇴 Romania" if romanian else "🇵🇰 Pakistan", "Step 3 of 12"),
        ("send", "Cluj-Napoca" if romanian else "Lahore", "Step 4 of 12"),
        ("tick", "Fintech", ""),
        ("tick", "Cybersecurity", ""),
        ("press", "✅ Done (2 chosen)", "Step 5 of 12"),
        ("send", f"Offer number {i}: payment gateways and SOC services", "Step 6 of 12"),
        ("send", f"Seek number {i}: resellers and QA subcontractors", "Step 7 of 12"),
        ("tick", "Joint venture", ""),
        ("press", "✅ Done (1 chosen)", "Step 8 of 12"),
        ("press", "11–50", "Step 9 of 12"),
        ("send", f"https://bench{i}.example", "Contact person"),
        ("send", f"Contact {i}", "Contact email"),
        ("send", f"rep{i}@bench.example", "Phone"),
        ("send", f"+40 721 {i:06d}", "Step 11 of 12"),
        ("press", "✅ I agree", "Step 12 of 12"),
        ("press", "✅ Confirm", "is registered"),
    ]


async def one_rep(user: SandboxUser, i: int) -> None:
    for step, (kind, value, expect) in enumerate(script(i)):
        started = time.perf_counter()
        if kind == "send":
            await user.send(value)
            await user.expect(expect, timeout=120)
        else:
            await user.press(value)
            if kind == "tick":
                await user.expect(lambda m, v=value: f"✓ {v}" in str(m.buttons()), timeout=120)
            else:
                await user.expect(expect, timeout=120)
        latencies[f"{step + 1:02d} {STEP_NAMES[step]}"].append(time.perf_counter() - started)


def db_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("bench.db*"))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main(n: int) -> int:
    with tempfile.TemporaryDirectory(prefix="forumbridge-bench-") as folder:
        db_path = Path(folder) / "bench.db"
        async with Sandbox() as sandbox:
            settings = bot_settings(sandbox, db_path, log_level="WARNING")
            bot = LocalBot(settings, rate_limiter=False)
            await bot.start()
            try:
                users = [sandbox.user(BASE_ID + i, f"Rep{i}") for i in range(n)]
                started = time.perf_counter()
                await asyncio.gather(*(one_rep(u, i) for i, u in enumerate(users)))
                total = time.perf_counter() - started
                wrong = 0
                companies = bot.services.companies
                for i in range(n):
                    c = await companies.by_rep(BASE_ID + i)
                    ok = (
                        c is not None
                        and c.name == f"Bench Company {i}"
                        and c.country == ("RO" if i % 2 == 0 else "PK")
                        and c.offers.startswith(f"Offer number {i}:")
                        and c.seeks.startswith(f"Seek number {i}:")
                        and c.sectors == ("cyber", "fintech")
                        and c.partnerships == ("joint_venture",)
                        and c.contact_email == f"rep{i}@bench.example"
                        and c.contact_phone == f"+40721{i:06d}"
                        and c.matchable
                    )
                    wrong += not ok
            finally:
                await bot.stop()
        size = await asyncio.to_thread(db_size, Path(folder))
    updates = n * len(script(0))
    print(f"reps: {n}, updates: {updates}")
    print(f"total: {total:.1f} s ({updates / total:.0f} updates/s)")
    everything = [v for vs in latencies.values() for v in vs]
    print(
        f"latency per step, all steps: p50 {pct(everything, 0.5) * 1000:.0f} ms, "
        f"p99 {pct(everything, 0.99) * 1000:.0f} ms"
    )
    for name in sorted(latencies):
        values = latencies[name]
        print(
            f"  {name:<32} p50 {statistics.median(values) * 1000:6.0f} ms"
            f"   p99 {pct(values, 0.99) * 1000:6.0f} ms"
        )
    print(f"database size: {size / 1024 / 1024:.1f} MB")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"profiles complete and correct: {n - wrong}/{n}")
    return 0 if wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)))
