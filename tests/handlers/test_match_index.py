"""The one matching index per process, through the real bot: a company edited, paused or
deleted and a new one are reflected on the next /matches by catching up, not by building the
index again; a reply is answered while an export of all matches is being worked out."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.domain.matching import Matcher
from bot.services.match_export import EXPORT_PREFIX
from sandbox import Sandbox
from tests.support.flows import answer
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import company, pair, rep


async def test_changes_reach_the_next_matches_without_a_rebuild(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    ana, _ro, _imran, pk = await pair(sandbox, fb)
    companies, index = fb.services.companies, fb.services.matching.index
    now = fb.services.clock.now()
    await ana.send("/matches")
    assert "LahoreQA" in ((await ana.expect("Match 1 of 1")).text or "")
    builds = index.builds

    ravi = await company(fb, None, "Ravi RPA Labs", "Pakistan")
    await answer(ana, "/matches", "Match 1 of 2")

    await companies.update(pk, {"name": "LahoreQA Testing"}, now=now)
    shown = await answer(ana, "/matches", "Match 1 of 2")
    await ana.press("Next ▶")
    shown += (await ana.expect("Match 2 of 2")).text or ""
    assert "LahoreQA Testing" in shown

    await companies.update(pk, {"paused": 1}, now=now)
    only = await answer(ana, "/matches", "Match 1 of 1")
    assert "Ravi RPA Labs" in only and "LahoreQA" not in only

    await companies.delete(ravi)
    await answer(ana, "/matches", "ready to be matched")

    await companies.update(pk, {"paused": 0}, now=now)
    await ana.send("/matches")
    assert "LahoreQA Testing" in ((await ana.expect("Match 1 of 1")).text or "")
    assert index.builds == builds


async def test_a_reply_is_answered_while_an_export_is_worked_out(
    sandbox: Sandbox, fb: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await pair(sandbox, fb)
    admin = await rep(sandbox, ADMIN_ID, "Org")
    other = await rep(sandbox, 5301, "Other")
    started, release = threading.Event(), threading.Event()
    held: list[bool] = []
    explain = Matcher.match

    def slow(self: Matcher, *args: Any, **kwargs: Any) -> Any:
        # The export's first reason waits for the test; on the event loop it would hold up
        # every reply, so the wait gives up after a while and says so.
        if not held:
            held.append(False)
            started.set()
            held[0] = release.wait(timeout=20)
        return explain(self, *args, **kwargs)

    monkeypatch.setattr(Matcher, "match", slow)
    await admin.send("/exportmatches 3")
    assert await asyncio.to_thread(started.wait, 20)
    await answer(other, "/help", "/start")
    release.set()
    await admin.expect(lambda m: m.kind == "document")
    assert held == [True]  # the export waited for the reply, not the other way round


async def test_the_export_is_sent_from_a_temporary_file_deleted_afterwards(
    sandbox: Sandbox, fb: BotHarness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The CSV is written to a temporary file while it is worked out (not kept in memory),
    sent from it, and the file is gone once sent."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    await pair(sandbox, fb)
    await company(fb, None, "Karachi QA", "Pakistan")
    admin = await rep(sandbox, ADMIN_ID, "Org")
    seen: list[list[str]] = []
    explain = Matcher.match

    def spy(self: Matcher, *args: Any, **kwargs: Any) -> Any:
        seen.append(sorted(p.name for p in temp.iterdir()))
        return explain(self, *args, **kwargs)

    monkeypatch.setattr(Matcher, "match", spy)
    await admin.send("/exportmatches 3")
    doc = await admin.expect(lambda m: m.kind == "document")
    assert seen and all(len(names) == 1 and names[0].startswith(EXPORT_PREFIX) for names in seen), (
        seen
    )
    # The document is in the chat before the bot has read Telegram's answer and let go of
    # the file: wait for the bot to fall idle.
    await sandbox.wait_idle(quiet=0.1)
    assert list(temp.iterdir()) == []
    rows = list(csv.DictReader(io.StringIO((doc.content or b"").decode())))
    assert [(r["company"], r["match"], r["rank"]) for r in rows] == [
        ("Karachi QA", "SoftRo Automation", "1"),
        ("LahoreQA", "SoftRo Automation", "1"),
        ("SoftRo Automation", "LahoreQA", "1"),
        ("SoftRo Automation", "Karachi QA", "2"),
    ] or [(r["company"], r["match"], r["rank"]) for r in rows] == [
        ("Karachi QA", "SoftRo Automation", "1"),
        ("LahoreQA", "SoftRo Automation", "1"),
        ("SoftRo Automation", "Karachi QA", "1"),
        ("SoftRo Automation", "LahoreQA", "2"),
    ]


async def test_the_export_empties_the_quotes_it_filled_and_keeps_those_of_matches(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    """The quotable parts the export works out for every company are let go when it ends;
    those /matches filled before it stay (the next /matches reuses them)."""
    _ana, ro, imran, pk = await pair(sandbox, fb)
    karachi = await company(fb, None, "Karachi QA", "Pakistan")
    await company(fb, None, "Ravi RPA Labs", "Pakistan")
    await imran.send("/matches")  # his one match, SoftRo: their two companies' quotes
    await imran.expect("Match 1 of 1")
    service = fb.services.matching
    async with service.index.reading((), 0) as live:
        matcher, profiles = live.matcher, dict(live.profiles)
    quoted = {i for i in profiles if matcher.prepare(profiles[i]).quotes}
    assert ro in quoted and pk in quoted and karachi not in quoted
    filled: list[bool] = []
    explain = Matcher.match

    def spy(self: Matcher, me: Any, other: Any) -> Any:
        found = explain(self, me, other)
        filled.append(bool(self.prepare(profiles[karachi]).quotes))
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Matcher, "match", spy)
        async with service.export(3) as found:
            assert found.rows == 6
    assert any(filled)  # the export filled Karachi QA's quotes ...
    assert not matcher.prepare(profiles[karachi]).quotes  # ... and let them go
    assert {i for i in profiles if matcher.prepare(profiles[i]).quotes} == quoted


async def test_the_export_file_is_the_same_with_and_without_the_index(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    await pair(sandbox, fb)
    await company(fb, None, "=Karachi QA — ünïcode", "Pakistan")
    service = fb.services.matching
    async with service.export(3) as found:
        live = found.path.read_bytes()
    service.live = False  # every use reads all companies and ranks them, as before the index
    try:
        async with service.export(3) as found:
            old = found.path.read_bytes()
    finally:
        service.live = True
    assert live == old
    assert live.startswith(b"company,country,match,") and "'=Karachi QA — ünïcode".encode() in live
