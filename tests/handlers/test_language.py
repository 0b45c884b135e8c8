"""/language: the choice is kept, wins over the Telegram client's language, survives a
restart and decides the language of notices too; the command menu exists per language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.services.container import Services
from handlers.callbacks import LanguagePick
from handlers.i18n import Texts
from handlers.notifications import Rendered, renderer
from sandbox import Sandbox
from tests.support.harness import ADMIN_ID, BotHarness


@renderer("test_language_probe")
async def probe(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    return Rendered(text=f"probe read in {tx.language}")


async def test_the_choice_is_kept_and_used_for_notices(
    sandbox: Sandbox, harness: BotHarness
) -> None:
    await harness.start()
    ana = sandbox.user(8801, "Ana", language_code="en")
    await ana.send("/language")
    menu = await ana.expect("Which language")
    assert menu.buttons() == [["✓ English", "Română", "اردو"]]
    await ana.press("Română")
    # The confirmation is already in the language she chose.
    chosen = await ana.expect(lambda m: bool(m.edits) and "De acum" in (m.text or ""))
    assert chosen.text == (
        "De acum înainte vă voi scrie în română. O puteți schimba oricând cu /language."
    )
    assert await harness.services.languages.of(ana.id, "en") == "ro"
    await harness.restart()
    # The choice outlives the process, and a notice to her is rendered in it.
    await harness.services.notifier.tell([ana.id], "test_language_probe", {}, key="probe")
    await ana.expect("probe read in ro")


async def test_a_forged_language_is_the_expired_menu(sandbox: Sandbox, running: BotHarness) -> None:
    ana = sandbox.user(8802, "Ana")
    await ana.send("/language")
    menu = await ana.expect("Which language")
    update = await ana.press_data(menu.message_id, "lang:de")
    answer = await sandbox.wait_answer(update["callback_query"]["id"])
    assert "expired" in answer["text"]
    assert await running.services.languages.of(ana.id, "en") == "en"
    assert LanguagePick("ur").pack() == "lang:ur"


async def test_the_command_menu_is_set_for_each_language(
    sandbox: Sandbox, running: BotHarness
) -> None:
    english = [c["command"] for c in sandbox.commands()]
    assert "language" in english
    for language in ("ro", "ur"):
        assert [c["command"] for c in sandbox.commands(language_code=language)] == english
    organiser = sandbox.commands({"type": "chat", "chat_id": ADMIN_ID})
    assert {"broadcast", "language"} <= {c["command"] for c in organiser}


async def test_romanian_and_urdu_readers_read_their_catalogue(
    sandbox: Sandbox, running: BotHarness
) -> None:
    """Through the running bot: a client in Romanian and one in Urdu get the catalogues'
    translations, in the menu Telegram shows them and in the bot's answers."""
    ana = sandbox.user(8803, "Ana", language_code="ro-RO")
    imran = sandbox.user(8804, "Imran", language_code="ur")
    await ana.send("/language")
    menu = await ana.expect("În ce limbă")
    assert menu.text == "În ce limbă doriți să vă scriu?"
    assert menu.buttons() == [["English", "✓ Română", "اردو"]]
    await imran.send("/language")
    assert (await imran.expect("زبان")).text == "میں آپ سے کس زبان میں بات کروں؟"
    described = {
        language: {c["command"]: c["description"] for c in sandbox.commands(language_code=language)}
        for language in ("ro", "ur")
    }
    assert described["ro"]["register"] == "Înregistrați-vă compania"
    assert described["ur"]["register"] == "اپنی کمپنی رجسٹر کریں"
    assert described["ro"]["language"] == "Alegeți limba: English, Română, اردو"
