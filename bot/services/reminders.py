"""The reminder planner: JobQueue jobs from the agenda, reminders and change notices into the
outbox.

The database is the source of truth. For each session not started yet and each lead time the
JobQueue holds one job named ``reminder:<session>:<lead>``; :func:`rebuild` throws them all
away and makes them again from the database, at start-up and after any agenda change. A job
that fires re-reads its session (a stale job does nothing) and enqueues one outbox row per
subscriber keyed ``reminder:<user>:<session>:<lead>@<start>`` — so a reminder is never
enqueued twice for one start time, while a session moved to a new time gets fresh reminders.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application, ContextTypes, Job, JobQueue

from bot.config import load_settings
from bot.domain.agenda_files import AgendaFileError, parse_agenda
from bot.domain.timefmt import date, duration, times, until, user_zone, zone
from bot.runtime.context import SERVICES_KEY
from bot.services.container import Services
from bot.services.meeting_followup import MeetingFollowUp
from handlers.html import esc
from storage.agenda import Change, ImportResult, Session
from storage.db import Database
from storage.outbox import PRIORITY_NORMAL, PRIORITY_URGENT, NewMessage

log = logging.getLogger(__name__)

# Minutes before the start a user can be reminded: 1 day, 1 hour, 15 minutes, at start.
LEADS: tuple[int, ...] = (1440, 60, 15, 0)
JOB_PREFIX = "reminder:"
WATCH_JOB = "agenda-watch"
WATCH_SECONDS = 30.0
# An "at start" job may run a moment after the start; later than this it stays silent.
START_GRACE = timedelta(minutes=2)
REMINDER_KIND = "reminder"
CHANGE_KIND = "agenda_change"


def job_name(session_id: int, lead: int) -> str:
    return f"{JOB_PREFIX}{session_id}:{lead}"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%MZ")


def reminder_key(user_id: int, session_id: int, lead: int, starts_at: datetime) -> str:
    return f"reminder:{user_id}:{session_id}:{lead}@{_stamp(starts_at)}"


# -- message texts -----------------------------------------------------------------------
def reminder_text(
    session: Session, zone_name: str, now: datetime, forum_zones: Mapping[str, str]
) -> str:
    """``forum_zones``: the forum's two zones and their labels (``Forum.zone_labels()``)."""
    lines = [
        f"⏰ <b>{esc(session.title)}</b> starts {until(session.starts_at, now)}",
        f"🕙 {_when(session, zone_name, forum_zones)}",
    ]
    if session.speakers:
        lines.append(f"🎤 {esc(session.speakers)}")
    if session.link:
        lines.append(f"🔗 {esc(session.link)}")
    return "\n".join(lines)


def _when(session: Session, zone_name: str, forum_zones: Mapping[str, str]) -> str:
    when = times(session.starts_at, forum_zones, zone_name)
    return f"{date(session.starts_at, zone_name)} · {when}"


def change_text(change: Change, zone_name: str, forum_zones: Mapping[str, str]) -> str:
    before, after = change.before, change.after
    title = f"<b>{esc(before.title)}</b>"
    if after is None:
        return (
            f"❌ {title} is cancelled.\n"
            f"It was on {_when(before, zone_name, forum_zones)}. Its reminders are off."
        )
    length = duration(after.ends_at - after.starts_at)
    now = _when(after, zone_name, forum_zones)
    if before.cancelled:
        return (
            f"✅ {title} is back on the agenda: {now} ({length}).\n"
            "Your reminders follow the new time."
        )
    return (
        f"📅 {title} has a new time.\n"
        f"Now: {now} ({length})\n"
        f"Was: <s>{_when(before, zone_name, forum_zones)}</s>\n"
        "Your reminders follow the new time."
    )


# -- sending ----------------------------------------------------------------------------
async def _enqueue(services: Services, messages: list[NewMessage]) -> int:
    """Into the outbox; a running sender wakes up (from the CLI, the bot process picks the
    rows up)."""
    return await services.notifier.enqueue(messages)


def _reminders(
    services: Services, session: Session, targets: Sequence[tuple[int, str | None, int]]
) -> list[NewMessage]:
    now = services.clock.now()
    default = services.settings.event_timezone
    texts: dict[str, str] = {}  # one rendering per zone, not per user
    messages = []
    for user_id, tz_name, lead in targets:
        zone_name = user_zone(tz_name, default)
        text = texts.get(zone_name)
        if text is None:
            text = texts[zone_name] = reminder_text(
                session, zone_name, now, services.forum.zone_labels()
            )
        messages.append(
            NewMessage(
                chat_id=user_id,
                dedupe_key=reminder_key(user_id, session.id, lead, session.starts_at),
                kind=REMINDER_KIND,
                payload={"text": text, "parse_mode": "HTML"},
                priority=PRIORITY_URGENT,
            )
        )
    return messages


