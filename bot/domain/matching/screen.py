"""The float pass of :class:`bot.domain.matching.MatchIndex`: a block of one country's companies
against every company of the other, in float32, both directions from the same products.

A pair's screen score is never below its exact score (:meth:`Matcher.total`) by more than
:data:`ERROR`: competitors lose their text fit here only when they are competitors by a
margin, which can only raise the score. It is -inf where the pair cannot have a reason.
The index then scores exactly only the pairs near each company's k-th best.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.domain.matching.pair import Prepared
from bot.domain.matching.profiles import (
    COMPETITOR_MIN,
    CONCEPT_COMPETITOR_MIN,
    CONCEPT_REASON_MIN,
    SEM_REASON_MIN,
    SIZES,
    TEXT_REASON_MIN,
    Weights,
)

# float32 sums of a few hundred terms of size <= 1, times weights <= 10: far below this.
ERROR = 1e-4
_SLACK = 1e-4  # on the reason thresholds: the exact pass decides borderline pairs
_MARGIN = 1e-3  # on the competitor test, in cosine units (see Matcher.total's margin)

Matrix = np.ndarray[Any, np.dtype[np.float32]]
if TYPE_CHECKING:
    # Imported where a build first needs it: the bot's start-up leaves scipy to its first use.
    from scipy.sparse import csr_array as Sparse


@dataclass
class Features:
    """One country's companies as float32 rows (zero rows where something is missing)."""

    # Words (over the vocabulary both countries share) then concepts, in one sparse row: one
    # product gives a direction's w.lexical * lexical + w.concept * concept cosine (the seeks'
    # side carries the weights). A profile names a few dozen of the thousands of terms real
    # companies use, so dense rows would cost that width in memory and in every product;
    # the other side's are read turned (terms x companies), as the products read them.
    seeks: Sparse = field(init=False)
    offers: Sparse = field(init=False)
    intents: Matrix
    wanted: Matrix  # the complements of its intents
    wanted_other_side: Matrix  # those that are not their own complement
    sectors: Matrix
    size: Matrix  # one-hot
    near: Matrix  # the sizes next to (or equal to) its own
    seek_vec: Matrix  # embeddings (the need, see Matcher.prepare)
    offer_vec: Matrix
    con_same: Matrix  # the services it offers (competitors), over those both sides offer

    # Turned when a product first reads them: only the second country's side is, unless a
    # company of the second needs its row screened in full.
    @functools.cached_property
    def seeks_by_term(self) -> Sparse:
        return self.seeks.T.tocsr()

    @functools.cached_property
    def offers_by_term(self) -> Sparse:
        return self.offers.T.tocsr()

    @property
    def count(self) -> int:
        """How many companies (rows) it holds."""
        return len(self.intents)

    @classmethod
    def of(
        cls,
        prepared: list[Prepared],
        vocab: Mapping[str, int],
        sectors: Mapping[str, int],
        intents: Mapping[str, int],
        dims: int,
        topics: Mapping[str, int],
        services: Mapping[str, int],
        w: Weights,
    ) -> Features:
        """``vocab`` and ``topics`` (concepts) give the text columns, ``services`` the
        competitor columns."""
        n = len(prepared)
        width = len(vocab) + len(topics)

        def zeros(width: int) -> Matrix:
            out: Matrix = np.zeros((n, max(width, 1)), dtype=np.float32)
            return out

        # [need, offer] per company, as Prepared.rows: those become views of this array, so
        # every embedding is held once (20 MB at 10,000 companies).
        vectors = np.zeros((n, 2, dims), dtype=np.float32)
        text = _Rows(), _Rows()  # seeks, offers
        f = cls(
            zeros(len(intents)),
            zeros(len(intents)),
            zeros(len(intents)),
            zeros(len(sectors)),
            zeros(len(SIZES)),
            zeros(len(SIZES)),
            vectors[:, 0],
            vectors[:, 1],
            zeros(len(services)),
        )
        first = len(vocab)
        for row, p in enumerate(prepared):
            for into, words, found, scale in (
                (text[0], p.seeks, p.con_seeks, (w.lexical, w.concept)),
                (text[1], p.offers, p.con_offers, (1.0, 1.0)),
            ):
                into.extend(words, vocab, scale[0])
                into.extend(found, topics, scale[1], offset=first)
                into.end_row()
            for key, x in p.con_same.items():
                col = services.get(key)
                if col is not None:
                    f.con_same[row, col] = x
            for names, target in (
                (p.intents, f.intents),
                (p.wanted, f.wanted),
                (p.wanted_other_side, f.wanted_other_side),
            ):
                for name in names:
                    if name in intents:
                        target[row, intents[name]] = 1
            for name in p.sectors:
                f.sectors[row, sectors[name]] = 1
            if p.size is not None:
                f.size[row, p.size] = 1
                f.near[row, max(p.size - 1, 0) : p.size + 2] = 1
            if p.rows is not None and p.rows.shape == vectors[row].shape:
                vectors[row] = p.rows
                p.share_rows(vectors[row])
        f.seeks, f.offers = (t.matrix(max(width, 1)) for t in text)
        return f

    def block(
        self, other: Features, start: int, stop: int, w: Weights, work: Workspace
    ) -> tuple[Matrix, Matrix]:
        """Screen scores for rows [start, stop) against every row of ``other``: each row's
        score for each of them, and each of theirs for the row. Both live in ``work`` and
        are overwritten by the next call."""
        rows = slice(start, stop)
        shape = (len(range(self.count)[rows]), other.count)
        buf = work.get

        def product(a: Matrix, b: Matrix, name: str) -> Matrix:
            return np.matmul(a[rows], b.T, out=buf(name, shape))

        def sparse(a: Sparse, b_by_term: Sparse, name: str) -> Matrix:
            out: Matrix = (a[rows] @ b_by_term).toarray(out=buf(name, shape))
            return out

        # w.lexical * lexical + w.concept * concept cosine, per direction
        lex_need = sparse(self.seeks, other.offers_by_term, "lex_need")
        lex_give = sparse(self.offers, other.seeks_by_term, "lex_give")
        sem_need = product(self.seek_vec, other.offer_vec, "sem_need")
        sem_give = product(self.offer_vec, other.seek_vec, "sem_give")
        mine_intents = product(self.intents, other.wanted, "mine_intents")
        their_intents = product(self.wanted, other.intents, "their_intents")
        sectors = product(self.sectors, other.sectors, "sectors")
        same_offer = product(self.offer_vec, other.offer_vec, "same_offer")
        same_seek = product(self.seek_vec, other.seek_vec, "same_seek")
        con_same = product(self.con_same, other.con_same, "con_same")
        flag, reason = buf("flag", shape, bool), buf("reason", shape, bool)
        # No reason, no match: a text fit (words, meaning, concepts), a complementary intent,
        # a sector. Words or concepts enough for a reason make the weighted sum at least this:
        words = _least_text_reason(w) - _SLACK
        np.greater_equal(lex_need, words, out=reason)
        for part, least in (
            (lex_give, words),
            (sem_need, SEM_REASON_MIN - _SLACK),
            (sem_give, SEM_REASON_MIN - _SLACK),
            (mine_intents, 0.5),
            (their_intents, 0.5),
            (sectors, 0.5),
        ):
            np.greater_equal(part, least, out=flag)
            reason |= flag
        # Competitors (by a margin, see the module docstring and PairParts): their text fit
        # does not count, and both pay for their same-side likeness.
        rivals, most = buf("rivals", shape, bool), buf("most", shape)
        np.maximum(same_offer, same_seek, out=most)
        np.greater_equal(most, COMPETITOR_MIN + _MARGIN, out=rivals)
        across = buf("across", shape)
        np.maximum(sem_need, sem_give, out=across)
        across += _MARGIN
        np.greater(most, across, out=flag)
        rivals &= flag
        # The concept cosines across, from above: the weighted sums over w.concept.
        con_across = buf("con_across", shape)
        np.maximum(lex_need, lex_give, out=con_across)
        con_across *= 1 / w.concept if w.concept > 0 else 0.0
        np.less(con_across, CONCEPT_REASON_MIN - _MARGIN, out=flag)
        rivals &= flag
        # ... or rivals by the services both offer.
        by_concepts = buf("by_concepts", shape, bool)
        np.greater_equal(con_same, CONCEPT_COMPETITOR_MIN + _MARGIN, out=by_concepts)
        con_across += _MARGIN
        np.greater(con_same, con_across, out=flag)
        by_concepts &= flag
        rivals |= by_concepts
        # From here on, buffers whose values are spent take the later steps' results: a
        # block's workspace is four buffers smaller (5 MB at 5,000 companies a side).
        opposite = product(self.intents, other.wanted_other_side, "most")
        np.equal(opposite, 0.0, out=flag)
        rivals &= flag
        penalty = same_offer
        for part in (same_offer, same_seek):
            part -= w.competitor_floor
            np.maximum(part, 0.0, out=part)
        penalty += same_seek
        penalty *= -w.competitor
        span = w.sem_full - w.sem_floor
        for sem, lex in ((sem_need, lex_need), (sem_give, lex_give)):
            sem -= w.sem_floor
            sem *= 1 / span
            np.clip(sem, 0.0, 1.0, out=sem)
            lex += sem  # now the text fit of that direction
            if w.semantic:
                np.putmask(lex, rivals, 0.0)
        common = penalty  # sectors, size, competitors: the same from both sides
        np.minimum(sectors, w.max_sectors, out=sectors)
        sectors *= w.sector
        common += sectors
        size = product(self.size, other.near, "con_same")
        size *= w.size
        common += size
        mine, theirs = buf("sem_need", shape), buf("sem_give", shape)
        for out, first, second, intents in (
            (mine, lex_need, lex_give, mine_intents),
            (theirs, lex_give, lex_need, their_intents),
        ):
            np.multiply(first, w.need, out=out)
            np.multiply(second, w.give, out=across)
            out += across
            out += common
            np.minimum(intents, w.max_intents, out=across)
            across *= w.intent
            out += across
        np.logical_not(reason, out=flag)
        np.putmask(mine, flag, -np.inf)
        np.putmask(theirs, flag, -np.inf)
        return mine, theirs


