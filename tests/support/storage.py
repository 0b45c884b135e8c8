"""A migrated database whose catalogue of sectors and intents is synced from the forum file
that ships, as the bot does at start-up: what the storage tests start from; and rows the
storage tests and benchmarks put in it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from bot.forum import load_forum
from storage.broadcasts import Audience, BroadcastRepository
from storage.catalogue import CatalogueRepository
from storage.companies import CompanyRepository
from storage.db import Database
from storage.outbox import PRIORITY_BULK, NewMessage

FORUM = load_forum(Path(__file__).resolve().parents[2] / "data" / "forum.toml")


async def open_synced(path: Path) -> Database:
    database = await Database.open(path)
    await CatalogueRepository(database).sync(
        [(s.key, s.label) for s in FORUM.sectors], [(i.key, i.label) for i in FORUM.intents]
    )
    return database


async def broadcast_to_everyone(
    db: Database, by: int, summary: str, message_id: int, *, now: datetime, **fields: Any
) -> int:
    """A broadcast by ``by`` to everyone: copies of their message ``message_id``."""
    return await BroadcastRepository(db).create(
        created_by=by,
        audience=Audience("everyone"),
        audience_label="everyone",
        summary=summary,
        method="copyMessage",
        payload={"from_chat_id": by, "message_id": message_id},
        now=now,
        **fields,
    )


async def bare_company(
    db: Database,
    name: str,
    country: str,
    *,
    now: datetime,
    offers: str = "x",
    seeks: str = "y",
    sectors: tuple[str, ...] = ("fintech",),
    partnerships: tuple[str, ...] = ("joint_venture",),
    **options: Any,
) -> int:
    """A consenting company with little more than the schema asks for, stored directly
    (no rep unless ``rep_id``): for tests of other rows, and as an import leaves one.
    ``options``: more fields, and ``rep_id`` / ``source`` for the repository."""
    create = {k: options.pop(k) for k in ("rep_id", "source") if k in options}
    return await CompanyRepository(db).create(
        {
            "name": name,
            "country": country,
            "offers": offers,
            "seeks": seeks,
            "consent": 1,
            **options,
        },
        sectors=list(sectors),
        partnerships=list(partnerships),
        now=now,
        **create,
    )


def bulk_texts(first_chat: int, count: int, key: str, text: str, **fields: Any) -> list[NewMessage]:
    """A broadcast's queue: ``count`` bulk-priority texts to the chats from ``first_chat``
    on, keyed ``{key}:{i}``; what must get ahead of it is measured or tested against it."""
    return [
        NewMessage(
            chat_id=first_chat + i,
            dedupe_key=f"{key}:{i}",
            kind="broadcast",
            payload={"text": text},
            priority=PRIORITY_BULK,
            **fields,
        )
        for i in range(count)
    ]
