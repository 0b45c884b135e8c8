"""The erasure service behind /deleteme: erase the person from the database in one
transaction (storage.erasure), push the WAL into the database file and truncate it so no
old page version keeps them on disk, and tell the reps of a company that lost the contact
details the person had entered what to fill in again.

The handler also forgets the person in the running Application (bot.runtime.persistence.forget),
which is not reachable from here.
"""

from __future__ import annotations

import asyncio
import logging

from bot.services.container import Services
from handlers.html import esc
from storage.erasure import Erasure, erase_person
from storage.outbox import PRIORITY_NORMAL, NewMessage

log = logging.getLogger(__name__)

CHECKPOINT_TRIES = 5
CHECKPOINT_PAUSE_SECONDS = 0.2


async def erase(services: Services, user_id: int) -> Erasure:
    erased = await erase_person(services.db, user_id, now=services.clock.now())
    services.languages.forget(user_id)
    await checkpoint(services)
    for company_id in erased.contacts_cleared:
        company = await services.companies.get(company_id)
        reps = await services.companies.reps(company_id)
        if company is None or not reps:
            continue
        # No name here: the notice must not bring back what was just erased.
        text = (
            f"A rep of <b>{esc(company.name)}</b> erased their data from the bot, and with it "
            "the contact person, email and phone they had entered for the company. Please "
            "enter the company's contact again (/profile → ✏️ Edit): until it has a contact "
            "email, it is not matched."
        )
        await services.notifier.enqueue(
            [
                NewMessage(
                    chat_id=rep,
                    dedupe_key=f"erasure:{erased.pseudonym}:{company_id}:{rep}",
                    kind="company_reps",
                    payload={"text": text, "parse_mode": "HTML"},
                    priority=PRIORITY_NORMAL,
                )
                for rep in reps
            ]
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
