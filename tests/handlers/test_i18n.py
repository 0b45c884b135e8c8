"""The language helpers: which language a Telegram client gets, and user text in RTL."""

from __future__ import annotations

import pytest

from handlers.i18n import FSI, PDI, language_for, texts


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("ro", "ro"),
        ("ro-RO", "ro"),
        ("ur", "ur"),
        ("UR_pk", "ur"),
        ("en-GB", "en"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_language_for_a_telegram_client(code: str | None, language: str) -> None:
    assert language_for(code) == language


def test_user_text_is_escaped_and_isolated_only_in_right_to_left_text() -> None:
    assert texts("en").user("<b>A&B</b>") == "&lt;b&gt;A&amp;B&lt;/b&gt;"
    assert texts("ur").user("ana@example.ro") == f"{FSI}ana@example.ro{PDI}"
    assert texts("ur").user("") == ""


def test_english_plural_forms_fill_in_the_count() -> None:
    tx = texts("en")
    assert tx.n_("{n} company", "{n} companies", 1) == "1 company"
    assert tx.n_("{n} company", "{n} companies", 1200) == "1,200 companies"


def test_a_menu_that_depends_on_the_language_alone_is_made_once_per_language() -> None:
    from handlers.registration import keyboards
    from handlers.start import start_keyboard

    langs = ("en", "ro", "ur")
    for build in (start_keyboard, keyboards.consent, keyboards.summary):
        assert build(texts("ro")) is build(texts("ro"))
        assert build(texts("ur")) is build(texts("ur"))
    # ... and each language gets its own words.
    labels = {lang: start_keyboard(texts(lang)).inline_keyboard[0][0].text for lang in langs}
    assert len(set(labels.values())) == len(langs)
    assert labels["en"] == "📝 Register my company"
