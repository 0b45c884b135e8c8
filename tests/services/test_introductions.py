"""The introduction service without the chat: the daily "new matches" digest, and the
``export-matches`` command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.clock import FakeClock
from sandbox import Sandbox
from tests.support.harness import BotHarness, bot_env, run_cli
from tests.support.matchkit import MATCH_COLUMNS, company, rep


async def test_new_matches_digest_at_most_once_a_day(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    ana = await rep(sandbox, 6101, "Ana")
    await company(fb, ana.id, "SoftRo Automation", "Romania")
    service = fb.services.matching
    assert await service.send_digests() == 0  # nobody to match yet
    clock.advance(hours=1)
    await company(fb, None, "LahoreQA", "Pakistan")
    assert await service.send_digests() == 1  # Ana's company; LahoreQA had Ana before it joined
    digest = await ana.expect("New matches for SoftRo Automation")
    assert "LahoreQA" in (digest.text or "")
    clock.advance(hours=2)
    await company(fb, None, "Karachi QA", "Pakistan")
    assert await service.send_digests() == 0  # not twice in a day
    clock.advance(hours=23)
    assert await service.send_digests() == 1
    second = await ana.expect("Karachi QA")
    assert "New matches" in (second.text or "") and "LahoreQA" not in (second.text or "")
    clock.advance(days=2)
    assert await service.send_digests() == 0  # nothing new


async def test_export_matches_cli(
    sandbox: Sandbox, fb: BotHarness, db_path: Path, tmp_path: Path
) -> None:
    await company(fb, None, "SoftRo Automation", "Romania")
    await company(fb, None, "LahoreQA", "Pakistan")
    await company(fb, None, "Karachi QA", "Pakistan")
    out = tmp_path / "matches.csv"
    temp = tmp_path / "temp"  # where the file is worked out: nothing is left there
    temp.mkdir()
    env = bot_env(sandbox, db_path, TMPDIR=str(temp))
    code, stdout, stderr = await run_cli(
        "export-matches", "--top", "1", str(out), env=env, cwd=tmp_path
    )
    assert code == 0, stderr
    assert list(temp.iterdir()) == []
    assert "Wrote 3 rows" in stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == MATCH_COLUMNS
    assert [(r["company"], r["rank"]) for r in rows] == [
        ("Karachi QA", "1"),
        ("LahoreQA", "1"),
        ("SoftRo Automation", "1"),
    ]
    assert all(r["reasons"] for r in rows)
    # It ranks with the embeddings, which it computed and stored on the way.
    assert len(await fb.services.embeddings.all()) == 3


def test_intro_settings_are_validated() -> None:
    from bot.config import ConfigError, load_settings

    base = {"BOT_TOKEN": "123:abc"}
    assert load_settings(base, dotenv=False).intro_daily_limit == 10
    assert load_settings(base, dotenv=False).intro_expiry_days == 7
    custom = load_settings({**base, "INTRO_DAILY_LIMIT": "3", "INTRO_EXPIRY_DAYS": "2"})
    assert (custom.intro_daily_limit, custom.intro_expiry_days) == (3, 2)
    for name in ("INTRO_DAILY_LIMIT", "INTRO_EXPIRY_DAYS"):
        with pytest.raises(ConfigError, match=name):
            load_settings({**base, name: "0"}, dotenv=False)


async def test_notices_lost_in_a_crash_are_queued_again(sandbox: Sandbox, fb: BotHarness) -> None:
    """A crash between writing the request and queueing its message: the next due run
    (the first comes seconds after start-up) queues it, and only once."""
    from tests.support.matchkit import PK_OFFERS, PK_SEEKS, RO_OFFERS, RO_SEEKS

    ana = await rep(sandbox, 6201, "Ana")
    imran = await rep(sandbox, 6202, "Imran")
    await company(fb, ana.id, "SoftRo", "Romania", offers=RO_OFFERS, seeks=RO_SEEKS)
    target = await company(fb, imran.id, "LahoreQA", "Pakistan", offers=PK_OFFERS, seeks=PK_SEEKS)
    service = fb.services.intros
    notifier = fb.services.notifier
    real_enqueue = notifier.enqueue

    async def crash(messages: list[object]) -> int:
        return 0  # the process died before the messages reached the outbox

    notifier.enqueue = crash  # type: ignore[method-assign]
    outcome = await service.request(ana.id, target, "Hello")
    notifier.enqueue = real_enqueue  # type: ignore[method-assign]
    assert outcome.ok
    assert await fb.services.outbox.rows(kind="intro_request") == []

    assert (await service.run_due())["recovered"] == 1
    await imran.expect("Introduction request")
    assert (await service.run_due())["recovered"] == 0
    assert len(await fb.services.outbox.rows(kind="intro_request")) == 1


async def test_stored_reasons_are_shown_from_the_readers_side(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    """The reasons stored with a request are data from the requester's side; when the
    profiles no longer match (so they cannot be worked out again), the reminder shows the
    stored ones turned to the target's side, not the requester's sentences."""
    from tests.support.matchkit import PK_OFFERS, PK_SEEKS, RO_OFFERS, RO_SEEKS

    ana = await rep(sandbox, 6301, "Ana")
    imran = await rep(sandbox, 6302, "Imran")
    ro = await company(fb, ana.id, "SoftRo", "Romania", offers=RO_OFFERS, seeks=RO_SEEKS)
    target = await company(fb, imran.id, "LahoreQA", "Pakistan", offers=PK_OFFERS, seeks=PK_SEEKS)
    service = fb.services.intros
    assert (await service.request(ana.id, target, "")).ok
    first = await imran.expect("Introduction request")
    wanted = "• you offer software testing and QA outsourced to us — they seek outsourcing"
    assert wanted in (first.text or "")
    stored = (await fb.services.introductions.for_company(ro))[0].reasons
    assert stored[0]["kind"] == "they_offer"  # data, from Ana's side

    await fb.services.companies.update(
        ro,
        {"offers": "Organic honey", "seeks": "Beekeepers"},
        now=clock.now(),
        sectors=["Edtech"],
        partnerships=["Joint venture"],
    )
    clock.advance(days=4)  # past halfway: the reminder goes out
    assert (await service.run_due())["reminded"] == 1
    reminder = await imran.expect("Reminder: an introduction request")
    assert wanted in (reminder.text or "")
    assert "they offer software testing" not in (reminder.text or "")
