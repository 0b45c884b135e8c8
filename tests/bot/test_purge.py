"""``python -m bot purge --before DATE``: everyone not active since DATE is erased as by
their own /deleteme, imported companies nobody claimed lose their contact details, and the
report keeps the funnel as it stood before, as anonymised counts."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from bot.clock import FakeClock
from sandbox import Sandbox
from tests.support.flows import accepted_in_chat
from tests.support.harness import BotHarness, bot_env, run_cli
from tests.support.matchkit import company, pair, rep
from tests.support.storage import bare_company


def stored(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


async def test_purge_erases_the_inactive_and_keeps_counts(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock, db_path: Path, tmp_path: Path
) -> None:
    ana, _ro, imran, _pk = await pair(sandbox, fb)
    await accepted_in_chat(ana, imran)
    bilal = await rep(sandbox, 5301, "Bilal", "bilal_active")
    await company(fb, bilal.id, "Karachi Active Systems", "Pakistan")
    services = fb.services
    await bare_company(
        services.db,
        "Never Claimed SRL",
        "RO",
        now=clock.now(),
        offers="Offers enough",
        seeks="Seeks enough",
        contact_name="Ion Neclaimat",
        contact_email="ion@neverclaimed.example",
        source="import",
    )
    # Bilal came back after the forum; Ana and Imran did not.
    await services.db.execute(
        "UPDATE users SET last_seen = '2026-01-10T09:00:00+00:00' WHERE telegram_id = ?",
        (bilal.id,),
    )
    await fb.stop()
    env = bot_env(sandbox, db_path)
    code, out, _ = await run_cli(
        "purge", "--before", "2025-12-01", "--dry-run", env=env, cwd=tmp_path
    )
    assert code == 0 and "2 people have not been active since 2025-12-01" in out
    code, out, err = await run_cli("purge", "--before", "2025-12-01", env=env, cwd=tmp_path)
    assert code == 0, err
    assert "Erased 2 people not active since 2025-12-01 (2 companies went" in out
    assert "contact details of 1 imported companies never claimed" in out
    assert "registered 3, consented 3, matched 3, introduced 2, accepted 2" in out

    await fb.start()
    db = fb.services.db
    assert [r[0] for r in await db.fetchall("SELECT telegram_id FROM users")] == [bilal.id]
    names = {r[0] for r in await db.fetchall("SELECT name FROM companies")}
    assert names == {"Karachi Active Systems", "Never Claimed SRL"}
    row = await db.fetchone(
        "SELECT contact_name, contact_email FROM companies WHERE name = 'Never Claimed SRL'"
    )
    assert row is not None and tuple(row) == (None, None)
    await fb.stop()
    for suffix in ("", "-wal", "-shm"):
        raw = stored(Path(f"{db_path}{suffix}"))
        for secret in (b"imran_lhr", b"ana_softro", b"ion@neverclaimed", b"Ion Neclaimat"):
            assert secret not in raw, (suffix, secret)

    target = tmp_path / "after.xlsx"
    code, _, err = await run_cli("report", str(target), env=env, cwd=tmp_path)
    assert code == 0, err
    summary = openpyxl.load_workbook(target)["Summary"]
    assert summary["D4"].value == "Before the purge of 2025-12-01"
    now = [summary.cell(row=r, column=2).value for r in range(5, 14)]
    before = [summary.cell(row=r, column=4).value for r in range(5, 14)]
    assert now[:5] == [1, 1, 0, 0, 0]
    assert before[:5] == [3, 3, 3, 2, 2]
