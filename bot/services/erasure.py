"""The privacy service behind /deleteme and /mydata.

/deleteme: erase the person from the database in one transaction (storage.erasure), push the
WAL into the database file and truncate it so no old page version keeps them on disk, and
tell the reps of a company that lost the contact details the person had entered what to
fill in again (the ``contacts_erased`` notice, rendered in ``handlers.company_notices``: it
names the company, never the person). The handler also forgets the person in the running
Application (bot.runtime.persistence.forget), which is not reachable from here.

/mydata: everything stored about the person and their company (storage.personal_data).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from bot.services.container import Services
from storage.erasure import Erasure, erase_person
from storage.personal_data import personal_data

__all__ = ["Erasure", "checkpoint", "erase", "my_data"]

log = logging.getLogger(__name__)

CHECKPOINT_TRIES = 5
CHECKPOINT_PAUSE_SECONDS = 0.2


async def erase(services: Services, user_id: int) -> Erasure:
    erased = await erase_person(services.db, user_id, now=services.clock.now())
    services.languages.forget(user_id)
    await checkpoint(services)
    for company_id in erased.contacts_cleared:
        reps = await services.companies.reps(company_id)
        # No name in the notice: it must not bring back what was just erased.
        await services.notifier.tell(
            reps,
            "contacts_erased",
            {"company": company_id},
            key=f"erasure:{erased.pseudonym}:{company_id}",
        )
    return erased


async def checkpoint(services: Services) -> bool:
    """Truncate the WAL; another process reading the database (a CLI export) can hold it
    for a moment, so try a few times before leaving it to the next checkpoint."""
    for attempt in range(CHECKPOINT_TRIES):
        if await services.db.checkpoint():
            return True
        await asyncio.sleep(CHECKPOINT_PAUSE_SECONDS * (attempt + 1))
    log.warning("erasure: the WAL is still in use; old page versions stay until it is free")
    return False


async def my_data(
    services: Services, user_id: int, conversation: Mapping[str, Any]
) -> dict[str, Any]:
    """Everything stored about ``user_id`` and their company (/mydata), with the bot's
    conversation data about them (``conversation``: plain values)."""
    return {
        "generated_at": services.clock.now().isoformat(),
        "telegram_id": user_id,
        "tables": await personal_data(services.db, user_id),
        "conversation_data": dict(conversation),
    }
