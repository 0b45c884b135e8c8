"""The Romanian and Urdu catalogues: every message the code marks has a confirmed translation
that keeps its placeholders, its HTML and Telegram's limits, in the language's own script;
the catalogues compile and the bot reads them, from a checkout or an installed package; and
the forum file names everything in both languages.

The messages are extracted from the code with the settings of ``make messages``
(locales/messages.py), so a message added to the code fails here until it is translated.
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from collections.abc import Iterator
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import TypeVar

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.domain.matching.lexicon import LEXICON
from bot.domain.matching.reasons import THEY_OFFER_CONCEPT, Reason
from bot.domain.reason_texts import render
from bot.forum import load_forum
from handlers.i18n import compile_catalogue, texts
from locales.messages import DOMAIN, SOURCES, TRANSLATED, extracted
from tests.support.catalogue_checks import (
    message_problems,
    romanian_problems,
    urdu_problems,
)

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
PLURALS = {"ro": 3, "ur": 2}


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue(language: str) -> Catalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


@cache
def code_messages() -> tuple[str | tuple[str, ...], ...]:
    return tuple(sorted({message for _file, _line, message in extracted(ROOT)}, key=str))


def test_the_code_has_messages_to_translate() -> None:
    messages = code_messages()
    assert len(messages) > 200
    assert "Which language should I use with you?" in messages
    assert ("{n} company", "{n} companies") in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_code_is_translated_and_keeps_what_telegram_needs(
    language: str,
) -> None:
    problems = {
        message: found
        for message in code_messages()
        if (found := message_problems(catalogue(language), message))
    }
    assert problems == {}, f"{len(problems)} messages need a {language} translator"


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_has_its_languages_plural_forms(language: str) -> None:
    cat = catalogue(language)
    cldr = Catalog(locale=language)
    assert (cat.num_plurals, cat.plural_expr) == (PLURALS[language], cldr.plural_expr)


def test_the_catalogues_compile_and_the_bot_reads_romanian_and_urdu() -> None:
    ro, ur = texts("ro"), texts("ur")
    assert ro._("Which language should I use with you?") == "În ce limbă doriți să vă scriu?"
    assert ur._("Which language should I use with you?") == "میں آپ سے کس زبان میں بات کروں؟"
    assert texts("en")._("Which language should I use with you?") == (
        "Which language should I use with you?"
    )
    # Romanian has three plural forms: one, a few (and 0, and 101-119), and twenty or more.
    assert [ro.n_("{n} company", "{n} companies", n) for n in (1, 2, 20, 101)] == [
        "1 companie",
        "2 companii",
        "20 de companii",
        "101 companii",
    ]
    assert [ur.n_("{n} company", "{n} companies", n) for n in (1, 2, 20)] == [
        "1 کمپنی",
        "2 کمپنیاں",
        "20 کمپنیاں",
    ]
    # Counts are written as the reader's locale writes numbers.
    assert ro.n_("{n} company", "{n} companies", 1200) == "1.200 de companii"


def test_a_fuzzy_translation_is_reported_and_not_used() -> None:
    with po_path("ro").open("rb") as handle:
        cat = read_po(handle, locale="ro", domain=DOMAIN)
    message = cat.get("Which language should I use with you?")
    assert message is not None
    message.flags.add("fuzzy")
    assert message_problems(cat, message.id) == ["fuzzy: a translator must confirm it"]
    written = io.BytesIO()
    write_po(written, cat)
    written.seek(0)
    loaded = compile_catalogue(written, "ro")
    assert loaded.gettext("Which language should I use with you?") == (
        "Which language should I use with you?"
    )
    assert loaded.gettext("Thank you!") == "Vă mulțumim!"


# Each check fires on the kind of mistake it is for.
BAD_TRANSLATIONS = [
    ("Hello {name}", "Bună ziua", "placeholders missing"),
    ("Hello {name}", "Bună ziua {nume}", "placeholders missing"),
    ("Hello", "Bună ziua {name}", "placeholders not in the English"),
    ("Score {score:.2f}", "Scor {score}", "placeholders missing"),
    ("Hello {name", "Bună {name", "braces"),
    ("<b>{name}</b> accepted", "<b>{name} a acceptat", "Telegram would refuse"),
    ("<b>{name}</b> accepted", "<i>{name}</i> a acceptat", "tags"),
    ("<b>A</b> and <i>B</i>", "<i>B</i> și <b>A</b>", "tags"),
    ("Tom & Jerry", "Tom & Jerry", "Telegram would refuse"),
    ("Text {name}", "Text {name}" + "a" * 4096, "over Telegram's 4096"),
    ("Talks ongoing", "Discuţii în curs", "cedilla"),
    ("Talks ongoing", "Talks ongoing", "no Urdu"),
]


@pytest.mark.parametrize(("msgid", "translation", "problem"), BAD_TRANSLATIONS)
def test_each_check_catches_its_mistake(msgid: str, translation: str, problem: str) -> None:
    language = "ur" if problem == "no Urdu" else "ro"
    cat = Catalog(locale=language, domain=DOMAIN)
    cat.add(msgid, translation)
    found = message_problems(cat, msgid)
    assert any(problem in p for p in found), found


def test_a_plural_needs_every_form_and_the_count_except_where_it_is_one_number() -> None:
    ids = ("{n} day", "{n} days")

    def problems(*forms: str) -> list[str]:
        cat = Catalog(locale="ro", domain=DOMAIN)
        cat.add(ids, forms)
        return message_problems(cat, ids)

    assert problems("o zi", "{n} zile", "{n} de zile") == []  # form 0 is n == 1 only
    assert problems("{n} zi", "zile", "{n} de zile") == [
        "form 1: placeholders missing: [('n', '', '')]"
    ]
    assert problems("{n} zi", "{n} zile") == ["2 of 3 plural forms"]
    assert message_problems(Catalog(locale="ro"), "Missing") == ["no translation"]


def test_placeholders_only_and_emoji_need_no_urdu_letters() -> None:
    assert urdu_problems("• {company}: {answer}", "• {company}: {answer}") == []
    assert urdu_problems("{day} · {times} ({minutes} min)", "{day} ({minutes} min)") == [
        "no Urdu (Arabic-script) letters"
    ]
    assert romanian_problems("x", "Discuții în curs") == []


def test_extraction_finds_method_calls_and_constants(tmp_path: Path) -> None:
    (tmp_path / "handlers").mkdir()
    (tmp_path / "bot").mkdir()
    (tmp_path / "handlers" / "x.py").write_text(
        textwrap.dedent(
            """
            LABEL = N_("A constant")
            def render(tx, self, n):
                tx._("Hello {name}")
                self.tx.n_("{n} company", "{n} companies", n)
                return tx._(LABEL)
            """
        )
    )
    found = {message for _file, _line, message in extracted(tmp_path)}
    assert found == {"A constant", "Hello {name}", ("{n} company", "{n} companies")}


_EXTRACTABLE = (ast.Constant, ast.Name, ast.Attribute, ast.Subscript)
_Node = TypeVar("_Node", bound=ast.AST)


def source_nodes(kind: type[_Node]) -> Iterator[tuple[Path, _Node]]:
    """Each ``kind`` node of the code the messages are extracted from, with its file
    (relative to the checkout), file by file in a stable order."""
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, kind):
                    yield path.relative_to(ROOT), node


def test_every_message_is_written_so_that_it_can_be_extracted() -> None:
    """``tx._(f"...")``, ``tx._("a" + b)`` or ``tx._("a" if c else "b")`` would reach the
    reader untranslated: the extractor cannot see such messages. A name (a constant marked
    with ``N_``) is fine."""
    wrong = []
    for path, node in source_nodes(ast.Call):
        func = node.func
        name = getattr(func, "attr", None) or getattr(func, "id", None)
        count = {"_": 1, "N_": 1, "n_": 2}.get(name or "")
        if count is None:
            continue
        for arg in node.args[:count]:
            literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            if not literal and not isinstance(arg, _EXTRACTABLE):
                wrong.append(f"{path}:{node.lineno}")
    assert wrong == []


def test_every_catalogue_is_package_data() -> None:
    """``pip install .`` installs exactly what pyproject's package-data names."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        config = tomllib.load(handle)
    patterns = config["tool"]["setuptools"]["package-data"]["locales"]
    catalogues = sorted(LOCALES.glob("*/LC_MESSAGES/*.po"))
    assert {p.parent.parent.name for p in catalogues} == set(TRANSLATED)
    for path in catalogues:
        relative = path.relative_to(LOCALES).as_posix()
        assert any(fnmatch(relative, pattern) for pattern in patterns), relative


