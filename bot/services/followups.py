"""The follow-up survey: ``FOLLOWUP_DAYS`` after an introduction was accepted, each side is
asked once "What came of your contact with X?" (no contact since, talks ongoing, agreement
signed, prefer not to say), with an optional note. The answers feed the funnel
(bot.services.funnel) and the report.

The periodic check starts in bot.runtime.jobs. The question goes out as a notice through the
outbox, to the company's reps at that moment (an erased rep is no rep any more, and the
erasure takes back what was queued to them); its dedupe key makes it once per side even
when a crash came between the notice and the record of the question, which the next check
simply writes again. Every answer is checked here against the presser's company.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.services.container import Services
from storage.followups import ANSWERS, PRIVATE, FollowupRepository
from storage.introductions import ACCEPTED
from storage.outbox import PRIORITY_NORMAL

log = logging.getLogger(__name__)

ASK_NOTICE = "followup_ask"
NOTE_LIMIT = 500

__all__ = ["ANSWERS", "PRIVATE", "Answered", "FollowupService", "Question"]


@dataclass(frozen=True)
class Question:
    """What the question names: the partner company, and when they were introduced."""

    company: str
    partner: str
    accepted_at: str
    answered: bool


@dataclass(frozen=True)
class Answered:
    """The result of a press: ``kind`` is "saved", "already" (another rep answered first:
    ``answer`` is theirs) or "refused" (not this rep's question)."""

    kind: str
    answer: str | None = None
    partner: str = ""


class FollowupService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = FollowupRepository(services.db)

    async def run_due(self) -> int:
        """Ask every side that is due; returns how many sides were asked now."""
        now = self.services.clock.now()
        cutoff = now - timedelta(days=self.services.settings.followup_days)
        asked = 0
        for intro_id, company_id in await self.repo.due(cutoff):
            reps = await self.services.companies.reps(company_id)
            if not reps:
                continue
            # The notice first, the record second: a crash in between leaves the record
            # missing, and the next run writes it while the dedupe key keeps the notice single.
            await self.services.notifier.tell(
                reps,
                ASK_NOTICE,
                {"intro_id": intro_id, "company_id": company_id},
                key=f"followup:{intro_id}:{company_id}",
                priority=PRIORITY_NORMAL,
            )
            if await self.repo.ask(intro_id, company_id, now=now):
                asked += 1
        if asked:
            log.info("follow-up survey: %d side(s) asked", asked)
        return asked

    async def question(self, intro_id: int, company_id: int) -> Question | None:
        """What the notice shows, at sending time; None when there is nothing to ask any more
        (the introduction or a company is gone)."""
        intro = await self.services.introductions.get(intro_id)
        if intro is None or intro.state != ACCEPTED or intro.decided_at is None:
            return None
        if company_id not in (intro.requester_company_id, intro.target_company_id):
            return None
        company = await self.services.companies.get(company_id)
        partner = await self.services.companies.get(intro.other(company_id))
        record = await self.repo.get(intro_id, company_id)
        if company is None or partner is None:
            return None
        return Question(
            company=company.name,
            partner=partner.name,
            accepted_at=intro.decided_at,
            answered=record is not None and record.answer is not None,
        )

    async def answer(self, user_id: int, intro_id: int, company_id: int, answer: str) -> Answered:
        if answer not in ANSWERS:
            return Answered("refused")
        mine = await self.services.companies.by_rep(user_id)
        record = await self.repo.get(intro_id, company_id)
        question = await self.question(intro_id, company_id)
        if mine is None or mine.id != company_id or record is None or question is None:
            return Answered("refused")
        now = self.services.clock.now()
        if not await self.repo.answer(intro_id, company_id, answer, by=user_id, now=now):
            fresh = await self.repo.get(intro_id, company_id)
            return Answered("already", fresh.answer if fresh else None, question.partner)
        return Answered("saved", answer, question.partner)

    async def note(self, user_id: int, intro_id: int, company_id: int, text: str) -> bool:
        """Keep the note of the rep who answered; False if they did not (or no longer do)."""
        note = " ".join(text.split())[:NOTE_LIMIT]
        mine = await self.services.companies.by_rep(user_id)
        if mine is None or mine.id != company_id or not note:
            return False
        return await self.repo.set_note(intro_id, company_id, note, by=user_id)
