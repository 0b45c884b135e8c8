"""Everyone's top lists kept up to date one change at a time: a company added, edited,
paused or deleted, a pair excluded or reopened.

A pair's score depends on the two profiles only (:mod:`bot.domain.matching.core`), so taking
a company out of a list leaves the rest of it the exact best of what remains, and a company
that ranks above a list's last row enters it at its exact place. Each list is therefore kept
as an exact *prefix* of the company's ranking (``complete`` when it holds every match the
company has); only a list that became shorter than a reader needs is ranked again, against
everyone across the border. The first build is :class:`MatchIndex`'s bulk pass.

Pure: the caller serialises changes and reads (the service holds a lock) and decides when
to rebuild instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.domain.matching.index import MatchIndex
from bot.domain.matching.profiles import CALIBRATED, Match, Profile, Rules, Weights, pair_key

Row = tuple[float, float, int]  # (-my score, -their score for me, id): the rank order


@dataclass(slots=True)
class _Top:
    rows: list[Row]
    complete: bool  # rows are every match the company has


class LiveIndex:
    """Top-``k`` prefixes of every matchable company's ranking, changed in place."""

    def __init__(
        self,
        profiles: Iterable[Profile],
        rules: Rules,
        *,
        k: int = 10,
        excluded: Collection[tuple[int, int]] = (),
        weights: Weights = CALIBRATED,
    ) -> None:
        built = MatchIndex(profiles, rules, k=k, excluded=excluded, weights=weights)
        self.k = k
        self.matcher = built.matcher
        self.excluded: set[tuple[int, int]] = set(built.excluded)
        self.profiles: dict[int, Profile] = dict(built.profiles)  # the matchable ones
        self.lists: dict[int, _Top] = {
            company: _Top(list(rows), len(rows) < k) for company, rows in built.tops.items()
        }

    # -- reading -----------------------------------------------------------------------
    def ready(self, company_id: int, n: int) -> bool:
        """Whether the company's first ``n`` matches are known without ranking again."""
        top = self.lists.get(company_id)
        return top is None or top.complete or len(top.rows) >= n

    def top_ids(self, company_id: int, n: int) -> list[int]:
        """The ids of the company's ``n`` best matches (:meth:`refresh` it first unless
        :meth:`ready`)."""
        top = self.lists.get(company_id)
        return [] if top is None else [row[2] for row in top.rows[:n]]

    def top(self, company_id: int, n: int) -> list[Match]:
        """The company's ``n`` best matches with their reasons (see :meth:`top_ids`)."""
        me = self.profiles.get(company_id)
        if me is None:
            return []
        out = []
        for other in self.top_ids(company_id, n):
            found = self.matcher.match(me, self.profiles[other])
            assert found is not None  # every listed pair is a match
            out.append(found)
        return out

    def countries(self) -> set[str]:
        """The countries with a matchable company."""
        return {p.country for p in self.profiles.values()}

    # -- changing ----------------------------------------------------------------------
    def refresh(self, company_id: int) -> None:
        """Rank one company again against everyone (its list had run short)."""
        me = self.profiles.get(company_id)
        if me is None:
            return
        rows = []
        for other in self.profiles.values():
            if pair_key(me.id, other.id) in self.excluded:
                continue
            both = self.matcher.scores(me, other)
            if both is not None:
                rows.append((-both[0], -both[1], other.id))
        rows.sort()
        self.lists[me.id] = _Top(rows[: self.k], len(rows) <= self.k)

    def remove(self, company_id: int) -> None:
        """A company deleted, paused or no longer matchable: out of every list."""
        if self.profiles.pop(company_id, None) is None:
            return
        del self.lists[company_id]
        for top in self.lists.values():
            top.rows = [row for row in top.rows if row[2] != company_id]

    def put(self, profile: Profile) -> None:
        """A company added or edited: its own list ranked, and its place in the others'."""
        self.remove(profile.id)
        if not profile.matchable:
            return
        self.profiles[profile.id] = profile
        self.refresh(profile.id)
        for other in self.profiles.values():
            top = self.lists[other.id]
            if other.id == profile.id or pair_key(other.id, profile.id) in self.excluded:
                continue
            if not top.complete and not top.rows:
                continue  # nothing to place it after: the empty prefix stays exact
            both = self.matcher.scores(other, profile)
            if both is None:
                continue
            row = (-both[0], -both[1], profile.id)
            if top.complete or row < top.rows[-1]:
                top.rows.append(row)
                top.rows.sort()
                if len(top.rows) > self.k:
                    del top.rows[self.k :]
                    top.complete = False

    def exclude(self, pair: tuple[int, int]) -> None:
        """A pair introduced or marked "not interested": never suggested again."""
        a, b = pair_key(*pair)
        self.excluded.add((a, b))
        for me, other in ((a, b), (b, a)):
            top = self.lists.get(me)
            if top is not None:
                top.rows = [row for row in top.rows if row[2] != other]

    def reopen(self, excluded: Collection[tuple[int, int]], companies: Iterable[int]) -> None:
        """Exclusions taken back: the excluded pairs as they are now, and the companies of
        the reopened pairs, whose lists and places are worked out again."""
        self.excluded = set(excluded)
        for company in companies:
            profile = self.profiles.get(company)
            if profile is not None:
                self.put(profile)


__all__ = ["LiveIndex"]
