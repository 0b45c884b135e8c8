"""How much memory the bot needs: peak RSS of ``python -m bot run`` (its own process, the
sandbox runs in this one) for a forum of N participants, for sizing a server.

Per N: a database with N users, N/2 companies (half Romanian, half Pakistani, each with its
rep) is seeded; the bot starts on it in a child process against the sandbox; 200 users send
/start, 20 reps ask for /matches (the matching index over all companies), and an organiser
broadcasts to everyone (all N copies queued at once; it measures until 500 are out, the
rest is the same steady state). The companies' embeddings are not stored yet, so the first
/matches computes them with the model (then the index is built). Prints, per N, the child's
peak RSS (``VmHWM``) after the /starts, after the /matches and at the end, its RSS at the
end, the database size and the time it took.

``--before REV`` also runs another revision's bot (``main``, say) on the same seeded
database, for a before/after side by side (the sandbox and the forum file stay this
worktree's).

    .venv/bin/python bench/memory.py [N ...] [--before REV]     (default N: 1000 10000)
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import revision_tree
from bot.forum import load_forum
from bot.services.catalogue import sync_forum
from sandbox import Sandbox
from storage.companies import CompanyRepository
from storage.db import Database
from tests.support.harness import bot_env

REPO = Path(__file__).resolve().parent.parent
ORGANISER = 1
FIRST_ID = 2_000_000
OFFERS = (
    "RPA consulting, UiPath automation and mobile app development for banks",
    "Software testing and QA outsourced to us; automated test suites",
)
SEEKS = (
    "Outsourcing partners for QA testing; resellers for our fraud detection suite",
    "Automate back-office processes with RPA; a fraud detection product to resell",
)


async def seed(path: Path, participants: int) -> None:
    db = await Database.open(path)
    try:
        stamp = "2025-11-01T08:00:00+00:00"
        ids = range(FIRST_ID, FIRST_ID + participants)
        await db.executemany(
            "INSERT INTO users (telegram_id, first_name, first_seen, last_seen) "
            "VALUES (?, 'Participant', ?, ?)",
            [(uid, stamp, stamp) for uid in ids],
        )
        companies = CompanyRepository(db)
        # The forum's sectors and intents are rows the companies refer to, as at start-up.
        forum = await sync_forum(db, load_forum())
        sectors = [s.key for s in forum.sectors]
        intents = [i.key for i in forum.intents]
        now = datetime.fromisoformat(stamp)
        for n, uid in enumerate(ids[: participants // 2]):
            side = n % 2
            country = forum.codes[side]
            await companies.create(
                {
                    "name": f"Company {n}",
                    "country": country,
                    "city": ("Cluj-Napoca", "Lahore")[side],
                    "offers": f"{OFFERS[side]} (offer {n})",
                    "seeks": SEEKS[side],
                    "size": "11–50",
                    "website": f"https://company{n}.example",
                    "contact_name": f"Contact {n}",
                    "contact_email": f"c{n}@company{n}.example",
                    "contact_phone": "+40 700 000 000" if side == 0 else "+92 300 0000000",
                    "consent": 1,
                },
                sectors=[sectors[n % len(sectors)], sectors[(n * 7 + 3) % len(sectors)]],
                partnerships=[intents[n % len(intents)]],
                now=now,
                rep_id=uid,
            )
    finally:
        await db.close()


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(VmHWM, VmRSS) of a live process, in MB."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmHWM"], values["VmRSS"]


async def measure(participants: int, codes: dict[str, Path | None]) -> None:
    """Seed one database, then run each bot in ``codes`` (label: its code, None for this
    worktree's) on a copy of it."""
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        seeded_db = Path(folder) / "seeded.db"
        await seed(seeded_db, participants)
        seeded = time.monotonic() - began
        print(
            f"{participants:,} participants ({participants // 2:,} companies), seeded in "
            f"{seeded:.0f} s"
        )
        for label, code in codes.items():
            database = Path(folder) / f"{label}.db"
            shutil.copyfile(seeded_db, database)
            started = time.monotonic()
            got = await run_bot(participants, Path(folder), database, code)
            size_mb = database.stat().st_size / 1e6
            print(
                f"  {label:<16} peak RSS {got['peak']:.0f} MB (after /start "
                f"{got['starts']:.0f}, after /matches {got['matches']:.0f}; now "
                f"{got['now']:.0f} MB), database {size_mb:.1f} MB, "
                f"{time.monotonic() - started:.0f} s"
            )


async def run_bot(
    participants: int, folder: Path, database: Path, code: Path | None
) -> dict[str, float]:
    async with Sandbox() as sandbox:
        ids = list(range(FIRST_ID, FIRST_ID + participants))
        for uid in ids:
            sandbox.user(uid, "Participant")
            sandbox._chats[uid].known = True
        path = str(REPO) if code is None else f"{code}:{REPO}"
        env = bot_env(
            sandbox,
            database,
            ADMIN_IDS=str(ORGANISER),
            LOG_LEVEL="WARNING",
            SEND_RATE="30",
            PYTHONPATH=path,
            FORUM_CONFIG=str(REPO / "data" / "forum.toml"),
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=folder
        )
        got: dict[str, float] = {}
        try:
            organiser = sandbox.user(ORGANISER, "Organiser")
            await organiser.send("/start")
            await organiser.expect("Welcome", timeout=60)
            for uid in ids[:200]:
                user = sandbox.user(uid)
                await user.send("/start")
                await user.expect("Welcome", timeout=30)
            got["starts"] = peak_rss_mb(proc.pid)[0]
            for uid in ids[:20]:
                rep = sandbox.user(uid)
                await rep.send("/matches")
                await rep.expect("Match 1 of", timeout=300)
            got["matches"] = peak_rss_mb(proc.pid)[0]
            await organiser.send("/broadcast")
            await organiser.expect("Send me the message")
            await organiser.send("The forum opens in one hour")
            await organiser.expect("Who should get it?")
            await organiser.press("Everyone")
            await organiser.expect("That is the preview", timeout=60)
            await organiser.press("✅ Send now")
            target = min(500, participants)
            while True:
                if len(sandbox.calls_of("copyMessage")) >= target:
                    break
                await asyncio.sleep(0.2)
            got["peak"], got["now"] = peak_rss_mb(proc.pid)
        finally:
            proc.terminate()
            await proc.wait()
    return got


async def main(sizes: list[int], before: str | None) -> None:
    print("python -m bot run, peak resident memory (VmHWM) per forum size")
    with revision_tree(before) as before_code:
        codes: dict[str, Path | None] = {"this tree": None}
        if before_code is not None:
            codes[f"@ {before}"] = before_code
        for size in sizes:
            await measure(size, codes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--before", metavar="REV", help="also run this revision's bot")
    args = parser.parse_args()
    asyncio.run(main(args.sizes, args.before))
