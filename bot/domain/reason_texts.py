"""Match reasons in words: the one renderer of :class:`bot.domain.matching.Reason` data.

It writes through a *texts* object — ``_`` (gettext), ``user`` (how a quoted value is put in
the sentence) and ``language`` (for the forum's intent phrases and sector labels). The chat
passes the reader's :class:`handlers.i18n.Texts` (translated, HTML-escaped, bidi-isolated
quotes; see ``handlers/reasons.py``); the CSV export, the report and the command line use
:data:`ENGLISH`: the English message ids and plain text. One sentence per reason kind, one
message id each, so a translation can order the sentence as its language needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from bot.domain.matching import concepts
from bot.domain.matching.reasons import (
    BOTH_WANT,
    INTENTS,
    LEGACY,
    SECTORS,
    THEY_OFFER,
    THEY_OFFER_CONCEPT,
    YOU_OFFER,
    YOU_OFFER_CONCEPT,
    Reason,
)

if TYPE_CHECKING:
    from bot.forum import Forum


class Words(Protocol):
    """What the renderer needs of a language (``handlers.i18n.Texts`` is one)."""

    @property
    def language(self) -> str: ...

    def _(self, message: str) -> str: ...

    def user(self, value: object) -> str: ...


class PlainEnglish:
    """English plain text: the message ids as they are, values as they are."""

    language = "en"

    def _(self, message: str) -> str:
        return message

    def user(self, value: object) -> str:
        return str(value)


ENGLISH = PlainEnglish()


def _intent(tx: Words, forum: Forum, key: str) -> str:
    """How an intent reads in a reason ("you want resellers — they resell"), from the forum
    file in the reader's language; one the file no longer has is quoted by its stored key."""
    intent = forum.intent(key)
    return tx.user(intent.phrase_in(tx.language) if intent else f"“{key}”")


def _concepts(tx: Words, keys: Sequence[str]) -> str:
    """The concepts' names from the lexicon, in the reader's language; one it no longer has
    is named by its key."""
    return _join(tx, [tx.user(concepts.label(key, tx.language)) for key in keys])


def _join(tx: Words, items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return tx._("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def render(reason: Reason, forum: Forum, tx: Words = ENGLISH) -> str:
    """One reason as a sentence for the side it is phrased for."""
    if reason.kind in (THEY_OFFER, YOU_OFFER):
        values = {"offer": tx.user(reason.offer), "need": tx.user(reason.need)}
        if reason.kind == THEY_OFFER:
            if reason.by_meaning:
                text = tx._("they offer “{offer}”, close in meaning to what you seek: “{need}”")
            else:
                text = tx._("they offer {offer} — you seek {need}")
        elif reason.by_meaning:
            text = tx._("you offer “{offer}”, close in meaning to what they seek: “{need}”")
        else:
            text = tx._("you offer {offer} — they seek {need}")
        return text.format(**values)
    if reason.kind in (THEY_OFFER_CONCEPT, YOU_OFFER_CONCEPT):
        if reason.kind == THEY_OFFER_CONCEPT:
            text = tx._("they offer “{offer}” — you seek “{need}”: both about {concepts}")
        else:
            text = tx._("you offer “{offer}” — they seek “{need}”: both about {concepts}")
        return text.format(
            offer=tx.user(reason.offer),
            need=tx.user(reason.need),
            concepts=_concepts(tx, reason.terms),
        )
    if reason.kind == INTENTS and len(reason.terms) == 2:
        mine, theirs = reason.terms
        return tx._("you {mine} — they {theirs}").format(
            mine=_intent(tx, forum, mine), theirs=_intent(tx, forum, theirs)
        )
    if reason.kind == BOTH_WANT and reason.terms:
        return tx._("both want {intent}").format(intent=_intent(tx, forum, reason.terms[0]))
    if reason.kind == SECTORS:
        labels = [tx.user(forum.sector_label(key, tx.language)) for key in reason.terms]
        return tx._("both in {sectors}").format(sectors=_join(tx, labels))
    if reason.kind == LEGACY:
        # Stored as an English sentence before reasons were data: shown as it was.
        return tx.user(reason.text)
    return tx.user(reason.text or reason.kind)


def render_all(reasons: Iterable[Reason], forum: Forum, tx: Words = ENGLISH) -> list[str]:
    return [render(r, forum, tx) for r in reasons]
