"""Erasure benchmark: one /deleteme in a database with a large outbox.

Fills a fresh database with N users, a finished broadcast to all of them (N outbox rows),
N messages of other kinds, and 1,000 audit rows; then erases one participant (the outbox
is scanned, nearly nothing changes) and the organiser who sent the broadcast (every copy is
emptied). Prints how long each erasure's transaction holds the write lock (every other
write waits meanwhile), the WAL checkpoint, and how many rows were emptied.
Run: ``.venv/bin/python bench/erasure.py [N]`` (default 10,000).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.audit import AuditLog
from storage.db import Database
from storage.erasure import erase_person
from storage.outbox import NewMessage, OutboxRepository
from tests.support.storage import broadcast_to_everyone

NOW = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
ORGANISER = 7_700_000_001


async def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "erasure.db")
        try:
            await db.executemany(
                "INSERT INTO users (telegram_id, first_name, last_name, username, first_seen, "
                "last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (7_000_000_000 + i, f"First{i}", f"Last{i}", f"user{i}", "x", "x")
                    for i in range(n)
                ]
                + [(ORGANISER, "Maria", "Ionescu", "maria_org", "x", "x")],
            )
            broadcast = await broadcast_to_everyone(
                db, ORGANISER, "Forum starts at 10:00, Maria Ionescu", 9, now=NOW
            )
            outbox = OutboxRepository(db)
            await outbox.enqueue(
                [
                    NewMessage(
                        chat_id=7_000_000_000 + i,
                        dedupe_key=f"broadcast:{broadcast}:{i}",
                        kind="broadcast",
                        method="copyMessage",
                        payload={"from_chat_id": ORGANISER, "message_id": 9},
                        broadcast_id=broadcast,
                    )
                    for i in range(n)
                ]
                + [
                    NewMessage(
                        chat_id=7_000_000_000 + i,
                        dedupe_key=f"reminder:{i}",
                        kind="reminder",
                        payload={"text": f"⏰ <b>Session {i}</b> starts in 15 minutes"},
                    )
                    for i in range(n)
                ],
                now=NOW,
            )
            await db.execute("UPDATE outbox SET state = 'sent'")
            audit = AuditLog(db)
            for i in range(1000):
                await audit.record(ORGANISER if i % 2 else 1, "promote", f"{i} user{i}", now=NOW)
            started = time.perf_counter()
            await erase_person(db, 7_000_000_000 + n // 2, now=NOW)
            participant_s = time.perf_counter() - started
            started = time.perf_counter()
            erased = await erase_person(db, ORGANISER, now=NOW)
            erase_s = time.perf_counter() - started
            started = time.perf_counter()
            await db.checkpoint()
            checkpoint_s = time.perf_counter() - started
        finally:
            await db.close()
    print(f"outbox rows: {2 * n:,}")
    print(f"erasure of a participant (scan only): {participant_s * 1000:,.0f} ms")
    print(f"erasure of the broadcaster:           {erase_s * 1000:,.0f} ms")
    print(f"WAL checkpoint after it:              {checkpoint_s * 1000:,.0f} ms")
    print(f"messages emptied:                     {erased.messages_emptied:,}")
    print(f"audit rows pseudonymised:             {erased.audit_rows:,}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
