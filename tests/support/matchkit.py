"""Helpers for the matching and introduction tests: a bot on a FakeClock and companies
created directly through the repository (the registration conversation is tested elsewhere)."""

from __future__ import annotations

from typing import Any

from bot.clock import FakeClock
from bot.forum import Intent, Sector
from sandbox import Sandbox, SandboxUser
from tests.support.harness import BotHarness

RO_OFFERS = "RPA consulting, UiPath automation and mobile app development for banks"
RO_SEEKS = "Outsourcing partners for QA testing; resellers for our fraud detection suite"
PK_OFFERS = "Software testing and QA outsourced to us; automated test suites"
PK_SEEKS = "Automate back-office processes with RPA; a fraud detection product to resell"
# The columns of a match export (/exportmatches, ``export-matches``), in their order.
MATCH_COLUMNS = ["company", "country", "match", "match_country", "rank", "score", "reasons"]


async def rep(
    sandbox: Sandbox, user_id: int, name: str, username: str | None = None
) -> SandboxUser:
    """A user who has opened the chat (so the outbox can reach them)."""
    user = sandbox.user(user_id, name, username=username)
    await user.send("/start")
    await user.expect("ForumBridge")
    return user


async def company(
    harness: BotHarness,
    rep_id: int | None,
    name: str,
    country: str,
    *,
    offers: str = "",
    seeks: str = "",
    sectors: tuple[str, ...] = ("Fintech",),
    partnerships: tuple[str, ...] = (),
    **fields: Any,
) -> int:
    """A company stored directly; ``country``, ``sectors`` and ``partnerships`` may be given
    as the forum file names them (the repository stores codes and keys)."""
    services = harness.services
    forum = services.forum
    found = forum.find_country(country)
    code = found.code if found else country
    first = code == forum.codes[0]
    values: dict[str, Any] = {
        "name": name,
        "country": code,
        "city": "Bucharest" if first else "Lahore",
        "offers": offers or (RO_OFFERS if first else PK_OFFERS),
        "seeks": seeks or (RO_SEEKS if first else PK_SEEKS),
        "size": "51–200",
        "website": f"https://{name.split()[0].lower()}.example",
        "contact_name": f"Contact of {name}",
        "contact_email": f"hello@{name.split()[0].lower()}.example",
        "contact_phone": "+40 700 000 000" if first else "+92 300 0000000",
        "consent": 1,
    }
    values.update(fields)
    intents = partnerships or (
        ("Outsource work to a partner", "Find resellers / distributors")
        if first
        else ("Deliver services as a subcontractor", "Resell or distribute products")
    )
    return await services.companies.create(
        values,
        sectors=[_key(forum.find_sector(s), s) for s in sectors],
        partnerships=[_key(forum.find_intent(i), i) for i in intents],
        now=services.clock.now(),
        rep_id=rep_id,
    )


def _key(found: Sector | Intent | None, given: str) -> str:
    return found.key if found is not None else given


async def pair(sandbox: Sandbox, harness: BotHarness) -> tuple[SandboxUser, int, SandboxUser, int]:
    """Ana of SoftRo (Romania) and Imran of LahoreQA (Pakistan), a clearly good match."""
    ana = await rep(sandbox, 5101, "Ana", "ana_softro")
    imran = await rep(sandbox, 5201, "Imran", "imran_lhr")
    ro = await company(harness, ana.id, "SoftRo Automation", "Romania")
    pk = await company(harness, imran.id, "LahoreQA", "Pakistan")
    return ana, ro, imran, pk


async def lahore_qa(
    sandbox: Sandbox, harness: BotHarness, user_id: int, partnerships: tuple[str, ...]
) -> SandboxUser:
    """Imran (``imran_lhr``), who opened the chat, and his LahoreQA (Pakistan, RPA &
    automation) stored with ``partnerships``."""
    imran = await rep(sandbox, user_id, "Imran", "imran_lhr")
    await company(
        harness,
        imran.id,
        "LahoreQA",
        "Pakistan",
        sectors=("RPA & automation",),
        partnerships=partnerships,
    )
    return imran


def clock_at_start() -> FakeClock:
    return FakeClock()
