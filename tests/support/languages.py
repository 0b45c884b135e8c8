"""Reading the bot in a language: a message as a reader of that language sees it, taken from
the catalogue, so tests follow the translators' wording."""

from __future__ import annotations

import re

from handlers.i18n import Texts, texts

EN, RO, UR = texts("en"), texts("ro"), texts("ur")
FSI, PDI = "\u2068", "\u2069"  # first strong isolate … pop directional isolate
_TAG = re.compile(r"<[^<>]+>")


def said(tx: Texts, msgid: str, **values: object) -> str:
    """The message as the reader sees it: translated, filled in, without its HTML tags."""
    text = tx._(msgid)
    return _TAG.sub("", text.format(**values) if values else text)
