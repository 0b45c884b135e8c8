"""The one funnel of the forum, one definition per step, computed here and only here: the
organisers' /stats and /matchstats and the report all show this.

Every step counts companies with a rep in Telegram (an imported company nobody claimed
cannot consent, ask or answer), each meeting the step's own condition:

1. registered — at least one rep in Telegram (registered there, or claimed);
2. consented — its rep agreed to be shown to other companies;
3. matched — it can be matched (complete, consented, not paused) and the matcher finds at
   least one company across the border for it (pairs already introduced or dismissed
   still count: they were matches);
4. introduced — it requested or received at least one introduction (any state);
5. accepted — at least one of its introductions was accepted by both sides;
6. meeting booked, 7. meeting held — 0 until meetings exist (issue 12);
8. talks — its follow-up answer was "talks ongoing" or "agreement signed";
9. agreement — its follow-up answer was "agreement signed".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, fields

from bot.domain.matching import MatchIndex, Rules
from bot.services.container import Services
from bot.services.embeddings import profile_from_record
from storage.funnel import FunnelQueries

# The workbook's labels (the chat translates its own, in handlers).
LABELS = {
    "registered": "Registered in Telegram",
    "consented": "Consented to be matched",
    "matched": "Has a cross-border match",
    "introduced": "Requested or received an introduction",
    "accepted": "Introduction accepted",
    "meeting_booked": "Meeting booked",
    "meeting_held": "Meeting held",
    "talks": "Follow-up: talks ongoing (or agreement)",
    "agreement": "Follow-up: agreement signed",
}


@dataclass(frozen=True)
class Funnel:
    registered: int = 0
    consented: int = 0
    matched: int = 0
    introduced: int = 0
    accepted: int = 0
    meeting_booked: int = 0
    meeting_held: int = 0
    talks: int = 0
    agreement: int = 0

    def steps(self) -> list[tuple[str, int]]:
        """(step key, companies), in funnel order."""
        return [(f.name, int(getattr(self, f.name))) for f in fields(self)]


async def compute(services: Services) -> Funnel:
    queries = FunnelQueries(services.db)
    registered = await queries.registered()
    records = await services.companies.all()
    # The matcher with the forum's rules, as /matches uses it; built in a worker thread so
    # that /matchstats at 10,000 companies does not hold up everyone else's replies.
    profiles = [profile_from_record(r) for r in records]
    index = await asyncio.to_thread(MatchIndex, profiles, Rules.of(services.forum), k=1)
    matched = {r.id for r in records if index.top_ids(r.id)}
    booked, held = await queries.meetings()
    return Funnel(
        registered=len(registered),
        consented=len(registered & await queries.consented()),
        matched=len(registered & matched),
        introduced=len(registered & await queries.introduced()),
        accepted=len(registered & await queries.accepted()),
        meeting_booked=len(registered & booked),
        meeting_held=len(registered & held),
        talks=len(registered & await queries.answered("ongoing", "signed")),
        agreement=len(registered & await queries.answered("signed")),
    )
