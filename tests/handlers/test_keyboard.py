"""handlers.keyboard.Keyboard (a menu serialised once) and the registration's cached menus:
what goes to Telegram is what a plain InlineKeyboardMarkup would send, a copy every time,
and a forum whose lists change gets menus of its own, never a cached one of another forum."""

from __future__ import annotations

import json
from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.forum import load_forum
from handlers.i18n import texts
from handlers.keyboard import Keyboard
from handlers.registration import keyboards
from tests.support.harness import REPO_ROOT

FORUM = load_forum(REPO_ROOT / "data" / "forum.toml")


def _labels(markup: InlineKeyboardMarkup) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


def test_a_keyboard_sends_what_a_plain_markup_sends_and_hands_out_copies() -> None:
    rows = [
        [InlineKeyboardButton("✅ Done", callback_data="d")],
        [InlineKeyboardButton("Site", url="https://example.com")],
    ]
    keyboard, plain = Keyboard(rows), InlineKeyboardMarkup(rows)
    assert json.dumps(keyboard.to_dict()) == json.dumps(plain.to_dict())
    assert keyboard.to_dict(recursive=False) == plain.to_dict(recursive=False)
    keyboard.to_dict()["inline_keyboard"].clear()
    assert keyboard.to_dict() == plain.to_dict()


def test_the_registration_lists_follow_the_forum_and_the_choices() -> None:
    tx = texts("en")
    first = keyboards.choices(tx, "sectors", FORUM, ["fintech"])
    assert first is keyboards.choices(tx, "sectors", FORUM, ["fintech"])  # made once
    assert "✓ Fintech" in _labels(first)
    assert "✅ Done (1 chosen)" in _labels(first)
    assert "✓ Fintech" not in _labels(keyboards.choices(tx, "sectors", FORUM, []))
    assert "✓ Fintech" in _labels(keyboards.choices(texts("ro"), "sectors", FORUM, ["fintech"]))
    fewer = replace(FORUM, sectors=FORUM.sectors[1:])
    gone = FORUM.sectors[0].label
    assert gone in " ".join(_labels(keyboards.choices(tx, "sectors", FORUM, [])))
    assert gone not in " ".join(_labels(keyboards.choices(tx, "sectors", fewer, [])))
    renamed = replace(FORUM, sectors=(replace(FORUM.sectors[0], label="Renamed"),))
    assert _labels(keyboards.choices(tx, "sectors", renamed, []))[0] == "Renamed"


def test_the_country_menu_follows_the_language() -> None:
    english = _labels(keyboards.countries(texts("en"), FORUM))
    romanian = _labels(keyboards.countries(texts("ro"), FORUM))
    assert english == [FORUM.flag_and_name(c.code, "en") for c in FORUM.countries]
    assert romanian == [FORUM.flag_and_name(c.code, "ro") for c in FORUM.countries]


def test_the_size_and_field_menus_are_made_once_per_language_and_choice() -> None:
    tx = texts("en")
    assert keyboards.sizes(tx, "11–50") is keyboards.sizes(tx, "11–50")
    assert "✓ 11–50" in _labels(keyboards.sizes(tx, "11–50"))
    assert "✓ 11–50" not in _labels(keyboards.sizes(tx, None))
    editing = _labels(keyboards.fields(tx, editing=True))
    assert editing[-1] == "✅ Done"
    assert _labels(keyboards.fields(tx, editing=False))[-1] == "↩️ Back to the summary"
    assert _labels(keyboards.fields(texts("ro"), editing=True)) != editing