async def fire(
    services: Services, session_id: int, lead: int, expected_start: datetime | None = None
) -> int:
    """A reminder job's work: enqueue the reminders of one (session, lead). Returns rows added."""
    session = await services.agenda.get(session_id)
    now = services.clock.now()
    if session is None or session.cancelled:
        return 0
    if expected_start is not None and session.starts_at != expected_start:
        return 0  # the session moved after this job was made; the rebuild has the new one
    if now > session.starts_at + START_GRACE:
        return 0
    targets = await services.agenda.reminder_targets(session_id, [lead])
    return await _enqueue(services, _reminders(services, session, targets))


async def send_late(services: Services, session: Session, past_leads: Sequence[int]) -> int:
    """Reminders whose time passed while the bot was down, for a session not started yet.

    Each subscriber gets at most one: for the nearest of their lead times that passed (a
    reminder already sent under that key is not sent again).
    """
    targets = await services.agenda.reminder_targets(session.id, list(past_leads))
    nearest: dict[int, tuple[int, str | None, int]] = {}
    for user_id, tz_name, lead in targets:
        if user_id not in nearest or lead < nearest[user_id][2]:
            nearest[user_id] = (user_id, tz_name, lead)
    return await _enqueue(services, _reminders(services, session, list(nearest.values())))


async def _fire_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    if job is None or not isinstance(job.data, dict):
        return
    services: Services = context.bot_data[SERVICES_KEY]
    data: dict[str, Any] = job.data
    added = await fire(
        services, int(data["session"]), int(data["lead"]), datetime.fromisoformat(data["start"])
    )
    log.info("reminder job %s enqueued %d message(s)", job.name, added)


# -- the job queue -----------------------------------------------------------------------
@dataclass
class RebuildReport:
    jobs: int = 0
    removed: int = 0
    late: int = 0
    sessions: int = 0


def reminder_jobs(job_queue: JobQueue[Any]) -> list[Job[Any]]:
    return [j for j in job_queue.jobs() if (j.name or "").startswith(JOB_PREFIX)]


async def rebuild(app: Application[Any, Any, Any, Any, Any, Any], *, late: bool) -> RebuildReport:
    """Make the reminder jobs again from the database.

    ``late=True`` (start-up): reminders whose time passed while the bot was down are sent
    now if their session has not started; after an agenda change they are not.
    """
    services: Services = app.bot_data[SERVICES_KEY]
    job_queue = app.job_queue
    if job_queue is None:
        raise RuntimeError("the Application has no JobQueue (install PTB's job-queue extra)")
    now = services.clock.now()
    sessions = await services.agenda.not_started(now)
    report = RebuildReport(sessions=len(sessions))
    # No await from here to the end of the loop: nobody sees half a set of jobs.
    for job in reminder_jobs(job_queue):
        job.schedule_removal()
        report.removed += 1
    overdue: list[tuple[Session, list[int]]] = []
    for session in sessions:
        past = []
        for lead in LEADS:
            due = session.starts_at - timedelta(minutes=lead)
            if due > now:
                job_queue.run_once(
                    _fire_job,
                    when=(due - now).total_seconds(),
                    name=job_name(session.id, lead),
                    data={
                        "session": session.id,
                        "lead": lead,
                        "start": session.starts_at.isoformat(),
                    },
                )
                report.jobs += 1
            else:
                past.append(lead)
        if past:
            overdue.append((session, past))
    _watch_state(app)["fingerprint"] = await services.agenda.fingerprint()
    if late:
        for session, past in overdue:
            report.late += await send_late(services, session, past)
    log.info(
        "reminder jobs rebuilt: %d job(s) for %d session(s), %d late reminder(s)",
        report.jobs,
        report.sessions,
        report.late,
    )
    return report


def _watch_state(app: Application[Any, Any, Any, Any, Any, Any]) -> dict[str, Any]:
    job_queue = app.job_queue
    assert job_queue is not None
    for job in job_queue.get_jobs_by_name(WATCH_JOB):
        if isinstance(job.data, dict):
            return job.data
    state: dict[str, Any] = {"fingerprint": None}
    job_queue.run_repeating(_watch, interval=WATCH_SECONDS, name=WATCH_JOB, data=state)
    return state


