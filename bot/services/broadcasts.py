"""Organiser broadcasts: create, preview, send now or at a time, follow, stop, report.

A broadcast is a row in ``broadcasts`` plus one outbox row per recipient (a ``copyMessage``
of the organiser's own message, so text formatting, photos and documents arrive exactly as
sent). The outbox sender delivers them at the bulk priority; this service only decides what
to enqueue and watches the counts. Everything is rebuilt from the database at start-up:
running broadcasts keep going (their pending rows are still in the outbox) and scheduled
ones get their job back, so a crash or a restart loses nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot.domain.unicode_text import without_bidi_controls
from bot.runtime.context import ForumContext
from bot.services.container import Services
from handlers.html import esc
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
)
from storage.outbox import PRIORITY_BULK, PRIORITY_URGENT, NewMessage

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 3.0
BAR_WIDTH = 12
STOP_PREFIX = "bcast:stop:"
CANCEL_PREFIX = "bcast:cancel:"
KIND = "broadcast"
REPORT_KIND = "broadcast_report"


@dataclass(frozen=True)
class Draft:
    """The organiser's message a broadcast copies: where it is and how to list it."""

    chat_id: int
    message_id: int
    summary: str


def stop_keyboard(broadcast_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("⏹ Stop", callback_data=f"{STOP_PREFIX}{broadcast_id}")]]
    )


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    if total <= 0:
        return "░" * width + " 0%"
    share = min(1.0, done / total)
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled) + f" {share:.0%}"


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def delivery_line(counts: dict[str, int]) -> str:
    line = f"sent {counts['sent']} · failed {counts['failed']} · blocked {counts['blocked']}"
    if counts.get("unknown"):
        # Timed out after Telegram got them: maybe delivered, never sent twice.
        line += f" · timed out (maybe delivered) {counts['unknown']}"
    if counts.get("cancelled"):
        line += f" · not sent (stopped) {counts['cancelled']}"
    return line


def progress_text(record: BroadcastRecord, counts: dict[str, int], rate: float) -> str:
    total = sum(counts.values())
    pending = counts["pending"]
    handled = total - pending
    eta = pending / rate if rate > 0 else 0.0
    return (
        f"📣 <b>Broadcast #{record.id}</b> to {esc(record.audience_label)} — sending\n"
        f"{progress_bar(handled, total)}\n"
        f"{handled} of {total}: {delivery_line(counts)}\n"
        f"About {duration(eta)} left"
    )


def report_text(record: BroadcastRecord, counts: dict[str, int]) -> str:
    total = sum(counts.values())
    title = "stopped" if record.state == STOPPED else "finished"
    icon = "⏹" if record.state == STOPPED else "✅"
    took = ""
    if record.started_at and record.finished_at:
        seconds = (
            datetime.fromisoformat(record.finished_at) - datetime.fromisoformat(record.started_at)
        ).total_seconds()
        took = f"\nTook {duration(seconds)}"
    return (
        f"{icon} <b>Delivery report — broadcast #{record.id} {title}</b>\n"
        f"Audience: {esc(record.audience_label)} ({total} recipients)\n"
        f"Message: {esc(record.summary)}\n"
        f"{delivery_line(counts)}{took}"
    )


def summary_of(text: str | None, kind: str = "text", limit: int = 60) -> str:
    body = " ".join((text or "").split())
    if len(body) > limit:
        body = body[: limit - 1] + "…"
    if kind != "text":
        return f"[{kind}] {body}".strip()
    return body or "(empty)"


