"""Cross-border matching: pure functions from company profiles to ranked, explained matches.

No I/O here (the sentence embeddings arrive with the profiles, see :mod:`bot.services.embeddings`),
so the matcher can be tested with hypothesis and benchmarked alone.

- :mod:`bot.domain.matching.text`: words, Snowball stems, acronyms, quotable phrases;
- :mod:`bot.domain.matching.vectors`: how a profile's embeddings are laid out and stored;
- :mod:`bot.domain.matching.profiles`: profiles, matches, intents, the weights and thresholds;
- :mod:`bot.domain.matching.core`: the score of a pair, its reasons, one company's ranking;
- :mod:`bot.domain.matching.reasons`: reasons as data (rendered by :mod:`bot.domain.reason_texts`);
- :mod:`bot.domain.matching.index` (with :mod:`bot.domain.matching.screen`, its float pass):
  everyone's top lists at once, and one new company's update.

Candidates are pairs across the forum's two countries of matchable companies nobody
excluded (a "not interested", or an introduction in any state). Every match carries its
reasons; no reason, no match.
"""

from bot.domain.matching.core import Matcher, match, rank
from bot.domain.matching.index import AddResult, MatchIndex
from bot.domain.matching.pair import PairParts
from bot.domain.matching.profiles import (
    CALIBRATED,
    LEXICAL,
    SIZES,
    Match,
    Profile,
    Rules,
    Weights,
    eligible,
    pair_key,
)
from bot.domain.matching.reasons import Reason
from bot.domain.matching.text import GENERIC_WEIGHT, quotable, stem, terms
from bot.domain.matching.vectors import TextVectors

__all__ = [
    "CALIBRATED",
    "GENERIC_WEIGHT",
    "LEXICAL",
    "SIZES",
    "AddResult",
    "Match",
    "MatchIndex",
    "Matcher",
    "PairParts",
    "Profile",
    "Reason",
    "Rules",
    "TextVectors",
    "Weights",
    "eligible",
    "match",
    "pair_key",
    "quotable",
    "rank",
    "stem",
    "terms",
]
