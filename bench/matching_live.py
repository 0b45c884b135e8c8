"""The matching index in the bot's process (issue 15, "never freeze"): 10,000 synthetic
companies in a real SQLite file, the real services, no Telegram.

Printed, for the path before the index (every use reads all companies and ranks on the event
loop) and with it, in one run:

- /matches: the service call behind it (the company read, its top 5 with reasons), p50/p99
  over 200 random companies;
- a direct reply while a full export (/exportmatches 10) and the digest run: a probe every
  10 ms does what a reply does first (one indexed read) and the delay from when it was due
  to when it was done is the reply's latency; p50/p99/max, and how long the export and the
  digest took;
- the index's first build (start-up, in a worker thread), the resident memory right after
  it, and the peak RSS.

The companies and their embeddings are written first, by a process of their own: each path
then starts on that database as a restarted bot finds it (a copy each, since the digest
writes). Run: ``.venv/bin/python bench/matching_live.py [N_PER_COUNTRY]`` (``--seed DB N``
writes a database, ``--path new|old DB`` measures one path on it in a process of its own, for
its peak RSS).
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import print_side_by_side, run_child
from bench.matching import FORUM, synthetic
from bot.config import Settings
from bot.runtime import blas
from bot.services.container import Services
from storage.db import Database

PROBE_EVERY = 0.01


def resident_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    status = Path("/proc/self/status").read_text()
    return (
        next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        / 1024
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def seed(services: Services, per_country: int) -> list[int]:
    rnd = random.Random(20251120)
    now = services.clock.now()
    ids = []
    for i in range(1, 2 * per_country + 1):
        p = synthetic(i, FORUM.codes[i % 2], rnd)
        ids.append(
            await services.companies.create(
                {
                    "name": p.name,
                    "country": p.country,
                    "city": p.city,
                    "offers": p.offers,
                    "seeks": p.seeks,
                    "size": p.size,
                    "contact_email": f"c{i}@example.org",
                    "consent": 1,
                },
                sectors=list(p.sectors),
                partnerships=list(p.partnerships),
                now=now,
            )
        )
    return ids


async def probe(stop: asyncio.Event, services: Services, out: list[float]) -> None:
    loop = asyncio.get_running_loop()
    due = loop.time()
    while not stop.is_set():
        due += PROBE_EVERY
        await asyncio.sleep(max(0.0, due - loop.time()))
        await services.companies.get(1)
        out.append((loop.time() - due) * 1000)
        due = max(due, loop.time())


async def export(services: Services) -> int:
    """/exportmatches 10 without Telegram: the file is worked out, then deleted."""
    async with services.matching.export(10) as found:
        return found.rows


async def write(db_path: Path, per_country: int) -> None:
    """The companies and their embeddings (computed once and stored), as a bot leaves them."""
    db = await Database.open(db_path)
    services = await Services.open(Settings(bot_token="0:bench", database_path=db_path), db)
    await seed(services, per_country)
    await services.matching.profiles()
    await db.close()


async def run(path_name: str, db_path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    blas.settle()  # as the bot's start-up does: numpy's BLAS on one thread
    db = await Database.open(db_path)
    try:
        services = await Services.open(Settings(bot_token="0:bench", database_path=db_path), db)
        ids = sorted(c.id for c in await services.companies.all())
        matching = services.matching
        matching.live = path_name == "new"
        if matching.live:
            started = time.perf_counter()
            await matching.index.warm()
            out["build_s"] = time.perf_counter() - started
            out["built_rss_mb"] = resident_mb()
        rnd = random.Random(7)
        took = []
        for company in rnd.sample(ids, min(len(ids), 200 if matching.live else 20)):
            started = time.perf_counter()
            record = await services.companies.get(company)
            assert record is not None
            await matching.matches_for(record)
            took.append((time.perf_counter() - started) * 1000)
        out["matches_p50_ms"], out["matches_p99_ms"] = pct(took, 0.5), pct(took, 0.99)
        latencies: list[float] = []
        stop = asyncio.Event()
        prober = asyncio.create_task(probe(stop, services, latencies))
        started = time.perf_counter()

        async def timed(name: str, work: object) -> None:
            await work  # type: ignore[misc]
            out[name] = time.perf_counter() - started

        await asyncio.gather(
            timed("export_s", export(services)), timed("digest_s", matching.send_digests())
        )
        stop.set()
        await prober
        out["reply_p50_ms"] = pct(latencies, 0.5)
        out["reply_p99_ms"] = pct(latencies, 0.99)
        out["reply_max_ms"] = max(latencies)
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        await db.close()
    return out


def main() -> None:
    args = sys.argv[1:]
    if args and args[0] == "--seed":
        asyncio.run(write(Path(args[1]), int(args[2])))
        return
    if args and args[0] == "--path":
        print(json.dumps(asyncio.run(run(args[1], Path(args[2])))))
        return
    per_country = int(args[0]) if args else 5000
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        seeded = Path(tmp) / "seeded.db"
        subprocess.run(
            [sys.executable, __file__, "--seed", str(seeded), str(per_country)], check=True
        )
        for name in ("old", "new"):
            copy = Path(tmp) / f"{name}.db"
            shutil.copy(seeded, copy)
            results[name] = run_child(Path(__file__), ["--path", name, str(copy)])
    print(f"{2 * per_country:,} companies in the bot's process (SQLite, real services)")
    rows = [
        ("/matches p50 (service call)", "matches_p50_ms", "{:.1f} ms"),
        ("/matches p99 (goal <= 30 ms)", "matches_p99_ms", "{:.1f} ms"),
        ("reply p50 during export + digest", "reply_p50_ms", "{:.1f} ms"),
        ("reply p99 during export + digest (goal <= 100 ms)", "reply_p99_ms", "{:.1f} ms"),
        ("reply max during export + digest", "reply_max_ms", "{:.0f} ms"),
        ("export (top 10) done after", "export_s", "{:.1f} s"),
        ("digest done after", "digest_s", "{:.1f} s"),
        ("index's first build (worker thread)", "build_s", "{:.1f} s"),
        ("RSS right after the index's first build", "built_rss_mb", "{:.0f} MB"),
        ("peak RSS (goal <= 300 MB)", "rss_mb", "{:.0f} MB"),
    ]
    print_side_by_side({"before": results["old"], "index": results["new"]}, rows, 52)


if __name__ == "__main__":
    main()
