"""The reasons of a match, from the viewer's side: what of theirs meets what I seek (and the
reverse), quoted from both texts; the intents that meet; the sectors we share.

A text fit is explained by the words both sides share when they share enough, else by the
concepts both name ("both about software testing (QA)"), else it is said to be a match by
meaning. The quotes are the parts of each text that carry the fit: those naming a shared
concept first, then those sharing words or meaning with the other side. A competitor's text
is never a reason (:meth:`PairParts.need_is_reason`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from bot.domain.matching import concepts, text
from bot.domain.matching.pair import PairParts, Prepared, Quote
from bot.domain.matching.profiles import CONCEPT_REASON_MIN, TEXT_REASON_MIN
from bot.domain.matching.reasons import (
    BOTH_WANT,
    INTENTS,
    SECTORS,
    THEY_OFFER,
    THEY_OFFER_CONCEPT,
    YOU_OFFER,
    YOU_OFFER_CONCEPT,
    Reason,
)

MAX_CONCEPTS = 2  # a reason names at most this many shared concepts


def reasons(
    a: Prepared,
    b: Prepared,
    parts: PairParts,
    *,
    semantic: bool,
    complements: Mapping[str, Sequence[str]],
) -> tuple[Reason, ...]:
    """The reasons ``b`` is a match for ``a``, phrased for ``a`` (``parts`` from a's side);
    ``semantic``: the embeddings weigh in the choice of quotes; ``complements``: each
    casefolded intent's complements, casefolded."""
    out: list[Reason] = []
    if parts.need_is_reason():
        out.append(_fit(semantic, b, a, parts.lex_need, parts.con_need, THEY_OFFER))
    if parts.give_is_reason():
        out.append(_fit(semantic, a, b, parts.lex_give, parts.con_give, YOU_OFFER))
    out.extend(_intent_reasons(complements, a, b))
    shared = tuple(s for s in a.profile.sectors if s.casefold() in b.sectors)
    if shared:
        out.append(Reason(SECTORS, terms=shared))
    return tuple(out)


def _fit(
    semantic: bool, giver: Prepared, seeker: Prepared, lex: float, con: float, kind: str
) -> Reason:
    shared: list[str] = []
    if con >= CONCEPT_REASON_MIN and lex < TEXT_REASON_MIN:
        products = {
            k: x * giver.con_offers[k] for k, x in seeker.con_seeks.items() if k in giver.con_offers
        }
        shared = concepts.strongest(products)[:MAX_CONCEPTS]
    # Shared words say it best; the concept is named, and quoted, when the words do not.
    if shared and lex < TEXT_REASON_MIN:
        offer, need = _quotes(semantic, giver, seeker, frozenset(shared))
        concept_kind = THEY_OFFER_CONCEPT if kind == THEY_OFFER else YOU_OFFER_CONCEPT
        return Reason(concept_kind, offer=offer, need=need, terms=tuple(shared))
    offer, need = _quotes(semantic, giver, seeker, frozenset())
    return Reason(kind, offer=offer, need=need, by_meaning=lex < TEXT_REASON_MIN)


def _quotable(who: Prepared, side: str) -> list[Quote]:
    found = who.quotes.get(side)
    if found is None:
        source = who.profile.offers if side == "offers" else who.profile.seeks
        found = [Quote(q, text.unit(text.terms(q)), side == "seeks") for q in text.quotable(source)]
        who.quotes[side] = found
    return found


def _quotes(
    semantic: bool, giver: Prepared, seeker: Prepared, shared: frozenset[str]
) -> tuple[str, str]:
    """The part of the giver's offers closest to the seeker's whole need, and the part of the
    seeker's seeks closest to the giver's whole offer: a shared concept named counts most,
    then shared words, and closeness of meaning when the embeddings are there."""
    giver_p, seeker_p = giver.profile, seeker.profile
    offers = _quotable(giver, "offers")
    needs = _quotable(seeker, "seeks")
    if not offers or not needs:
        return text.short(giver_p.offers), text.short(seeker_p.seeks)
    gv = giver_p.vectors if semantic else None
    sv = seeker_p.vectors if semantic else None
    offer_fit = [text.cosine(q.terms, seeker.seeks) for q in offers]
    need_fit = [text.cosine(q.terms, giver.offers) for q in needs]
    if shared:  # a part that names a shared concept first
        offer_fit = [
            f + 2 * len(q.concepts & shared) for f, q in zip(offer_fit, offers, strict=True)
        ]
        need_fit = [f + 2 * len(q.concepts & shared) for f, q in zip(need_fit, needs, strict=True)]
    if gv is not None and sv is not None:
        if len(gv.offer_quotes) == len(offers) and sv.seeks is not None:
            closeness = gv.offer_quotes.astype(np.float32) @ sv.seeks.astype(np.float32)
            offer_fit = [f + c for f, c in zip(offer_fit, closeness.tolist(), strict=True)]
        if len(sv.seek_quotes) == len(needs) and gv.offers is not None:
            closeness = sv.seek_quotes.astype(np.float32) @ gv.offers.astype(np.float32)
            need_fit = [f + c for f, c in zip(need_fit, closeness.tolist(), strict=True)]
    # The first of equals: the clause comes before its items, and reads better.
    best_offer = max(range(len(offers)), key=lambda i: (offer_fit[i], -i))
    best_need = max(range(len(needs)), key=lambda j: (need_fit[j], -j))
    return text.short(offers[best_offer].text), text.short(needs[best_need].text)


def _intent_reasons(
    complements: Mapping[str, Sequence[str]], a: Prepared, b: Prepared
) -> list[Reason]:
    theirs = {i.casefold(): i for i in b.profile.partnerships}
    out: list[Reason] = []
    for mine in a.profile.partnerships:
        for complement in complements.get(mine.casefold(), ()):
            if complement not in theirs:
                continue
            if complement == mine.casefold():
                out.append(Reason(BOTH_WANT, terms=(mine,)))
            else:
                out.append(Reason(INTENTS, terms=(mine, theirs[complement])))
    return out
