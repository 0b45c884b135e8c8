"""What a translation must keep of its English message, as checks that return the problems
they find (an empty list when the translation is fine): the same placeholders, HTML that
Telegram parses with the same tags in the same order, a rendered length Telegram accepts, and
the script of its language (Romanian with ș ț, Urdu in Arabic script).

Used by tests/test_catalogues.py on every message of the catalogues, and on bad examples to
show each check does fire.
"""

from __future__ import annotations

import gettext
import re
import string
import unicodedata
from collections.abc import Callable, Iterable

from babel.messages.catalog import Catalog, Message

from sandbox.markup import EntityParseError, parse_text, utf16_len

MAX_MESSAGE = 4096
# Cedilla letters that look like the Romanian ones; Romanian writes ș ț (comma below).
CEDILLA = frozenset("şţŞŢ")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_COMMAND = re.compile(r"/[a-z_]+")
_LATIN = re.compile(r"[A-Za-z]")

Field = tuple[str, str, str]  # name, format spec, conversion


def fields(text: str) -> set[Field]:
    """The ``str.format`` placeholders of ``text``; ValueError if its braces do not parse."""
    found: set[Field] = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            found.add((name, spec or "", conversion or ""))
    return found


def sample(text: str) -> str:
    """``text`` with each placeholder filled with a short sample value, as it is sent."""
    values: dict[str, object] = {}
    for name, spec, _conversion in fields(text):
        values[name] = 1.25 if spec else "Ana"
    return text.format(**values)


def tags(text: str) -> list[str]:
    """The HTML tags of ``text`` in order (``b``, ``/b``, ...)."""
    return [closing + name.lower() for closing, name in _TAG.findall(text)]


def placeholder_problems(
    msgid: str, translation: str, *, may_drop: Iterable[str] = ()
) -> list[str]:
    """Placeholders the translation lost, added or changed (a format spec counts); those in
    ``may_drop`` may be left out (the count in a plural form that stands for one number)."""
    try:
        theirs = fields(translation)
    except ValueError as exc:
        return [f"its braces do not parse: {exc}"]
    ours = fields(msgid)
    droppable = {f for f in ours if f[0] in set(may_drop)}
    problems = []
    if ours - theirs - droppable:
        problems.append(f"placeholders missing: {sorted(ours - theirs - droppable)}")
    if theirs - ours:
        problems.append(f"placeholders not in the English: {sorted(theirs - ours)}")
    return problems


def html_problems(msgid: str, translation: str) -> list[str]:
    """The translation, filled in, must parse as Telegram parses HTML, with the English tags
    in the same order; and it must fit in one message."""
    try:
        filled = sample(translation)
    except (ValueError, KeyError, IndexError) as exc:
        return [f"cannot be filled in: {exc!r}"]
    try:
        visible, _entities = parse_text(filled, "HTML")
    except EntityParseError as exc:
        return [f"Telegram would refuse its HTML: {exc.reason}"]
    problems = []
    if tags(translation) != tags(msgid):
        problems.append(f"tags {tags(translation)} differ from the English {tags(msgid)}")
    if utf16_len(visible) > MAX_MESSAGE:
        problems.append(f"{utf16_len(visible)} characters, over Telegram's {MAX_MESSAGE}")
    return problems


def _letters(text: str) -> str:
    """The words of a message: without placeholders, tags and /commands."""
    text = re.sub(r"\{[^{}]*\}", "", text)
    text = re.sub(r"<[^<>]*>", "", text)
    return _COMMAND.sub("", text)


def _arabic_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L") and "ARABIC" in unicodedata.name(ch, "")


def romanian_problems(msgid: str, translation: str) -> list[str]:
    bad = sorted({ch for ch in translation if ch in CEDILLA})
    return [f"cedilla letters {bad}: Romanian writes ș ț with a comma below"] if bad else []


def urdu_problems(msgid: str, translation: str) -> list[str]:
    """A message with words must have Urdu words: Arabic-script letters."""
    if not _LATIN.search(_letters(msgid)):
        return []  # nothing but placeholders, emoji and punctuation
    if any(_arabic_letter(ch) for ch in translation):
        return []
    return ["no Urdu (Arabic-script) letters"]


SCRIPT_CHECKS: dict[str, Callable[[str, str], list[str]]] = {
    "ro": romanian_problems,
    "ur": urdu_problems,
}


def _single_number_forms(catalog: Catalog) -> set[int]:
    """The plural forms that stand for exactly one number (``n == 1``): a translation may
    write that number as a word ("o dată") instead of ``{n}``."""
    chosen: dict[int, list[int]] = {}
    rule = gettext.c2py(catalog.plural_expr)  # the catalogue's own rule, as gettext runs it
    for n in range(0, 1000):
        chosen.setdefault(rule(n), []).append(n)
    return {index for index, numbers in chosen.items() if len(numbers) == 1}


def message_problems(catalog: Catalog, msgid: str | tuple[str, ...]) -> list[str]:
    """Everything wrong with the translation of ``msgid`` (a plural is the tuple) in
    ``catalog``: missing, fuzzy, plural forms, placeholders, HTML, length and script."""
    key = msgid[0] if isinstance(msgid, tuple) else msgid
    message: Message | None = catalog.get(key)
    if message is None or not message.string:
        return ["no translation"]
    if message.fuzzy:
        return ["fuzzy: a translator must confirm it"]
    if isinstance(msgid, tuple) != isinstance(message.string, tuple):
        return ["plural and singular mixed up"]
    script = SCRIPT_CHECKS.get(str(catalog.locale.language) if catalog.locale else "")
    problems: list[str] = []
    if isinstance(msgid, tuple):
        forms = tuple(message.string)
        if len(forms) != catalog.num_plurals or not all(forms):
            return [f"{len([f for f in forms if f])} of {catalog.num_plurals} plural forms"]
        singles = _single_number_forms(catalog)
        reference = msgid[1]
        for index, form in enumerate(forms):
            drop = ("n",) if index in singles else ()
            where = f"form {index}: "
            problems += [where + p for p in placeholder_problems(reference, form, may_drop=drop)]
            problems += [where + p for p in html_problems(reference, form)]
            if script:
                problems += [where + p for p in script(reference, form)]
        return problems
    translation = str(message.string)
    problems += placeholder_problems(msgid, translation)
    problems += html_problems(msgid, translation)
    if script:
        problems += script(msgid, translation)
    return problems
