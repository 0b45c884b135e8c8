"""The demo's scene in the bot's other languages: a rep whose Telegram client speaks ``ro``
and one whose client speaks ``ur`` register, each in their own language, and are introduced to
each other, each reading the other's request and contact card in their own language; the
agenda scene then subscribes them and shows their reminders.

The scene presses buttons by their place on the keyboard, and the forum's countries, sectors
and intents by their names in the reader's language (from the forum file), so it reads no
English and follows the translators' wording without knowing it."""

from __future__ import annotations

import re

from sandbox import SandboxUser
from sandbox.demo_script import Demo, register

RO_REP_ID = 501  # Ioana, of a company from the forum's first country, reads ro
UR_REP_ID = 601  # Bilal, of one from the second, reads Urdu


def step(n: int) -> re.Pattern[str]:
    """Registration step ``n``'s head in any language: "Pasul 3 din 12", "مرحلہ 3 از 12"."""
    return re.compile(rf"(?<!\d){n}\D{{1,8}}12\b")


def first_button(user: SandboxUser) -> str:
    """The label of the first button of the user's last message."""
    message = user.last
    assert message is not None and message.buttons(), "expected a keyboard"
    return message.buttons()[0][0]


def last_button(user: SandboxUser) -> str:
    message = user.last
    assert message is not None and message.buttons(), "expected a keyboard"
    return message.buttons()[-1][-1]


def button_with(user: SandboxUser, mark: str) -> str:
    """The first button of the user's last message whose label starts with ``mark``."""
    message = user.last
    labels = [label for row in (message.buttons() if message else []) for label in row]
    return next(label for label in labels if label.startswith(mark))


def ro_rep(demo: Demo) -> SandboxUser:
    return demo.person(RO_REP_ID, "Ioana", "ioana_carpati", language_code="ro")


def ur_rep(demo: Demo) -> SandboxUser:
    return demo.person(UR_REP_ID, "Bilal", "bilal_indus", language_code="ur")


async def _registers(
    demo: Demo,
    user: SandboxUser,
    language: str,
    *,
    country: str,
    name: str,
    city: str,
    offers: str,
    seeks: str,
    intent: str,
    contact: str,
    email: str,
) -> None:
    forum = demo.forum
    sector = forum.sectors[2 % len(forum.sectors)]
    await demo.send(user, "/start", "ForumBridge")
    await demo.press(user, first_button(user), step(1))  # 📝 Register my company
    await demo.send(user, name, step(2))
    await demo.press(user, forum.flag_and_name(country, language), step(3))
    await demo.send(user, city, step(4))
    await register(demo, user, [("tick", forum.sector_label(sector.key, language), "")])
    await demo.press(user, last_button(user), step(5))  # ✅ Done (1 chosen)
    await demo.send(user, offers, step(6))
    await demo.send(user, seeks, step(7))
    await register(demo, user, [("tick", forum.intent_label(intent, language), "")])
    await demo.press(user, last_button(user), step(8))
    await demo.press(user, "11–50", step(9))
    # No website; then the contact person, the e-mail and the phone are all step 10.
    for answer in ("/skip", contact, email):
        await demo.send(user, answer, step(10))
    await demo.send(user, "/skip", step(11))
    await demo.press(user, first_button(user), step(12))  # ✅ I agree
    await demo.press(user, first_button(user), "🎉")  # ✅ Confirm


async def scene_languages(demo: Demo) -> None:
    demo.scene("In the readers' own languages (ro, ur): registration and an introduction")
    forum = demo.forum
    first, second = forum.countries
    wants = forum.intents[0]
    gives = wants.complements[0] if wants.complements else wants.key
    ioana, bilal = ro_rep(demo), ur_rep(demo)
    await _registers(
        demo,
        ioana,
        "ro",
        country=first.code,
        name="Carpați ERP Solutions",
        city="Iași",
        offers="Odoo ERP implementation and migration for manufacturers and retailers",
        seeks="An offshore team for Odoo ERP module development and support, outsourced",
        intent=wants.key,
        contact="Ioana Munteanu",
        email="ioana@carpati-erp.example",
    )
    await _registers(
        demo,
        bilal,
        "ur",
        country=second.code,
        name="Indus ERP Labs",
        city="Faisalabad",
        offers="Odoo ERP module development and support teams, outsourced to us",
        seeks="ERP implementation partners and manufacturers and retailers as clients",
        intent=gives,
        contact="Bilal Ahmed",
        email="bilal@indus-erp.example",
    )
    await demo.send(ioana, "/matches", "Indus ERP Labs")
    await demo.press(ioana, first_button(ioana), "Indus ERP Labs")  # 🤝 Request introduction
    await demo.press(ioana, first_button(ioana), "Indus ERP Labs")  # 📨 Send without a note
    request = await bilal.expect(lambda m: m.text is not None and "🤝" in m.text, timeout=10)
    demo._show(bilal, request)
    await demo.press(bilal, first_button(bilal), "Carpați ERP Solutions")  # ✅ Accept
    demo._show(bilal, await bilal.expect("ioana@carpati-erp.example", timeout=10))
    demo._show(ioana, await ioana.expect("bilal@indus-erp.example", timeout=10))


async def subscribe_both(demo: Demo) -> None:
    """For the agenda scene: both subscribe to every session in their own language."""
    for user in (ro_rep(demo), ur_rep(demo)):
        await demo.send(user, "/agenda", "🗓")
        await demo.press(user, button_with(user, "🔔"), "🔔")  # 🔔 Subscribe to all
