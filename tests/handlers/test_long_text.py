"""Long texts end to end: registrations whose answers fill the field limits with HTML
specials or astral characters finish, and /profile shows them, each message within what
Telegram accepts (the sandbox measures the shown text in UTF-16, as Telegram does)."""

from __future__ import annotations

from sandbox import Sandbox, SandboxUser, utf16_len
from tests.support.flows import press, register
from tests.support.harness import BotHarness

SEND_METHODS = ("sendMessage", "editMessageText", "editMessageReplyMarkup")


def refused(sandbox: Sandbox) -> list[tuple[str, tuple[int, str]]]:
    return [
        (c.method, c.error)
        for c in sandbox.calls
        if c.method in SEND_METHODS and c.error is not None
    ]


async def profile_parts(user: SandboxUser, sandbox: Sandbox) -> list[str]:
    before = len(user.messages)
    await user.send("/profile")
    await user.expect(lambda m: bool(m.buttons()) and "Edit" in str(m.buttons()))
    await sandbox.wait_idle()
    return [m.text or "" for m in user.messages[before:]]


async def test_offers_of_ampersands_and_brackets_register_and_show(
    sandbox: Sandbox, running: BotHarness
) -> None:
    offers = "&<" * 500  # 1,000 characters typed, 4,500 once escaped
    seeks = "<&" * 500
    ana = sandbox.user(3101, "Ana")
    await register(ana, "Ampersand & <Bracket> SRL", offers=offers, seeks=seeks)
    company = await running.services.companies.by_rep(3101)
    assert company is not None and company.offers == offers and company.seeks == seeks
    parts = await profile_parts(ana, sandbox)
    shown = "\n".join(parts)
    assert "Ampersand & <Bracket> SRL" in shown
    assert f"Offers: {offers}" in shown and f"Seeks: {seeks}" in shown
    assert refused(sandbox) == []


async def test_a_summary_longer_than_a_message_is_sent_in_parts(
    sandbox: Sandbox, running: BotHarness
) -> None:
    # 1,000 emoji are 2,000 UTF-16 units each: the summary and the card exceed 4,096.
    offers, seeks = "🚀" * 1000, "🤝" * 1000
    ion = sandbox.user(3102, "Ion")
    await register(ion, "Rocket Handshake SRL", offers=offers, seeks=seeks, confirm=False)
    last = await ion.expect(lambda m: "✅ Confirm" in str(m.buttons()))
    first = ion.messages[ion.messages.index(last) - 1]
    assert "Step 12 of 12" in (first.text or "") and not first.buttons()
    assert offers in (first.text or "") + (last.text or "")
    await press(ion, "✅ Confirm", "is registered")
    # The used summary lost its buttons (its text was too long to replace).
    await sandbox.wait_idle()
    assert not last.buttons()
    company = await running.services.companies.by_rep(3102)
    assert company is not None and company.offers == offers
    parts = await profile_parts(ion, sandbox)
    assert len(parts) == 2
    assert all(utf16_len(p) <= 4096 for p in parts)
    # The buttons are under the last part; together the parts show the whole card.
    assert ion.messages[-1].buttons() and not ion.messages[-2].buttons()
    assert offers in parts[0] + parts[1] and seeks in parts[0] + parts[1]
    assert refused(sandbox) == []