def _least_text_reason(w: Weights) -> float:
    """The least weighted sum of words and concepts when either is enough for a reason (0
    when a channel that can give a reason weighs nothing: every pair is then read)."""
    if w.lexical <= 0 or w.concept < 0:
        return 0.0
    least = w.lexical * TEXT_REASON_MIN
    return min(least, w.concept * CONCEPT_REASON_MIN) if w.concept > 0 else least


class _Rows:
    """A sparse matrix built a row at a time, in compressed-row form."""

    def __init__(self) -> None:
        self.indices: list[int] = []
        self.values: list[float] = []
        self.starts = [0]

    def extend(
        self,
        weights: Mapping[str, float],
        columns: Mapping[str, int],
        scale: float,
        offset: int = 0,
    ) -> None:
        """The row's ``weights`` (times ``scale``) in their ``columns``; those without one
        are left out."""
        for key, x in weights.items():
            col = columns.get(key)
            if col is not None:
                self.indices.append(offset + col)
                self.values.append(x * scale)

    def end_row(self) -> None:
        self.starts.append(len(self.indices))

    def matrix(self, width: int) -> Sparse:
        parts = (
            np.asarray(self.values, dtype=np.float32),
            np.asarray(self.indices, dtype=np.int32),
            np.asarray(self.starts, dtype=np.int32),
        )
        from scipy.sparse import csr_array

        return csr_array(parts, shape=(len(self.starts) - 1, width))


class Workspace:
    """Buffers reused from block to block: a fresh 5 MB array per product and step would
    cost more in page faults than the arithmetic."""

    def __init__(self) -> None:
        self._buffers: dict[str, np.ndarray[Any, Any]] = {}

    def get(self, name: str, shape: tuple[int, int], dtype: Any = np.float32) -> Any:
        found = self._buffers.get(name)
        if found is None or found.shape[1] != shape[1] or found.shape[0] < shape[0]:
            found = self._buffers[name] = np.empty(shape, dtype=dtype)
        return found[: shape[0]]
