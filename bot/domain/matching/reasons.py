"""Why two companies match, as data: a kind and the terms or quotes it names.

The matcher produces these; :mod:`bot.domain.reason_texts` renders them in a language, and the
introductions store them as JSON (never as sentences), so a reason can be shown in the
reader's language and from the reader's side (:meth:`Reason.flipped`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# They offer what you seek ("they offer software testing — you seek a QA crew ...").
THEY_OFFER = "they_offer"
# You offer what they seek.
YOU_OFFER = "you_offer"
# They offer what you seek, and both texts name the same concept of the lexicon
# (bot.domain.matching.lexicon): terms = the concepts' keys, offer/need = the quotes.
THEY_OFFER_CONCEPT = "they_offer_concept"
# You offer what they seek, both naming the same concept.
YOU_OFFER_CONCEPT = "you_offer_concept"
# Your intent meets its complement in theirs: terms = (your intent, their intent).
INTENTS = "intents"
# A symmetric intent you both ticked (joint venture, ...): terms = (intent,).
BOTH_WANT = "both_want"
# Sectors you share: terms = the sectors.
SECTORS = "sectors"
# A reason stored before reasons were data: text = the English sentence.
LEGACY = "legacy"
KINDS = (
    THEY_OFFER,
    YOU_OFFER,
    THEY_OFFER_CONCEPT,
    YOU_OFFER_CONCEPT,
    INTENTS,
    BOTH_WANT,
    SECTORS,
    LEGACY,
)


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason, phrased for one side ("you"); ``flipped`` gives the other side's view.

    For THEY_OFFER / YOU_OFFER (and their _CONCEPT kinds), ``offer`` quotes the offering
    side's text and ``need`` the seeking side's; ``by_meaning`` says the two share the sense
    but few or no words; a _CONCEPT kind's ``terms`` are the concepts both name.
    """

    kind: str
    offer: str = ""
    need: str = ""
    by_meaning: bool = False
    terms: tuple[str, ...] = ()
    text: str = ""

    def flipped(self) -> Reason:
        """The same reason as the other company reads it."""
        if self.kind == THEY_OFFER:
            return Reason(YOU_OFFER, self.offer, self.need, self.by_meaning)
        if self.kind == YOU_OFFER:
            return Reason(THEY_OFFER, self.offer, self.need, self.by_meaning)
        if self.kind == THEY_OFFER_CONCEPT:
            return Reason(YOU_OFFER_CONCEPT, self.offer, self.need, terms=self.terms)
        if self.kind == YOU_OFFER_CONCEPT:
            return Reason(THEY_OFFER_CONCEPT, self.offer, self.need, terms=self.terms)
        if self.kind == INTENTS:
            return Reason(INTENTS, terms=tuple(reversed(self.terms)))
        return self

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready dict; empty fields are left out."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.offer:
            data["offer"] = self.offer
        if self.need:
            data["need"] = self.need
        if self.by_meaning:
            data["by_meaning"] = True
        if self.terms:
            data["terms"] = list(self.terms)
        if self.text:
            data["text"] = self.text
        return data

    @classmethod
    def from_data(cls, data: Any) -> Reason:
        """Read :meth:`to_data` back; a plain string (stored by older versions) is LEGACY."""
        if isinstance(data, str):
            return cls(LEGACY, text=data)
        if not isinstance(data, dict) or data.get("kind") not in KINDS:
            return cls(LEGACY, text=str(data))
        return cls(
            kind=str(data["kind"]),
            offer=str(data.get("offer", "")),
            need=str(data.get("need", "")),
            by_meaning=bool(data.get("by_meaning", False)),
            terms=tuple(str(t) for t in data.get("terms", ())),
            text=str(data.get("text", "")),
        )
