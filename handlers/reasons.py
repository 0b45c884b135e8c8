"""Match reasons for the chat, in the reader's language: one bullet per reason, what users
typed escaped (and isolated in right-to-left text), the forum's intent phrases and sector
labels in the reader's language. The sentences themselves are the one renderer's
(:mod:`bot.domain.reason_texts`), written through the reader's ``tx``; the CSV export uses
the same renderer in plain English."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.matching import Reason
from bot.domain.reason_texts import render
from bot.forum import Forum
from handlers.i18n import Texts


def reason_lines(tx: Texts, reasons: Iterable[Reason], forum: Forum) -> str:
    """The reasons as bullet lines (HTML)."""
    return "\n".join(f"• {render(reason, forum, tx)}" for reason in reasons)


def why_you_match(tx: Texts, reasons: Iterable[Reason], forum: Forum) -> str:
    """The reasons under their heading, or "" when there are none."""
    lines = reason_lines(tx, reasons, forum)
    heading = tx._("<b>Why you match:</b>")
    return f"{heading}\n{lines}" if lines else ""
