"""Match reasons in words: the one place where :class:`bot.domain.matching.Reason` data becomes a
sentence. English only for now; another language is another table and template set here.

The output is plain text (quotes are what reps typed); callers escape it for their parse mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.domain.matching.reasons import (
    BOTH_WANT,
    INTENTS,
    LEGACY,
    SECTORS,
    THEY_OFFER,
    YOU_OFFER,
    Reason,
)

# How each intent reads in a reason: "you want resellers — they resell".
_INTENT_PHRASES_EN = {
    "outsource work to a partner": "want to outsource work",
    "deliver services as a subcontractor": "deliver as a subcontractor",
    "find resellers / distributors": "want resellers",
    "resell or distribute products": "resell",
    "seek investment": "seek investment",
    "invest in companies": "invest",
    "hire talent / staff augmentation": "want to hire talent",
    "provide staff augmentation": "provide staff augmentation",
    "get market-entry support": "want market-entry support",
    "offer market-entry support": "offer market-entry support",
    "technology partnership & integration": "a technology partnership",
    "joint venture": "a joint venture",
    "r&d collaboration": "R&D collaboration",
}


def _intent(intent: str) -> str:
    return _INTENT_PHRASES_EN.get(intent.casefold(), f"“{intent}”")


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def render(reason: Reason, lang: str = "en") -> str:
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
    if reason.kind == INTENTS and len(reason.terms) == 2:
        mine, theirs = reason.terms
        return f"you {_intent(mine)} — they {_intent(theirs)}"
    if reason.kind == BOTH_WANT and reason.terms:
        return f"both want {_intent(reason.terms[0])}"
    if reason.kind == SECTORS:
        return "both in " + _join(list(reason.terms))
    if reason.kind == LEGACY:
        return reason.text
    return reason.text or reason.kind


def render_all(reasons: Iterable[Reason], lang: str = "en") -> list[str]:
    return [render(r, lang) for r in reasons]
