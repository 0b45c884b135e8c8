"""Steps the end-to-end tests share: the organiser opening the chat, a rep registering,
asking for an introduction, an organiser composing a broadcast, reading a document a command
sends back."""

from __future__ import annotations

import asyncio
from typing import Any

from handlers.i18n import Texts
from sandbox import Matcher, Sandbox, SandboxUser, SentMessage
from storage.companies import CompanyRecord
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.languages import EN, said

OFFERS = "RPA consulting and UiPath bots for banks & insurers <b>not bold</b>"
SEEKS = "A reseller for our automation suite in Pakistan — _*[]()~ kept"


async def answer(user: SandboxUser, text: str, expect: Matcher, timeout: float = 5.0) -> str:  # noqa: ASYNC109
    await user.send(text)
    return (await user.expect(expect, timeout)).text or ""


async def press(user: SandboxUser, button: str, expect: Matcher, timeout: float = 5.0) -> str:  # noqa: ASYNC109
    await user.press(button)
    return (await user.expect(expect, timeout)).text or ""


async def refused(user: SandboxUser, texts: tuple[str, ...], expect: Matcher) -> None:
    """Each of ``texts``, sent in turn, is answered with ``expect`` (the step asks again)."""
    for text in texts:
        await answer(user, text, expect)


async def send_sticker(user: SandboxUser, expect: Matcher) -> str:
    """A sticker where the bot expects text or a button (odd input every step must survive);
    the text of the answer (``expect``)."""
    await user.send_message(
        sticker={
            "file_id": "stk",
            "file_unique_id": "u",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
    )
    return (await user.expect(expect)).text or ""


async def started(
    sandbox: Sandbox,
    user_id: int,
    name: str = "User",
    timeout: float = 5.0,  # noqa: ASYNC109
    **fields: str,
) -> SandboxUser:
    """A user welcomed after /start (so the bot may write to them first)."""
    user = sandbox.user(user_id, name, **fields)
    await answer(user, "/start", "Welcome", timeout)
    return user


async def organiser(sandbox: Sandbox) -> SandboxUser:
    """The organiser (``ADMIN_ID``), welcomed after /start."""
    return await started(sandbox, ADMIN_ID, "Org")


async def tick(user: SandboxUser, label: str, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Press a choice of a multiple-choice menu and wait until the menu shows it ticked."""
    await user.press(label)
    await user.expect(lambda m: f"✓ {label}" in str(m.buttons()), timeout)


async def begin_registration(
    user: SandboxUser,
    name: str,
    country: str,
    city: str | None,
    timeout: float = 5.0,  # noqa: ASYNC109
) -> None:
    """/register through name, country and city (``None``: skipped), up to the sectors."""
    await answer(user, "/register", "Step 1 of 12", timeout)
    await answer(user, name, "Step 2 of 12", timeout)
    await press(user, country, "Step 3 of 12", timeout)
    await answer(user, city or "/skip", "Step 4 of 12", timeout)


async def edit_field(user: SandboxUser, field: str, heading: str) -> str:
    """From the /profile card: "✏️ Edit", then ``field``; the text of its step (``heading``)."""
    await press(user, "✏️ Edit", "Which field")
    return await press(user, field, heading)


async def register(
    user: SandboxUser,
    name: str = "Carpathian Code SRL",
    *,
    country: str = "🇷🇴 Romania",
    city: str | None = "Cluj-Napoca",
    sectors: tuple[str, ...] = ("Cybersecurity", "RPA & automation"),
    offers: str = OFFERS,
    seeks: str = SEEKS,
    intents: tuple[str, ...] = ("Find resellers / distributors",),
    size: str = "11–50",
    website: str | None = "carpathian.example",
    contact: str = "Ioana Popescu",
    email: str = "ioana@carpathian.example",
    phone: str | None = "+40 721 234 567",
    agree: bool = True,
    confirm: bool = True,
    timeout: float = 5.0,  # noqa: ASYNC109  (a burst of users needs more)
) -> None:
    await begin_registration(user, name, country, city, timeout)
    await choose(user, sectors, "Step 5 of 12", timeout)
    await answer(user, offers, "Step 6 of 12", timeout)
    await answer(user, seeks, "Step 7 of 12", timeout)
    await choose(user, intents, "Step 8 of 12", timeout)
    await press(user, size, "Step 9 of 12", timeout)
    await finish_registration(
        user,
        website=website,
        contact=contact,
        email=email,
        phone=phone,
        agree=agree,
        confirm=confirm,
        timeout=timeout,
    )


async def choose(
    user: SandboxUser,
    labels: tuple[str, ...],
    expect: Matcher,
    timeout: float = 5.0,  # noqa: ASYNC109
) -> None:
    """Tick ``labels`` on a multiple-choice menu, then "✅ Done (N chosen)"; the next step
    (``expect``)."""
    for label in labels:
        await tick(user, label, timeout)
    await press(user, f"✅ Done ({len(labels)} chosen)", expect, timeout)


async def finish_registration(
    user: SandboxUser,
    *,
    website: str | None,
    contact: str,
    email: str,
    phone: str | None,
    agree: bool = True,
    confirm: bool = True,
    timeout: float = 5.0,  # noqa: ASYNC109
) -> None:
    """From step 9 (the website; ``None``: skipped) to the end of the registration."""
    await answer(user, website or "/skip", "Contact person", timeout)
    await answer(user, contact, "Contact email", timeout)
    await answer(user, email, "Phone", timeout)
    await answer(user, phone or "/skip", "Step 11 of 12", timeout)
    await press(
        user, "✅ I agree" if agree else "Not now (don't match me)", "Step 12 of 12", timeout
    )
    if confirm:
        await press(user, "✅ Confirm", "is registered", timeout)


async def note_prompt(user: SandboxUser, card: str = "Match 1 of") -> SentMessage:
    """/matches, and "🤝 Request introduction" on the first card (its head starts with
    ``card``): the question for a note."""
    await answer(user, "/matches", card)
    await user.press("🤝 Request introduction")
    return await user.expect("Add a short note")


async def ask_without_note(user: SandboxUser, expect: Matcher | None, tx: Texts = EN) -> None:
    """Press "🤝 Request introduction" on the card on screen, then "📨 Send without a note"
    on its note prompt (labels in ``tx``'s language); ``expect``: the answer to wait for."""
    without = said(tx, "📨 Send without a note")
    await user.press(said(tx, "🤝 Request introduction"))
    await user.expect(lambda m: [without] in m.buttons())
    await user.press(without)
    if expect is not None:
        await user.expect(expect)


def last_button(user: SandboxUser, label: str) -> tuple[int, str]:
    """The newest message's id and its button ``label``'s callback data: to press that same
    button again later (a double press, a stale menu)."""
    message = user.last
    assert message is not None
    return message.message_id, message.button_data()[label]


async def registered_company(
    bot: BotHarness, user: SandboxUser, name: str, **answers: Any
) -> CompanyRecord:
    """``register`` (with its ``answers``), and the company as stored."""
    await register(user, name, **answers)
    company = await bot.services.companies.by_rep(user.id)
    assert company is not None
    return company


async def request_intro(user: SandboxUser, note: str | None = None) -> None:
    await note_prompt(user)
    if note is None:
        await user.press("📨 Send without a note")
    else:
        await user.send(note)
    await user.expect(lambda m: "request was sent" in (m.text or "") or "already" in (m.text or ""))


async def accepted_in_chat(
    asker: SandboxUser, answerer: SandboxUser, note: str | None = None
) -> None:
    """``asker`` asks for an introduction to their first match, and ``answerer`` (a rep of
    that company) accepts it from the request in the chat."""
    await request_intro(asker, note)
    await answerer.expect("Introduction request")
    await press(answerer, "✅ Accept", "You accepted")


async def compose(organiser: SandboxUser, text: str = "Forum starts at <b>10:00</b>!") -> None:
    await organiser.send("/broadcast")
    await organiser.expect("Send me the message")
    await organiser.send_message(
        text=text.replace("<b>", "").replace("</b>", ""),
        entities=[{"type": "bold", "offset": text.index("<b>"), "length": 5}]
        if "<b>" in text
        else [],
    )
    await organiser.expect("Who should get it?")


def is_report(message: SentMessage) -> bool:
    """The delivery report message (the progress message also ends with it, as an edit)."""
    return "Delivery report" in (message.text or "") and not message.edits


async def document(user: SandboxUser, command: str) -> bytes:
    await user.send(command)
    doc = await user.expect(lambda m: m.kind == "document")
    assert doc.content is not None
    return doc.content


async def wait_until(predicate: object, within: float) -> None:
    async with asyncio.timeout(within):
        while True:
            if predicate():  # type: ignore[operator]
                return
            await asyncio.sleep(0.05)


async def alerted(sandbox: Sandbox, text: str, within: float = 5) -> None:
    """Wait until a button press was answered with ``text`` (an alert or a toast)."""

    def seen() -> bool:
        calls = sandbox.calls_of("answerCallbackQuery")
        return any(text in str(c.params.get("text")) for c in calls)

    await wait_until(seen, within)
