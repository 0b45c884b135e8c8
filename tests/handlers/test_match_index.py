"""The one matching index per process, through the real bot: a company edited, paused or
deleted and a new one are reflected on the next /matches by catching up, not by building the
index again; a reply is answered while an export of all matches is being worked out."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from bot.domain.matching import Matcher
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
