"""What the matcher keeps per profile (:class:`Prepared`) and measures per pair
(:class:`PairParts`): the data :mod:`bot.domain.matching.core` computes and
:mod:`bot.domain.matching.explain` reads to phrase the reasons, kept apart so that neither
module needs the other's code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from bot.domain.matching import concepts
from bot.domain.matching.profiles import (
    COMPETITOR_MIN,
    CONCEPT_COMPETITOR_MIN,
    CONCEPT_REASON_MIN,
    SEM_REASON_MIN,
    TEXT_REASON_MIN,
    Profile,
)


@dataclass(slots=True)
class Quote:
    """A part of a text a reason may quote, with its terms and (read when a concept reason
    first needs them) the concepts it names."""

    text: str
    terms: dict[str, float]
    seeks: bool
    _concepts: frozenset[str] | None = None

    @property
    def concepts(self) -> frozenset[str]:
        if self._concepts is None:
            self._concepts = concepts.found(self.text, seeks=self.seeks)
        return self._concepts


class PairParts(NamedTuple):
    """The measurements of a pair from one side ("me"); :meth:`flipped` is the other's.
    A named tuple: the bulk build makes one per pair scored exactly (about 100,000 at
    10,000 companies), and a frozen dataclass costs five times as much to make."""

    lex_need: float  # my seeks vs their offers, lexical cosine
    lex_give: float  # their seeks vs my offers
    sem_need: float  # the same two with embeddings
    sem_give: float
    same_offer: float  # my offers vs their offers, embeddings (competitors)
    same_seek: float  # my seeks vs their seeks
    intents: int
    sectors: int
    size: bool
    # Complementary intents of a one-sided kind (they resell what you want resold, they
    # invest where you seek investment): the two are on opposite sides of a deal.
    opposite: int = 0
    con_need: float = 0.0  # concepts of my seeks vs their offers
    con_give: float = 0.0  # of their seeks vs my offers
    con_same: float = 0.0  # the services we both offer

    def flipped(self) -> PairParts:
        return PairParts(
            self.lex_give,
            self.lex_need,
            self.sem_give,
            self.sem_need,
            self.same_offer,
            self.same_seek,
            self.intents,
            self.sectors,
            self.size,
            self.opposite,
            self.con_give,
            self.con_need,
            self.con_same,
        )

    @property
    def competitors(self) -> bool:
        """The same thing on the same side explains them better than any fit across."""
        return self.clearly_competitors(0.0)

    def clearly_competitors(self, margin: float) -> bool:
        """Competitors by ``margin`` (each test is stricter the larger the margin)."""
        # "Resellers for our endpoint suite" and "endpoint products to resell" read alike
        # but are the two sides of one deal; the intents say which side each is on.
        if self.opposite:
            return False
        across = max(self.con_need, self.con_give)
        if self.con_same >= CONCEPT_COMPETITOR_MIN + margin and self.con_same > across + margin:
            return True
        same = max(self.same_offer, self.same_seek)
        return (
            same >= COMPETITOR_MIN + margin
            and same > max(self.sem_need, self.sem_give) + margin
            and across < CONCEPT_REASON_MIN - margin
        )

    def need_is_reason(self) -> bool:
        return not self.competitors and (
            self.lex_need >= TEXT_REASON_MIN
            or self.sem_need >= SEM_REASON_MIN
            or self.con_need >= CONCEPT_REASON_MIN
        )

    def give_is_reason(self) -> bool:
        return not self.competitors and (
            self.lex_give >= TEXT_REASON_MIN
            or self.sem_give >= SEM_REASON_MIN
            or self.con_give >= CONCEPT_REASON_MIN
        )

    def has_reason(self) -> bool:
        # The cheap tests first: the bulk build asks this of about 100,000 pairs.
        return (
            self.intents > 0 or self.sectors > 0 or self.need_is_reason() or self.give_is_reason()
        )


@dataclass(slots=True)
class Prepared:
    """A profile's features, computed once per profile (slots: 10,000 of them are held)."""

    profile: Profile
    offers: dict[str, float]
    seeks: dict[str, float]
    sectors: frozenset[str]
    intents: frozenset[str]
    wanted: frozenset[str]  # the complements of its intents, casefolded
    wanted_other_side: frozenset[str]  # those that are not their own complement
    size: int | None
    # [seek, offer] as rows: the need (seeks less their share along offers) and the offer
    # (None without embeddings). The vectors and :attr:`cols` are views of it, made when
    # read: three views held per company would cost more than making them.
    rows: np.ndarray[Any, Any] | None = None
    # Concepts (unit vectors): of the offers, of the seeks less what the company offers
    # itself, and of the offered services alone (competitors).
    con_offers: dict[str, float] = field(default_factory=dict)
    con_seeks: dict[str, float] = field(default_factory=dict)
    con_same: dict[str, float] = field(default_factory=dict)
    # Quotable parts with their terms and concepts, filled when a reason first needs them.
    quotes: dict[str, list[Quote]] = field(default_factory=dict)

    @property
    def seek_vec(self) -> np.ndarray[Any, Any] | None:
        return None if self.rows is None else self.rows[0]

    @property
    def offer_vec(self) -> np.ndarray[Any, Any] | None:
        return None if self.rows is None else self.rows[1]

    @property
    def cols(self) -> np.ndarray[Any, Any] | None:
        """[offer, seek] as columns: ``a.rows @ b.cols`` gives a pair's four embedding
        cosines."""
        return None if self.rows is None else self.rows[::-1].T

    def share_rows(self, rows: np.ndarray[Any, Any]) -> None:
        """Hold the embeddings as ``rows`` (the same values, in an array shared with other
        companies) instead of an array of their own."""
        self.rows = rows