def test_the_catalogues_load_from_an_installed_zipped_package(tmp_path: Path) -> None:
    """The bot finds its catalogues through importlib.resources, not a path into the
    checkout: here the ``locales`` package is only inside a zip (as in a zipped install)."""
    archive = tmp_path / "installed.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(LOCALES / "__init__.py", "locales/__init__.py")
        for language in TRANSLATED:
            bundle.write(po_path(language), po_path(language).relative_to(ROOT).as_posix())
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import locales; assert locales.__file__.startswith(sys.argv[1]), locales.__file__; "
        "from handlers.i18n import texts; "
        "print(texts('ro')._('Thank you!')); print(texts('ur')._('Thank you!'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(archive)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Vă mulțumim!", "شکریہ!"]


def test_the_forum_file_names_everything_in_romanian_and_urdu() -> None:
    forum = load_forum(ROOT / "data" / "forum.toml")
    texts_by_language: dict[str, list[tuple[str, str | None]]] = {}
    for language in TRANSLATED:
        found: list[tuple[str, str | None]] = [(forum.name, forum.name_translations.get(language))]
        for country in forum.countries:
            found += [
                (country.label, country.translations.get(language)),
                (country.zone_label, country.zone_translations.get(language)),
            ]
        for sector in forum.sectors:
            found.append((sector.label, sector.translations.get(language)))
        for intent in forum.intents:
            found += [
                (intent.label, intent.translations.get(language)),
                (intent.phrase, intent.phrase_translations.get(language)),
            ]
        texts_by_language[language] = found
    missing = [(lang, en) for lang, pairs in texts_by_language.items() for en, t in pairs if not t]
    assert missing == []
    problems = [
        (en, translated, problem)
        for en, translated in texts_by_language["ro"]
        for problem in romanian_problems(en, translated or "")
    ] + [
        (en, translated, problem)
        for en, translated in texts_by_language["ur"]
        for problem in urdu_problems(en, translated or "")
    ]
    assert problems == []
    assert forum.countries[0].zone_label_in("ro") == "București"
    assert forum.sector_label("cyber", "ur") == "سائبر سیکیورٹی"