class BroadcastService:
    """One per process; reachable as ``context.services.broadcaster``."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
        self.app = app
        self.services = services
        self.progress_interval = PROGRESS_SECONDS

    @property
    def repo(self) -> BroadcastRepository:
        return self.services.broadcasts

    @property
    def rate(self) -> float:
        return self.services.settings.send_rate

    def zone_for(self, timezone: str | None) -> ZoneInfo:
        try:
            return ZoneInfo(timezone) if timezone else self.services.settings.tz
        except (ValueError, KeyError):
            return self.services.settings.tz

    # -- audiences -------------------------------------------------------------------
    async def audience_label(self, audience: Audience) -> str:
        if audience.kind == EVERYONE:
            return "everyone"
        forum = self.services.forum
        if audience.kind == COUNTRY:
            return f"reps of {forum.country_name(str(audience.value))} companies"
        if audience.kind == SECTOR:
            return f"reps in {forum.sector_label(str(audience.value))}"
        if audience.kind == COMPANIES:
            return "company reps only"
        if audience.kind == NO_COMPANY:
            return "users without a company"
        if audience.kind == SESSION:
            title = await self.repo.session_title(int(audience.value or 0))
            # The label is stored and shown to organisers: no bidi control may reorder it.
            return f"subscribers of “{without_bidi_controls(title or 'a removed session')}”"
        return audience.kind

    async def count(self, audience: Audience) -> int:
        return await self.repo.count_recipients(audience)

    # -- creating ----------------------------------------------------------------------
    async def preview(self, draft: Draft) -> int:
        """The copy a recipient will get, sent to the organiser; returns its message id."""
        sent = await self.app.bot.copy_message(
            chat_id=draft.chat_id, from_chat_id=draft.chat_id, message_id=draft.message_id
        )
        return int(sent.message_id)

    async def create(
        self,
        organiser_id: int,
        draft: Draft,
        audience: Audience,
        *,
        scheduled_for: datetime | None = None,
    ) -> BroadcastRecord:
        now = self.services.clock.now()
        label = await self.audience_label(audience)
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
        await self.services.audit.record(
            organiser_id,
            "broadcast.schedule" if scheduled_for else "broadcast.create",
            f"#{broadcast_id} to {label}{when}: {draft.summary}",
            now=now,
        )
        record = await self.repo.get(broadcast_id)
        assert record is not None
        if scheduled_for is not None:
            self._schedule_job(record)
        return record

    # -- running -----------------------------------------------------------------------
    async def start(self, broadcast_id: int) -> bool:
        """Enqueue every copy and begin following progress; False if not startable."""
        record = await self.repo.get(broadcast_id)
        if record is None:
            return False
        recipients = await self.repo.recipients(record.audience)
        now = self.services.clock.now()
        if not await self.repo.transition(
            broadcast_id,
            RUNNING,
            from_states=(DRAFT, SCHEDULED),
            now=now,
            recipients=len(recipients),
        ):
            return False  # already started, cancelled or finished: a double press
        self._remove_jobs(f"broadcast:scheduled:{broadcast_id}")
        await self._enqueue(record, recipients)
        await self._resume(broadcast_id)
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
        await self.services.notifier.enqueue(messages)

    async def _resume(self, broadcast_id: int) -> None:
        """Make sure a running broadcast has its progress message and its watcher."""
        record = await self.repo.get(broadcast_id)
        if record is None or record.state != RUNNING:
            return
        if record.progress_message_id is None:
            counts = await self.repo.delivery(broadcast_id)
            text = progress_text(record, counts, self.rate)
            try:
                message = await self.app.bot.send_message(
                    record.created_by, text, reply_markup=stop_keyboard(broadcast_id)
                )
            except TelegramError as exc:
                log.warning("broadcast=%s progress message not sent: %s", broadcast_id, exc)
            else:
                await self.repo.set_progress_message(
                    broadcast_id, record.created_by, message.message_id
                )
                await self.repo.set_progress_text(broadcast_id, text)
        name = f"broadcast:progress:{broadcast_id}"
        job_queue = self.app.job_queue
        if job_queue is not None and not job_queue.get_jobs_by_name(name):
            job_queue.run_repeating(
                self._progress_job,
                interval=self.progress_interval,
                first=min(self.progress_interval, 1.0),
                name=name,
                data=broadcast_id,
            )

    async def _progress_job(self, context: ForumContext) -> None:
        job = context.job
        if job is None:
            return
        if not await self.tick(cast(int, job.data)) and not job.removed:
            job.schedule_removal()

    async def tick(self, broadcast_id: int) -> bool:
        """Update the progress message; finish when nothing is pending. False when over."""
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
                broadcast_id, DONE, from_states=(RUNNING,), now=self.services.clock.now()
            ):
                await self._report(broadcast_id)
            return False
        await self._edit_progress(
            record, progress_text(record, counts, self.rate), stop_keyboard(broadcast_id)
        )
        return True

    async def _edit_progress(
        self, record: BroadcastRecord, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        # Telegram refuses an edit that changes nothing, so only a new text is sent.
        if record.progress_message_id is None or record.progress_chat_id is None:
            return
        if text == record.progress_text:
            return
        try:
            await self.app.bot.edit_message_text(
                text,
                chat_id=record.progress_chat_id,
                message_id=record.progress_message_id,
                reply_markup=markup,
            )
        except BadRequest as exc:
            if "not modified" not in exc.message:
                log.warning("broadcast=%s progress not edited: %s", record.id, exc.message)
        except TelegramError as exc:
            log.warning("broadcast=%s progress not edited: %s", record.id, exc)
            return
        await self.repo.set_progress_text(record.id, text)

    async def _report(self, broadcast_id: int) -> None:
        record = await self.repo.get(broadcast_id)
        if record is None:
            return
        self._remove_jobs(f"broadcast:progress:{broadcast_id}")
        counts = await self.repo.delivery(broadcast_id)
        text = report_text(record, counts)
        await self._edit_progress(record, text, None)
        # Through the outbox: keyed, so a restart in the middle never reports twice.
        await self.services.notifier.enqueue(
            [
                NewMessage(
                    chat_id=record.created_by,
                    dedupe_key=f"broadcast-report:{broadcast_id}",
                    kind=REPORT_KIND,
                    payload={"text": text, "parse_mode": "HTML"},
                    priority=PRIORITY_URGENT,
                )
            ]
        )

    # -- stopping and cancelling ------------------------------------------------------
    async def stop(self, broadcast_id: int, actor_id: int) -> bool:
        now = self.services.clock.now()
        if not await self.repo.transition(broadcast_id, STOPPED, from_states=(RUNNING,), now=now):
            return False
        cancelled = await self.services.outbox.cancel(broadcast_id=broadcast_id)
        await self.services.audit.record(
            actor_id, "broadcast.stop", f"#{broadcast_id}: {cancelled} copies not sent", now=now
        )
        await self._report(broadcast_id)
        return True

    async def cancel(self, broadcast_id: int, actor_id: int) -> bool:
        """Cancel a scheduled broadcast before it starts."""
        now = self.services.clock.now()
        if not await self.repo.transition(
            broadcast_id, BROADCAST_CANCELLED, from_states=(SCHEDULED, DRAFT), now=now
        ):
            return False
        self._remove_jobs(f"broadcast:scheduled:{broadcast_id}")
        await self.services.audit.record(
            actor_id, "broadcast.cancel", f"#{broadcast_id} (scheduled)", now=now
        )
        return True

    # -- scheduling and start-up ------------------------------------------------------
    def _schedule_job(self, record: BroadcastRecord) -> None:
        job_queue = self.app.job_queue
        if job_queue is None or record.scheduled_for is None:
            return
        name = f"broadcast:scheduled:{record.id}"
        self._remove_jobs(name)
        delay = datetime.fromisoformat(record.scheduled_for) - self.services.clock.now()
        # A time that passed while the bot was down: send now, late rather than never.
        job_queue.run_once(
            self._scheduled_job,
            when=max(delay, timedelta(0)).total_seconds(),
            name=name,
            data=record.id,
        )

    async def _scheduled_job(self, context: ForumContext) -> None:
        if context.job is not None:
            await self.start(cast(int, context.job.data))

    def _remove_jobs(self, name: str) -> None:
        job_queue = self.app.job_queue
        if job_queue is None:
            return
        for job in job_queue.get_jobs_by_name(name):
            if not job.removed:
                job.schedule_removal()

    async def startup(self) -> None:
        """Rebuild from the database: resume running broadcasts, re-arm scheduled ones."""
        for record in await self.repo.with_state(RUNNING):
            counts = await self.repo.delivery(record.id)
            if sum(counts.values()) == 0:
                # The crash came between "running" and the (atomic) enqueue.
                await self._enqueue(record, await self.repo.recipients(record.audience))
            await self._resume(record.id)
        for record in await self.repo.with_state(SCHEDULED):
            self._schedule_job(record)

    # -- listing -----------------------------------------------------------------------
    async def describe(self, record: BroadcastRecord, zone: ZoneInfo) -> str:
        counts = await self.repo.delivery(record.id)
        head = f"<b>#{record.id}</b> {esc(record.summary)}\n   to {esc(record.audience_label)}"
        if record.state == SCHEDULED and record.scheduled_for:
            when = datetime.fromisoformat(record.scheduled_for).astimezone(zone)
            return f"{head}\n   🕒 scheduled for {when:%Y-%m-%d %H:%M} ({record.recipients} now)"
        if record.state == RUNNING:
            return f"{head}\n   ▶️ sending: {delivery_line(counts)}, {counts['pending']} left"
        if record.state in (DONE, STOPPED):
            verb = "✅ done" if record.state == DONE else "⏹ stopped"
            return f"{head}\n   {verb}: {delivery_line(counts)}"
        return f"{head}\n   {record.state}"
