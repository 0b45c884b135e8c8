"""Organiser broadcasts: create, send now or at a time, follow, stop, report.

A broadcast is a row in ``broadcasts`` plus one outbox row per recipient (a ``copyMessage``
of the organiser's own message, so text formatting, photos and documents arrive exactly as
sent). The outbox sender delivers them at the bulk priority; this service only decides what
to enqueue and watches the counts. What the organiser sees of it are notices
(``handlers.broadcast.notices`` renders them at sending time, from the counts then): the
progress message (sent once, keyed), its edits (one per change in the count, never two
waiting at once) and the delivery report (keyed, so a restart never reports twice).

Everything is rebuilt from the database at start-up: running broadcasts keep going (their
pending rows are still in the outbox) and scheduled ones get their timer back (a time that
passed while the bot was down sends at once: late rather than never).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.domain.unicode_text import without_bidi_controls
from bot.forum import Forum
from bot.services.broadcast_views import AudienceView, Draft, Listed, Progress, summary_of
from bot.services.notices import Delivery, Notice, Notifier
from bot.services.timers import Timers
from storage.audit import AuditLog
from storage.broadcasts import CANCELLED as BROADCAST_CANCELLED
from storage.broadcasts import (
    COMPANIES,
    COUNTRY,
    DONE,
    DRAFT,
    EVERYONE,
    NO_COMPANY,
    RUNNING,
    SCHEDULED,
    SECTOR,
    SESSION,
    STOPPED,
    Audience,
    BroadcastRecord,
    BroadcastRepository,
    SessionChoice,
)
from storage.outbox import PRIORITY_BULK, PRIORITY_URGENT, NewMessage, OutboxRepository

__all__ = [
    "BROADCAST_CANCELLED",
    "COMPANIES",
    "COUNTRY",
    "DONE",
    "EVERYONE",
    "NO_COMPANY",
    "RUNNING",
    "SCHEDULED",
    "SECTOR",
    "SESSION",
    "STOPPED",
    "Audience",
    "AudienceView",
    "BroadcastRecord",
    "BroadcastService",
    "Draft",
    "Listed",
    "Progress",
    "SessionChoice",
    "summary_of",
]

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 3.0
KIND = "broadcast"
PROGRESS_NOTICE = "broadcast_progress"
PROGRESS_EDIT_NOTICE = "broadcast_progress_edit"
REPORT_NOTICE = "broadcast_report"


def progress_key(broadcast_id: int) -> str:
    """The progress message's dedupe key; its edits' keys start with this plus ``:``."""
    return f"broadcast-progress:{broadcast_id}"


@dataclass(eq=False)
class BroadcastService:
    """One per process: ``services.broadcasts``."""

    repo: BroadcastRepository
    _: KW_ONLY
    outbox: OutboxRepository
    audit: AuditLog
    notifier: Notifier
    timers: Timers
    clock: Clock
    settings: Settings
    forum: Forum
    progress_interval: float = field(default=PROGRESS_SECONDS, init=False)

    # -- reading ---------------------------------------------------------------------
    async def get(self, broadcast_id: int) -> BroadcastRecord | None:
        return await self.repo.get(broadcast_id)

    async def recent(self, limit: int = 20) -> list[BroadcastRecord]:
        return await self.repo.recent(limit)

    async def delivery(self, broadcast_id: int) -> dict[str, int]:
        return await self.repo.delivery(broadcast_id)

    async def delivery_totals(self) -> dict[str, int]:
        return await self.repo.delivery_totals()

    async def sessions(self) -> list[SessionChoice]:
        return await self.repo.sessions()

    async def count(self, audience: Audience) -> int:
        return await self.repo.count_recipients(audience)

    async def audience_view(self, audience: Audience) -> AudienceView:
        title = None
        if audience.kind == SESSION:
            found = await self.repo.session_title(int(audience.value or 0))
            title = without_bidi_controls(found) if found is not None else None
        return AudienceView(audience.kind, audience.value, title)

    async def progress(self, broadcast_id: int) -> Progress | None:
        record = await self.repo.get(broadcast_id)
        if record is None:
            return None
        counts = await self.repo.delivery(broadcast_id)
        view = await self.audience_view(record.audience)
        return Progress(record, view, counts, self.settings.send_rate)

    async def listing(self, limit: int = 20) -> list[Listed]:
        """The latest broadcasts, newest first, with their counts."""
        return [
            Listed(
                record, await self.audience_view(record.audience), await self.delivery(record.id)
            )
            for record in await self.repo.recent(limit)
        ]

    async def progress_message(self, broadcast_id: int) -> int | None:
        """The progress message's id in the organiser's chat, once it was sent."""
        record = await self.repo.get(broadcast_id)
        if record is None:
            return None
        if record.progress_message_id is not None:
            return record.progress_message_id
        message_id = await self.repo.sent_message_id(progress_key(broadcast_id))
        if message_id is not None:
            await self.repo.set_progress_message(broadcast_id, record.created_by, message_id)
        return message_id

    def _record_label(self, audience: Audience, title: str | None) -> str:
        """The audience in English, kept with the broadcast for the audit log and the
        organisers' workbook (the chat names it from the audience, in the reader's language)."""
        if audience.kind == COUNTRY:
            return f"reps of {self.forum.country_name(str(audience.value))} companies"
        if audience.kind == SECTOR:
            return f"reps in {self.forum.sector_label(str(audience.value))}"
        if audience.kind == SESSION:
            return f"subscribers of “{title or 'a removed session'}”"
        return {
            EVERYONE: "everyone",
            COMPANIES: "company reps only",
            NO_COMPANY: "users without a company",
        }.get(audience.kind, audience.kind)

    # -- creating ----------------------------------------------------------------------
    async def create(
        self,
        organiser_id: int,
        draft: Draft,
        audience: Audience,
        *,
        scheduled_for: datetime | None = None,
    ) -> BroadcastRecord:
        now = self.clock.now()
        label = self._record_label(audience, (await self.audience_view(audience)).title)
        broadcast_id = await self.repo.create(
            created_by=organiser_id,
            audience=audience,
            audience_label=label,
            summary=draft.summary,
            method="copyMessage",
            payload={"from_chat_id": draft.chat_id, "message_id": draft.message_id},
            now=now,
            scheduled_for=scheduled_for,
            recipients=await self.count(audience),
        )
        when = f" for {scheduled_for.isoformat()}" if scheduled_for else ""
        await self.audit.record(
            organiser_id,
            "broadcast.schedule" if scheduled_for else "broadcast.create",
            f"#{broadcast_id} to {label}{when}: {draft.summary}",
            now=now,
        )
        record = await self.repo.get(broadcast_id)
        assert record is not None
        if scheduled_for is not None:
            self._plan(record)
        return record

    # -- running -----------------------------------------------------------------------
    async def start(self, broadcast_id: int) -> bool:
        """Enqueue every copy and begin following progress; False if not startable."""
        record = await self.repo.get(broadcast_id)
        if record is None:
            return False
        recipients = await self.repo.recipients(record.audience)
        if not await self.repo.transition(
            broadcast_id,
            RUNNING,
            from_states=(DRAFT, SCHEDULED),
            now=self.clock.now(),
            recipients=len(recipients),
        ):
            return False  # already started, cancelled or finished: a double press
        self.timers.cancel(f"broadcast:scheduled:{broadcast_id}")
        # The progress message first, so it leads the organiser's chat, then the copies.
        await self._follow(broadcast_id)
        await self._enqueue(record, recipients)
        return True

    async def _enqueue(self, record: BroadcastRecord, recipients: list[int]) -> None:
        messages = [
            NewMessage(
                chat_id=user_id,
                dedupe_key=f"broadcast:{record.id}:{user_id}",
                kind=KIND,
                payload=record.payload,
                method=record.method,
                priority=PRIORITY_BULK,
                broadcast_id=record.id,
            )
            for user_id in recipients
        ]
        # One transaction: after a crash either every copy is queued or none is.
        await self.notifier.enqueue(messages)

    async def _tell(self, record: BroadcastRecord, kind: str, key: str) -> None:
        # Urgent: the organiser's progress must not wait behind the broadcast's own copies.
        notice = Notice(kind, {"broadcast": record.id})
        await self.notifier.send([Delivery(record.created_by, notice, key, PRIORITY_URGENT)])

    async def _follow(self, broadcast_id: int) -> None:
        """Make sure a running broadcast has its progress message and its timer."""
        record = await self.repo.get(broadcast_id)
        if record is None or record.state != RUNNING:
            return
        # Keyed: after a restart the message is not sent again, only edited.
        await self._tell(record, PROGRESS_NOTICE, progress_key(broadcast_id))
        name = f"broadcast:progress:{broadcast_id}"
        if name not in self.timers.names(name):
            self.timers.every(
                name,
                timedelta(seconds=self.progress_interval),
                functools.partial(self._tick_timer, broadcast_id),
                first=min(self.progress_interval, 1.0),
            )

    async def _tick_timer(self, broadcast_id: int) -> None:
        if not await self.tick(broadcast_id):
            self.timers.cancel(f"broadcast:progress:{broadcast_id}")

    async def tick(self, broadcast_id: int) -> bool:
        """Queue an edit of the progress message; finish when nothing is pending. False
        when the broadcast is over."""
        record = await self.repo.get(broadcast_id)
        if record is None or record.state != RUNNING:
            return False
        counts = await self.repo.delivery(broadcast_id)
        if counts["pending"] == 0 and sum(counts.values()) < record.recipients:
            # Copies not queued yet (or not visible yet): finished it certainly is not.
            log.warning(
                "broadcast=%s has %s of %s copies queued; not finishing",
                broadcast_id,
                sum(counts.values()),
                record.recipients,
            )
        elif counts["pending"] == 0:
            if await self.repo.transition(
                broadcast_id, DONE, from_states=(RUNNING,), now=self.clock.now()
            ):
                await self._report(broadcast_id)
            return False
        await self._edit(record, counts)
        return True

    async def _edit(self, record: BroadcastRecord, counts: dict[str, int]) -> None:
        """One edit per count of handled copies, and none while the last one waits (a
        paused outbox must not pile them up); each shows the counts when it is sent."""
        handled = sum(counts.values()) - counts["pending"]
        prefix = f"{progress_key(record.id)}:"
        if handled == 0 or await self.repo.pending_with_prefix(prefix):
            return
        await self._tell(record, PROGRESS_EDIT_NOTICE, f"{prefix}{handled}")

    async def _report(self, broadcast_id: int) -> None:
        self.timers.cancel(f"broadcast:progress:{broadcast_id}")
        record = await self.repo.get(broadcast_id)
        if record is None:
            return
        # The progress message becomes the report, and the report comes as a message too.
        await self._tell(record, PROGRESS_EDIT_NOTICE, f"{progress_key(broadcast_id)}:final")
        await self._tell(record, REPORT_NOTICE, f"broadcast-report:{broadcast_id}")

    # -- stopping and cancelling ------------------------------------------------------
    async def stop(self, broadcast_id: int, actor_id: int) -> bool:
        now = self.clock.now()
        if not await self.repo.transition(broadcast_id, STOPPED, from_states=(RUNNING,), now=now):
            return False
        cancelled = await self.outbox.cancel(broadcast_id=broadcast_id)
        await self.audit.record(
            actor_id, "broadcast.stop", f"#{broadcast_id}: {cancelled} copies not sent", now=now
        )
        await self._report(broadcast_id)
        return True

    async def cancel(self, broadcast_id: int, actor_id: int) -> bool:
        """Cancel a scheduled broadcast before it starts."""
        now = self.clock.now()
        if not await self.repo.transition(
            broadcast_id, BROADCAST_CANCELLED, from_states=(SCHEDULED, DRAFT), now=now
        ):
            return False
        self.timers.cancel(f"broadcast:scheduled:{broadcast_id}")
        await self.audit.record(
            actor_id, "broadcast.cancel", f"#{broadcast_id} (scheduled)", now=now
        )
        return True

    # -- scheduling and start-up ------------------------------------------------------
    def _plan(self, record: BroadcastRecord) -> None:
        if record.scheduled_for is None:
            return
        # A time that passed while the bot was down runs at once: late rather than never.
        self.timers.at(
            f"broadcast:scheduled:{record.id}",
            datetime.fromisoformat(record.scheduled_for),
            functools.partial(self.start, record.id),
        )

    async def startup(self) -> None:
        """Rebuild from the database: resume running broadcasts, re-arm scheduled ones."""
        for record in await self.repo.with_state(RUNNING):
            counts = await self.repo.delivery(record.id)
            if sum(counts.values()) == 0:
                # The crash came between "running" and the (atomic) enqueue.
                await self._enqueue(record, await self.repo.recipients(record.audience))
            await self._follow(record.id)
        for record in await self.repo.with_state(SCHEDULED):
            self._plan(record)
