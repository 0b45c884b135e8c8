"""A pair scored for the first country's company, read back for the second's.

The bulk build (:class:`bot.domain.matching.MatchIndex`) scores the first country's
candidates first, then the second's; about a third of the pairs come up on both sides, and
:class:`Mirror` spares scoring them twice. Pure.
"""

from __future__ import annotations

from typing import Any

from bot.domain.matching.pair import Prepared
from bot.domain.matching.topk import Row

MISSING = object()


class Mirror:
    """The pairs the first country's companies were scored with, for the second's.

    About a third of the pairs come up from both sides. From the second side, a pair's word
    and concept cosines are the same calls the first side made, the other way round, and
    :meth:`Matcher.parts` computes what both sides measure alike (embedding cosines, the
    services both offer) with the first country on the left, as the first side's rows did:
    when the intents read the same from both sides too, the second side's scores are the
    first's, swapped (tests: ``test_a_pair_reads_the_same_from_both_sides``, and
    ``test_index_rows_are_ranks_scores_when_intents_meet_unevenly`` for the intents)."""

    def __init__(self, second: int) -> None:
        self._second = second  # the second country's companies
        # first's position * second + second's position -> the first's rank row (None: no match)
        self._seen: dict[int, Row | None] = {}

    def put(self, a: int, b: int, row: Row | None) -> None:
        self._seen[a * self._second + b] = row

    def get(self, a: int, b: int, mine: Prepared, theirs: Prepared, their_id: int) -> Any:
        """Position ``b``'s (``mine``'s) rank row for position ``a`` (``theirs``), None for
        no match, or MISSING when it must be scored."""
        # Each pair is read back once: what was read is let go as the second side goes on.
        key = a * self._second + b
        if key not in self._seen:
            return MISSING
        row = self._seen.pop(key)
        if len(mine.intents & theirs.wanted) != len(theirs.intents & mine.wanted):
            return MISSING
        if bool(mine.intents & theirs.wanted_other_side) != bool(
            theirs.intents & mine.wanted_other_side
        ):
            return MISSING
        return None if row is None else (row[1], row[0], their_id)


__all__ = ["MISSING", "Mirror"]
