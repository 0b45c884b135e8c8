"""Registration benchmark: N simulated reps (default 1,000) complete the whole registration
conversation through the sandbox at the same time, against an echo bot measured in the same
run the same way (N users, as many messages each, each waiting for its answer).

Prints, per run and as medians over the runs: updates/s, CPU ms per update (bot, sandbox
and SQLite thread: it moves less than updates/s with the machine's other load), the ratio
of the bot's updates/s to the echo bot's (goal >= 0.6x), and p50/p99 per step (an answer
sent -> the next question received); then per step, the database size and peak RSS, and
that every profile is complete and holds exactly its own rep's answers. Both bots use the
same transport (``HTTP_TRANSPORT``'s default, aiohttp), the per-chat update processor with
``MAX_CONCURRENT_UPDATES`` (64) and no PTB rate limiter: the sandbox does not enforce
Telegram's 30 messages/s, and with it the number would only measure that limit.

``--before REV`` also runs the registration on another revision's bot (``main``, say) in
each run, for a before/after side by side. Each measurement is a process of its own.

Run: ``.venv/bin/python bench/registration.py [N] [--runs K] [--before REV]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    cpu_seconds,
    median,
    pct,
    peak_rss_mb,
    revision_tree,
    run_child,
    start_echo,
    stop_echo,
    use_code,
)

use_code(sys.argv)

BASE_ID = 10_000_000
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


STEPS = len(script(0))


async def one_rep(user: Any, i: int, latencies: dict[str, list[float]]) -> None:
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


async def one_echo_user(user: Any, i: int, latencies: dict[str, list[float]]) -> None:
    for step in range(STEPS):
        started = time.perf_counter()
        text = f"echo {i} step {step}"
        await user.send(text)
        await user.expect(text, timeout=120)
        latencies[f"{step + 1:02d} echo"].append(time.perf_counter() - started)


async def wrong_profiles(bot: Any, n: int) -> int:
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
    return wrong


def db_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("bench.db*"))


async def measure(kind: str, n: int) -> dict[str, Any]:
    from bot.runtime.local import LocalBot, local_settings
    from sandbox import Sandbox

    latencies: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="forumbridge-bench-") as folder:
        db_path = Path(folder) / "bench.db"
        async with Sandbox() as sandbox:
            settings = local_settings(
                sandbox.token, sandbox.base_url, sandbox.base_file_url, db_path, log_level="WARNING"
            )
            users = [sandbox.user(BASE_ID + i, f"Rep{i}") for i in range(n)]
            play = one_echo_user if kind == "echo" else one_rep
            if kind == "echo":
                echo = await start_echo(
                    settings, settings.http_transport, settings.max_concurrent_updates
                )
            else:
                bot = LocalBot(settings, rate_limiter=False)
                await bot.start()
            try:
                cpu_before = cpu_seconds()
                started = time.perf_counter()
                await asyncio.gather(*(play(u, i, latencies) for i, u in enumerate(users)))
                total = time.perf_counter() - started
                cpu = cpu_seconds() - cpu_before
                wrong = 0 if kind == "echo" else await wrong_profiles(bot, n)
            finally:
                await (stop_echo(echo) if kind == "echo" else bot.stop())
        size = await asyncio.to_thread(db_size, Path(folder))
    updates = n * STEPS
    everything = [v for vs in latencies.values() for v in vs]
    return {
        "updates": updates,
        "seconds": total,
        "rate": updates / total,
        "cpu_ms": cpu / updates * 1000,
        "p50": pct(everything, 0.5) * 1000,
        "p99": pct(everything, 0.99) * 1000,
        "steps": {k: (median(v) * 1000, pct(v, 0.99) * 1000) for k, v in sorted(latencies.items())},
        "db_mb": size / 1024 / 1024,
        "rss_mb": peak_rss_mb(),
        "correct": n - wrong,
    }


ROW = "{:<28} {:>9} {:>10} {:>9} {:>9} {:>8}"


def show(label: str, r: dict[str, Any], echo: dict[str, Any]) -> None:
    print(
        ROW.format(
            label,
            f"{r['rate']:.0f}",
            f"{r['cpu_ms']:.2f}",
            f"{r['p99']:.0f}",
            f"{r['rate'] / echo['rate']:.2f}x",
            f"{echo['cpu_ms'] / r['cpu_ms']:.2f}x",
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reps", type=int, nargs="?", default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--before", metavar="REV", help="also run this revision's bot")
    parser.add_argument("--child", choices=["echo", "bot"], help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(measure(args.child, args.reps))))
        return 0

    here = Path(__file__)
    child = [str(args.reps), "--child"]
    kinds = [("echo", None), ("registration", None)]
    results: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with revision_tree(args.before) as before_code:
        if before_code is not None:
            kinds.append((f"registration @ {args.before}", before_code))
        print(f"reps: {args.reps}, updates per bot: {args.reps * STEPS}")
        print(ROW.format("run / bot", "updates/s", "CPU ms/upd", "p99 ms", "vs echo", "by CPU"))
        for run in range(args.runs):
            # The order turns each run, so no bot always goes first on a cooling machine.
            order = kinds[run % len(kinds) :] + kinds[: run % len(kinds)]
            got = {
                label: run_child(here, [*child, "echo" if label == "echo" else "bot"], code)
                for label, code in order
            }
            for label, _ in kinds:
                results[label].append(got[label])
                show(f"{run + 1}: {label}", got[label], got["echo"])
    print(f"medians over {args.runs} run(s):")
    for label, _ in kinds:
        rs = results[label]
        ratios = [r["rate"] / e["rate"] for r, e in zip(rs, results["echo"], strict=True)]
        by_cpu = [e["cpu_ms"] / r["cpu_ms"] for r, e in zip(rs, results["echo"], strict=True)]
        print(
            f"  {label:<26} {median([r['rate'] for r in rs]):6.0f} updates/s, "
            f"CPU {median([r['cpu_ms'] for r in rs]):.2f} ms/update, "
            f"p99 per step {median([r['p99'] for r in rs]):.0f} ms, "
            f"{median(ratios):.2f}x echo (goal >= 0.6x), {median(by_cpu):.2f}x by CPU"
        )
    last = results["registration"][-1]
    print("registration per step (last run):")
    for name, (p50, p99) in last["steps"].items():
        print(f"  {name:<32} p50 {p50:6.0f} ms   p99 {p99:6.0f} ms")
    print(f"database size: {last['db_mb']:.1f} MB, peak RSS: {last['rss_mb']:.0f} MB")
    registrations = [r for label, _ in kinds if label != "echo" for r in results[label]]
    correct = min(r["correct"] for r in registrations)
    print(f"profiles complete and correct: {correct}/{args.reps} (worst run)")
    return 0 if correct == args.reps else 1


if __name__ == "__main__":
    sys.exit(main())
