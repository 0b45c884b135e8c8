"""Forged buttons whose numbers are out of range or not plain decimals: every numeric callback
family answers the quiet "menu expired" and logs no ERROR (no OverflowError from SQLite, no
ValueError from ``int``)."""

from __future__ import annotations

import logging

import pytest

from sandbox import Sandbox, SandboxUser
from tests.support.flows import tick
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import pair, rep

FORGED_NUMBERS = (
    "99999999999999999999999",  # far beyond SQLite's INTEGER
    str(2**63),  # one past it: sqlite3 raises OverflowError on binding
    "-5",  # negative
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # an Arabic-Indic digit: \d matches it, our callback data never has it
)

# Callback families with a number, pressed by any user outside a conversation.
ANYONE = (
    "intro:acc:",
    "intro:dec:",
    "xp:",
    "xr:",
    "pe:",  # ✏️ Edit of a company (handlers.callbacks.ProfileEdit)
    "agp:",
    "ags:",
    "agsu:1:",
    "agsu:0:",
    "rml:1:",
    "rml:0:",
)
# Families only organisers reach.
ORGANISER = ("bcs:", "bcx:")


async def press_forged(sandbox: Sandbox, user: SandboxUser, prefixes: tuple[str, ...]) -> list[str]:
    """Press every prefix with every forged number; return what was not answered quietly."""
    problems: list[str] = []
    message = user.last
    assert message is not None
    for prefix in prefixes:
        for number in FORGED_NUMBERS:
            data = prefix + number
            update = await user.press_data(message.message_id, data)
            answer = await sandbox.wait_answer(update["callback_query"]["id"])
            if "expired" not in str(answer["text"]) or answer["show_alert"]:
                problems.append(f"{data!r}: {answer}")
    return problems


async def test_forged_numbers_get_the_quiet_expired_answer(
    sandbox: Sandbox, fb: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    ana, _ro, _imran, _pk = await pair(sandbox, fb)
    await ana.send("/matches")
    await ana.expect("Match 1 of")
    problems = await press_forged(sandbox, ana, ANYONE)

    organiser = await rep(sandbox, ADMIN_ID, "Org")
    problems += await press_forged(sandbox, organiser, ORGANISER + ANYONE[:2])
    # Inside the broadcast conversation, at the audience step.
    await organiser.send("/broadcast")
    await organiser.expect("Send me the message")
    await organiser.send("Doors open at ten")
    await organiser.expect("Who should get it?")
    problems += await press_forged(sandbox, organiser, ("bcq:", "bcn:"))
    # Inside the registration conversation, at the sectors step.
    newcomer = await rep(sandbox, 5401, "Nadia")
    await newcomer.send("/register")
    await newcomer.expect("Step 1 of 12")
    await newcomer.send("Indus Cloud Works")
    await newcomer.expect("Step 2 of 12")
    await newcomer.press("🇵🇰 Pakistan")
    await newcomer.expect("Step 3 of 12")
    await newcomer.send("Karachi")
    await newcomer.expect("Step 4 of 12")
    problems += await press_forged(sandbox, newcomer, ("gt:sectors:",))

    assert problems == []
    # Still in the conversations: the forged presses changed nothing.
    await organiser.press("Everyone")
    await organiser.expect("recipient(s)")
    await tick(newcomer, "Fintech")
    await sandbox.wait_idle()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
