"""The organisers' audit log: who did what, when. Any feature records its organiser actions
here through ``services.audit.record(...)``; ``/audit`` shows the latest.

An organiser who erased themselves (/deleteme) stays in the log as "erased user #N": their
rows keep ``actor_id = -N``, N being the number of their erasure (``erasures.id``). Telegram
user ids are positive, so the two never mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Repository

MAX_DETAIL = 1000


def pseudonym(number: int) -> str:
    """How an erased person is shown: the same N in every row that stays after them."""
    return f"erased user #{number}"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor_id: int
    action: str
    detail: str
    created_at: str

    @property
    def erased_actor(self) -> str | None:
        """The pseudonym of an actor who was erased; None for a current actor id."""
        return pseudonym(-self.actor_id) if self.actor_id < 0 else None


class AuditLog(Repository):
    async def record(self, actor_id: int, action: str, detail: str = "", *, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO audit_log (actor_id, action, detail, created_at) VALUES (?, ?, ?, ?)",
            (actor_id, action, detail[:MAX_DETAIL], now.isoformat()),
        )

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        """Newest first."""
        rows = await self.db.fetchall(
            "SELECT id, actor_id, action, detail, created_at FROM audit_log "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4]) for r in rows]
