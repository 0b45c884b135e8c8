"""Retention after the forum: ``python -m bot purge --before DATE`` erases the personal data
of everyone who has not been active in the bot since DATE, each one exactly as their own
/deleteme would (bot.services.erasure), and the contact details of imported companies
nobody ever claimed. Just before, the funnel and the totals are kept as anonymised counts
(numbers only), so the report still tells what the forum produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.services.container import Services
from bot.services.erasure import checkpoint, erase
from bot.services.funnel import compute
from storage.introductions import IntroductionRepository
from storage.retention import RetentionRepository


@dataclass(frozen=True)
class Purge:
    people: int  # erased
    companies_deleted: int  # they were its last rep
    contacts_cleared: int  # unclaimed imported companies whose contact went
    kept: dict[str, int]


async def inactive(services: Services, before: datetime) -> list[int]:
    return await RetentionRepository(services.db).inactive_users(before)


async def purge(services: Services, before: datetime) -> Purge:
    repo = RetentionRepository(services.db)
    now = services.clock.now()
    funnel = await compute(services)
    intros = await IntroductionRepository(services.db).counts()
    kept = {
        **dict(funnel.steps()),
        "users": await services.users.count(),
        "companies": len(await services.companies.all()),
        **{f"introductions_{state}": n for state, n in intros.items()},
    }
    await repo.keep_counts(kept, cutoff=before.date().isoformat(), now=now)
    people = deleted = 0
    for user_id in await repo.inactive_users(before):
        erased = await erase(services, user_id)
        people += erased.user_row
        deleted += erased.company_deleted
    cleared = await repo.clear_unclaimed_contacts(before, now=now)
    await checkpoint(services)
    return Purge(people=people, companies_deleted=deleted, contacts_cleared=cleared, kept=kept)