def test_no_message_hides_inside_an_f_string() -> None:
    """Babel's extractor does not look inside f-strings: a ``tx._("…")`` written there is
    never extracted, so it would stay English in every language without failing above."""
    hidden = []
    for path, node in source_nodes(ast.JoinedStr):
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and inner.func.attr in {"_", "n_"}
                and inner.args
                and isinstance(inner.args[0], ast.Constant)
            ):
                hidden.append(f"{path}:{inner.lineno}")
    assert hidden == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_concept_of_the_lexicon_is_named_in_each_language(language: str) -> None:
    """A reason found by meaning names the concept both sides mean: in the reader's
    language, from the lexicon's ``label_<lang>``."""
    check = romanian_problems if language == "ro" else urdu_problems
    problems = {
        key: entry.translations.get(language, "missing")
        for key, entry in LEXICON.items()
        if language not in entry.translations or check(entry.label, entry.translations[language])
    }
    assert problems == {}


def test_a_concept_reason_reads_in_the_readers_language() -> None:
    reason = Reason(
        THEY_OFFER_CONCEPT,
        offer="regression runs",
        need="someone to check each release",
        terms=("software_testing",),
    )
    forum = load_forum(ROOT / "data" / "forum.toml")
    assert render(reason, forum, texts("ro")) == (
        "ei oferă „regression runs” — dumneavoastră căutați „someone to check each release”: "
        "ambele despre testare software (QA)"
    )
    assert render(reason, forum, texts("ur")).endswith(
        "دونوں \u2068سافٹ ویئر ٹیسٹنگ (QA)\u2069 کے بارے میں"
    )
