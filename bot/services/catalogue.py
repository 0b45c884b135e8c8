"""The forum file meets the database: at start-up the sectors and intents the file offers
are written to the catalogue (``storage.catalogue``), and the ones it no longer offers but
profiles still have come back as the forum's retired entries, so those profiles stay
readable (their labels) while nothing offers them any more."""

from __future__ import annotations

from bot.forum import Forum
from storage.catalogue import INTENTS, SECTORS, CatalogueRepository
from storage.db import Database


async def sync_forum(db: Database, forum: Forum) -> Forum:
    """Sync the catalogue from ``forum``; returns the forum with its retired entries."""
    repo = CatalogueRepository(db)
    await repo.sync(
        [(s.key, s.label) for s in forum.sectors], [(i.key, i.label) for i in forum.intents]
    )
    return forum.with_retired(await repo.retired(SECTORS), await repo.retired(INTENTS))
