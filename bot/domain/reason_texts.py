"""Match reasons in words: the one place where :class:`bot.domain.matching.Reason` data becomes a
sentence. English only for now; another language is another table and template set here.

The output is plain text (quotes are what reps typed); callers escape it for their parse mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

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


def _intent(forum: Forum, key: str) -> str:
    """How an intent reads in a reason ("you want resellers — they resell"), from the forum
    file; one the file no longer has is quoted by its stored key."""
    intent = forum.intent(key)
    return intent.phrase_in("en") if intent else f"“{key}”"


def _concepts(keys: Sequence[str]) -> str:
    """The concepts' names from the lexicon; one it no longer has is named by its key."""
    return _join([concepts.label(key) for key in keys])


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def render(reason: Reason, forum: Forum, lang: str = "en") -> str:
    """One reason as a sentence for the side it is phrased for."""
    if lang != "en":
        raise ValueError(f"no reason texts for language {lang!r}")
    if reason.kind == THEY_OFFER:
        if reason.by_meaning:
            return (
                f"they offer “{reason.offer}”, close in meaning to what you seek: “{reason.need}”"
            )
        return f"they offer {reason.offer} — you seek {reason.need}"
    if reason.kind == YOU_OFFER:
        if reason.by_meaning:
            return (
                f"you offer “{reason.offer}”, close in meaning to what they seek: “{reason.need}”"
            )
        return f"you offer {reason.offer} — they seek {reason.need}"
    if reason.kind == THEY_OFFER_CONCEPT:
        return (
            f"they offer “{reason.offer}” — you seek “{reason.need}”: "
            f"both about {_concepts(reason.terms)}"
        )
    if reason.kind == YOU_OFFER_CONCEPT:
        return (
            f"you offer “{reason.offer}” — they seek “{reason.need}”: "
            f"both about {_concepts(reason.terms)}"
        )
    if reason.kind == INTENTS and len(reason.terms) == 2:
        mine, theirs = reason.terms
        return f"you {_intent(forum, mine)} — they {_intent(forum, theirs)}"
    if reason.kind == BOTH_WANT and reason.terms:
        return f"both want {_intent(forum, reason.terms[0])}"
    if reason.kind == SECTORS:
        return "both in " + _join([forum.sector_label(key) for key in reason.terms])
    if reason.kind == LEGACY:
        return reason.text
    return reason.text or reason.kind


def render_all(reasons: Iterable[Reason], forum: Forum, lang: str = "en") -> list[str]:
    return [render(r, forum, lang) for r in reasons]
