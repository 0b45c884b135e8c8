"""What the matcher reads and writes: profiles, matches, the intent taxonomy, the weights
and thresholds of the score, and which pairs may meet at all. No logic beyond that."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain.matching.reasons import Reason
from bot.domain.matching.vectors import TextVectors

if TYPE_CHECKING:
    from bot.forum import Forum

SIZES = ("1–10", "11–50", "51–200", "201–1000", "1000+")


@dataclass(frozen=True)
class Rules:
    """What the forum decides about matching: the two countries (codes) whose companies are
    paired, which intent keys meet which (a symmetric intent meets itself), and the names of
    the two countries (``places``): every pair joins them, so those words say nothing about
    fit and the matcher leaves them out of a text's terms, as it does of its embeddings."""

    countries: tuple[str, str]
    complements: Mapping[str, Sequence[str]] = field(default_factory=dict)
    places: tuple[str, ...] = ()

    @classmethod
    def of(cls, forum: Forum) -> Rules:
        return cls(
            countries=forum.codes, complements=forum.complements(), places=forum.place_names()
        )


SCORE_DECIMALS = 6
TEXT_REASON_MIN = 0.2  # a lexical cosine from here on names what matched
SEM_REASON_MIN = 0.45  # an embedding cosine from here on is a match "by meaning"
COMPETITOR_MIN = 0.4  # same-side similarity from here on makes a pair competitors
CONCEPT_REASON_MIN = 0.25  # a concept cosine from here on names the shared concept
# Offered services this alike (concept cosine) make a pair competitors, unless a concept one
# seeks is offered by the other at least as much.
CONCEPT_COMPETITOR_MIN = 0.5


@dataclass(frozen=True)
class Weights:
    """The score's parts. ``semantic=False`` with :data:`LEXICAL` is the word-only matcher
    this one replaced, kept to compare against (``bench/matching.py``)."""

    need: float = 4.0  # my seeks met by their offers (text fit in [0, 2])
    give: float = 2.5  # their seeks met by my offers
    lexical: float = 1.0  # the lexical cosine's share of a text fit
    sem_floor: float = 0.1  # embedding cosine of unrelated texts: counts as 0
    sem_full: float = 0.5  # ... and from here on as 1
    intent: float = 1.0  # per complementary intent
    max_intents: int = 2
    sector: float = 0.5  # per shared sector
    max_sectors: int = 2
    size: float = 0.25  # neighbouring company sizes
    competitor: float = 4.0  # per unit of same-side similarity above competitor_floor
    competitor_floor: float = 0.25
    # What a company seeks in its own words ("investors for OUR VR platform") describes the
    # company, not the need: that share of the seeks is taken out before comparing.
    self_in_seeks: float = 0.5
    # The concept channel (bot.domain.matching.concepts): the concept cosine's share of a text
    # fit, a segment's weight next to a service's, and what is left of a service a company
    # offers when its seeks name it again (its own product after "our" in a seek for
    # resellers or investors is always left out).
    concept: float = 1.0
    segment: float = 0.5
    self_concept: float = 1.0
    semantic: bool = True


CALIBRATED = Weights()
LEXICAL = Weights(
    need=4.0,
    give=4.0,
    intent=1.5,
    sector=0.75,
    competitor=0.0,
    self_in_seeks=0.0,
    concept=0.0,
    semantic=False,
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the matcher knows of a company (no contact details)."""

    id: int
    name: str
    country: str
    sectors: tuple[str, ...] = ()
    offers: str = ""
    seeks: str = ""
    partnerships: tuple[str, ...] = ()
    size: str | None = None
    matchable: bool = True
    city: str | None = None
    # Embeddings of offers and seeks (bot.services.embeddings); without them only words match.
    vectors: TextVectors | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Match:
    """``other`` as a match for company ``company_id``; reasons are phrased for its reps.
    ``reverse`` is the other side's score for the same pair (the tie-break)."""

    company_id: int
    other: Profile
    score: float
    reasons: tuple[Reason, ...]
    reverse: float = 0.0


def pair_key(a: int, b: int) -> tuple[int, int]:
    """The unordered pair, as stored in exclusion sets."""
    return (a, b) if a < b else (b, a)


def eligible(me: Profile, other: Profile, countries: Collection[str]) -> bool:
    """Cross-border between the forum's ``countries``, not the same company, both
    matchable."""
    return (
        me.id != other.id
        and me.matchable
        and other.matchable
        and me.country in countries
        and other.country in countries
        and me.country != other.country
    )