async def _watch(context: ContextTypes.DEFAULT_TYPE) -> None:
    """An import made by another process (the CLI) changes the table, not our jobs: notice it."""
    job = context.job
    if job is None or not isinstance(job.data, dict):
        return
    services: Services = context.bot_data[SERVICES_KEY]
    if await services.agenda.fingerprint() != job.data.get("fingerprint"):
        await rebuild(context.application, late=False)


async def start(app: Application[Any, Any, Any, Any, Any, Any]) -> RebuildReport:
    """The start-up hook (bot.app ``_post_init``)."""
    return await rebuild(app, late=True)


# -- agenda changes ----------------------------------------------------------------------
async def notify_changes(services: Services, changes: Sequence[Change]) -> int:
    """One notice per subscriber of each moved or cancelled session that has not ended."""
    now = services.clock.now()
    default = services.settings.event_timezone
    messages: list[NewMessage] = []
    for change in changes:
        await services.agenda.cancel_pending_reminders(change.before.id)
        if change.before.ends_at <= now and (change.after is None or change.after.ends_at <= now):
            continue  # history was corrected; nobody needs telling
        version = _stamp(change.after.starts_at) if change.after else "cancelled"
        stamp = change.after.updated_at if change.after else now.isoformat()
        for user_id, tz_name in await services.agenda.subscribers(change.before.id):
            messages.append(
                NewMessage(
                    chat_id=user_id,
                    dedupe_key=f"agenda-change:{user_id}:{change.before.id}:{version}:{stamp}",
                    kind=CHANGE_KIND,
                    payload={
                        "text": change_text(
                            change, user_zone(tz_name, default), services.forum.zone_labels()
                        ),
                        "parse_mode": "HTML",
                    },
                    priority=PRIORITY_NORMAL,
                )
            )
    return await _enqueue(services, messages)


@dataclass
class AgendaUpdate:
    result: ImportResult
    notices: int


async def import_agenda(
    services: Services,
    data: bytes,
    filename: str,
    app: Application[Any, Any, Any, Any, Any, Any] | None = None,
) -> AgendaUpdate:
    """Parse (raises AgendaFileError, nothing written), apply, notify, re-plan."""
    event_zone = zone(services.settings.event_timezone)
    items = parse_agenda(data, filename, event_zone=event_zone)
    result = await services.agenda.apply_import(items, now=services.clock.now(), tz=event_zone)
    notices = await notify_changes(services, result.notices)
    await MeetingFollowUp(services).reconcile()  # meetings in a moved or cancelled block
    if app is not None:
        await rebuild(app, late=False)
    return AgendaUpdate(result=result, notices=notices)


async def change_session(
    services: Services,
    app: Application[Any, Any, Any, Any, Any, Any] | None,
    session_id: int,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    cancel: bool = False,
) -> Change | None:
    """Move or cancel one session, tell its subscribers and re-plan. None if nothing to do."""
    now = services.clock.now()
    if cancel:
        before = await services.agenda.set_cancelled(session_id, now=now)
        change = Change(before=before, after=None) if before else None
    else:
        current = await services.agenda.get(session_id)
        if current is None or starts_at is None:
            return None
        end = ends_at or starts_at + (current.ends_at - current.starts_at)
        before = await services.agenda.move(session_id, starts_at, end, now=now)
        after = await services.agenda.get(session_id)
        change = Change(before=before, after=after) if before and after else None
    if change is None:
        return None
    await notify_changes(services, [change])
    await MeetingFollowUp(services).reconcile()
    if app is not None:
        await rebuild(app, late=False)
    return change


async def import_agenda_cli(path: str) -> int:
    """``python -m bot import-agenda FILE``: 0 imported, 1 refused (problems on stderr).

    A running bot notices the change within ``WATCH_SECONDS`` and re-plans its jobs; the
    change notices written here are sent by its outbox sender.
    """
    settings = load_settings(require_token=False)
    file = Path(path)
    try:
        data = await asyncio.to_thread(file.read_bytes)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    db = await Database.open(settings.database_path)
    try:
        services = await Services.open(settings, db)
        try:
            update = await import_agenda(services, data, file.name)
        except AgendaFileError as exc:
            print(f"error: {path} was not imported; nothing changed:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
    finally:
        await db.close()
    result = update.result
    print(
        f"Imported {path}: {len(result.added)} added, {len(result.changed)} changed, "
        f"{len(result.removed)} removed, {result.unchanged} unchanged; "
        f"{update.notices} change notice(s) queued."
    )
    return 0
