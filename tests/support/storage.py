"""A migrated database whose catalogue of sectors and intents is synced from the forum file
that ships, as the bot does at start-up: what the storage tests start from."""

from __future__ import annotations

from pathlib import Path

from bot.forum import load_forum
from storage.catalogue import CatalogueRepository
from storage.db import Database

FORUM = load_forum(Path(__file__).resolve().parents[2] / "data" / "forum.toml")


async def open_synced(path: Path) -> Database:
    database = await Database.open(path)
    await CatalogueRepository(database).sync(
        [(s.key, s.label) for s in FORUM.sectors], [(i.key, i.label) for i in FORUM.intents]
    )
    return database
