"""The operator's commands against a real database: ``status`` on a healthy, a wedged and a
stopped bot; ``backup`` while a broadcast writes and ``restore`` (refused while the bot
runs); ``migrate --check`` and the backup taken before migrating a non-empty database."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.config import Settings
from bot.runtime.status import read_status
from sandbox import Sandbox
from storage.db import Database, migration_files
from storage.heartbeat import HeartbeatRepository
from tests.support.flows import answer, compose, is_report, press, wait_until
from tests.support.harness import ADMIN_ID, BotHarness, bot_env, bot_running, run_cli
from tests.support.matchkit import rep


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


async def test_status_healthy_wedged_and_not_running(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    env = bot_env(sandbox, settings.database_path)
    # The heartbeat is written on the bot's clock: "now" for a healthy bot...
    async with bot_running(sandbox, settings, clock=FakeClock(datetime.now(UTC))) as bot:
        user = await rep(sandbox, 7001, "Ion")
        await answer(user, "/start", "Welcome")
        # The heartbeat job beats a second after the start, then every 30 s...
        beats = HeartbeatRepository(bot.services.db)
        async with asyncio.timeout(10):
            while True:
                row = await beats.get()
                if row is not None and row.job_count > 0:
                    break
                await asyncio.sleep(0.1)
        # ...one more now, so that the row surely holds the update above.
        await bot.runtime.heartbeat.beat()
        code, out, _ = await run_cli("status", env=env, cwd=tmp_path)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "ForumBridge: HEALTHY"
    latest = len(migration_files())
    assert f"schema version: {latest} of {latest}" in lines
    assert "mode: polling" in lines
    facts = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in lines}
    for fact in ("last heartbeat", "last update received", "last successful Bot API call"):
        assert facts[fact].endswith("s ago)"), (fact, facts[fact])
    assert re.match(r"\d+ \(next: ", facts["scheduled jobs"]) and "heartbeat at" in out
    assert facts["outbox"] == "0 pending, 0 failed"

    # ...and three minutes ago for one whose heartbeat stopped two minutes back.
    wedged = BotHarness(
        sandbox, settings, clock=FakeClock(datetime.now(UTC) - timedelta(minutes=3))
    )
    await wedged.start()
    try:
        code, out, _ = await run_cli("status", env=env, cwd=tmp_path)
    finally:
        await wedged.stop()
    assert code == 1 and out.startswith("ForumBridge: WEDGED"), out
    assert "last heartbeat: " in out and "min ago)" in out

    code, out, _ = await run_cli("status", env=env, cwd=tmp_path)
    assert code == 3 and out.startswith("ForumBridge: NOT RUNNING"), out
    assert "stopped: " in out


async def test_status_judges_the_heartbeat_on_the_bots_clock(
    fb: BotHarness, clock: FakeClock
) -> None:
    """Two minutes without a heartbeat while the bot runs is wedged; a beat heals it."""
    fb.services.timers.cancel("heartbeat")  # its beats are the test's from here on
    path = fb.settings.database_path
    assert (await read_status(path, clock.now())).verdict == "healthy"
    clock.advance(minutes=1, seconds=59)
    assert (await read_status(path, clock.now())).verdict == "healthy"
    clock.advance(seconds=2)
    status = await read_status(path, clock.now())
    assert status.verdict == "wedged" and status.exit_code == 1
    await fb.runtime.heartbeat.beat()
    healed = await read_status(path, clock.now())
    assert healed.exit_code == 0
    # The jobs' times are told on the bot's clock too: after the clock moved, the next job is
    # still ahead, not "minutes ago".
    assert healed.beat is not None and healed.beat.jobs
    for job in healed.beat.jobs:
        assert (
            clock.now() <= datetime.fromisoformat(job["next"]) <= clock.now() + timedelta(hours=2)
        )


async def test_backup_during_a_broadcast_then_restore(
    sandbox: Sandbox, running: BotHarness, tmp_path: Path
) -> None:
    running.sender.interval = 0.3  # three copies a second: the backup lands mid-broadcast
    env = bot_env(sandbox, running.settings.database_path)
    organiser = await rep(sandbox, ADMIN_ID, "Org")
    for i in range(24):
        await rep(sandbox, 7100 + i, f"U{i}")
    await compose(organiser, "Backed up")
    await press(organiser, "Everyone", "That is the preview")
    await organiser.press("✅ Send now")
    await wait_until(lambda: len(sandbox.calls_of("copyMessage")) >= 3, 15)

    backup = tmp_path / "backups" / "daily.db"
    code, out, err = await run_cli("backup", str(backup), env=env, cwd=tmp_path)
    assert code == 0, err
    assert out.startswith(f"Backed up {running.settings.database_path} to {backup}")
    assert "integrity ok" in out
    code, _, err = await run_cli("restore", str(backup), env=env, cwd=tmp_path)
    assert code == 2 and "stop the bot first" in err and "Traceback" not in err

    await organiser.expect(is_report, timeout=30)
    database = running.settings.database_path
    await running.stop()
    copies_sent = "SELECT count(*) FROM outbox WHERE broadcast_id IS NOT NULL AND state = 'sent'"
    assert _count(database, copies_sent) == 25

    code, out, err = await run_cli("restore", str(backup), env=env, cwd=tmp_path)
    assert code == 0, err
    assert "The database it replaced is kept as" in out
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _count(database, "SELECT count(*) FROM users") == 25
    assert _count(database, "SELECT count(*) FROM broadcasts") == 1
    # The copy is of one moment: every copy queued, some of them sent, not all.
    assert _count(database, "SELECT count(*) FROM outbox WHERE broadcast_id IS NOT NULL") == 25
    sent = _count(database, copies_sent)
    assert 0 < sent < 25
    # The restored database runs: the bot starts on it and resumes the broadcast.
    await running.start()
    await wait_until(lambda: len(sandbox.calls_of("copyMessage")) >= 25 + (25 - sent), 20)


async def _older_database(path: Path) -> int:
    """A database one migration behind this version, holding a user."""
    files = migration_files()
    conn = sqlite3.connect(path)
    for number, _, sql in files[:-1]:
        conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
    conn.execute(
        "INSERT INTO users (telegram_id, first_name, first_seen, last_seen) "
        "VALUES (42, 'Ana', '2025-11-01', '2025-11-01')"
    )
    conn.commit()
    conn.close()
    return len(files) - 1


async def test_migrate_check_and_the_backup_before_migrating(tmp_path: Path) -> None:
    database = tmp_path / "data" / "fb.db"
    env = {"DATABASE_PATH": str(database), "PATH": "/usr/bin:/bin"}
    code, out, _ = await run_cli("migrate", "--check", env=env, cwd=tmp_path)
    assert code == 1 and out.startswith(f"No database at {database} yet")

    database.parent.mkdir()
    old = await _older_database(database)
    last = migration_files()[-1][1]
    code, out, _ = await run_cli("migrate", "--check", env=env, cwd=tmp_path)
    assert code == 1, out
    assert f"is at schema version {old} and needs 1 migration(s)" in out and last in out
    assert not (database.parent / "backups").exists()  # --check changes nothing

    code, out, _ = await run_cli("migrate", env=env, cwd=tmp_path)
    assert code == 0 and last in out
    backups = list((database.parent / "backups").iterdir())
    assert len(backups) == 1 and backups[0].name.startswith(f"fb-v{old}-before-v{old + 1}-")
    assert _count(backups[0], "PRAGMA user_version") == old
    assert _count(backups[0], "SELECT count(*) FROM users WHERE telegram_id = 42") == 1
    code, out, _ = await run_cli("migrate", "--check", env=env, cwd=tmp_path)
    assert code == 0 and "up to date" in out

    # A new, empty database is not backed up: there is nothing to lose.
    fresh = await Database.open(tmp_path / "new" / "f.db")
    await fresh.close()
    assert not (tmp_path / "new" / "backups").exists()
