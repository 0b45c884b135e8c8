"""Everything that runs in the background, started and stopped in one place.

At start-up, in this order: the heartbeat row is written (and then every 30 s); the outbox
sender resumes what was pending when the process last
stopped; running broadcasts carry on and scheduled ones get their timers back; reminder
timers are planned from the agenda in the database (the late ones missed while down are
sent) and the agenda is watched for imports made by another process (the CLI); the
meetings' timers are planned from the database (what fell due while down is sent: late
reminders, the feedback questions) and their sweep starts; the introductions' due run
(expiry, halfway reminders, notices lost in a crash) and the daily "new matches" digest start
repeating, and so does the follow-up survey's check; the matching index is built in a worker
thread.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.runtime import allocator
from bot.runtime.context import RUNTIME_KEY, SERVICES_KEY, ForumApplication, Runtime
from bot.runtime.health import HEARTBEAT_EVERY, HEARTBEAT_JOB
from bot.services.container import Services
from bot.services.followups import FollowupService
from bot.services.meeting_followup import SWEEP_EVERY, MeetingFollowUp
from bot.services.reminders import WATCH_EVERY, WATCH_JOB

log = logging.getLogger(__name__)

INTRODUCTIONS_DUE_EVERY = timedelta(minutes=5)
# Soon after start-up too: that is when notices lost in a crash are queued again.
INTRODUCTIONS_DUE_FIRST_SECONDS = 10.0
DIGEST_EVERY = timedelta(hours=1)
FOLLOWUPS_DUE_EVERY = timedelta(hours=1)
# After a restart, soon: a question due while the bot was down goes out then.
FOLLOWUPS_DUE_FIRST_SECONDS = 30.0


async def _introductions_due(services: Services) -> None:
    done = await services.intros.run_due()
    if any(done.values()):
        log.info("introductions: %s", done)


async def _digests(services: Services) -> None:
    told = await services.matching.send_digests()
    if told:
        log.info("new-matches digests sent to %d companies", told)


async def _sweep(services: Services) -> None:
    await MeetingFollowUp(services).sweep()


async def _followups_due(services: Services) -> None:
    await FollowupService(services).run_due()


# The repeating jobs over the services: name, interval, job, seconds to the first run.
REPEATING: tuple[tuple[str, timedelta, Callable[[Services], Awaitable[None]], float], ...] = (
    ("meetings:sweep", SWEEP_EVERY, _sweep, SWEEP_EVERY.total_seconds()),
    (
        "introductions:due",
        INTRODUCTIONS_DUE_EVERY,
        _introductions_due,
        INTRODUCTIONS_DUE_FIRST_SECONDS,
    ),
    ("introductions:digest", DIGEST_EVERY, _digests, DIGEST_EVERY.total_seconds()),
    ("followups:due", FOLLOWUPS_DUE_EVERY, _followups_due, FOLLOWUPS_DUE_FIRST_SECONDS),
)


async def start(app: ForumApplication) -> None:
    services: Services = app.bot_data[SERVICES_KEY]
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    await runtime.heartbeat.started()
    # The first full beat a second after the JobQueue starts (PTB cannot run a repeating job
    # at once); until then the row written by started() stands for it.
    services.timers.every(HEARTBEAT_JOB, HEARTBEAT_EVERY, runtime.heartbeat.beat, first=1)
    runtime.sender.start()
    await services.broadcasts.startup()
    await services.reminders.rebuild(late=True)
    services.timers.every(
        WATCH_JOB, WATCH_EVERY, services.reminders.watch, first=WATCH_EVERY.total_seconds()
    )
    done = await MeetingFollowUp(services).plan_all(late=True)
    log.info("meetings at start-up: %s", done)
    for name, interval, job, first in REPEATING:
        services.timers.every(name, interval, functools.partial(job, services), first=first)
    # The matching index is built in a worker thread now rather than at the first /matches.
    services.matching.index.give_back_memory = allocator.trim
    services.timers.at("matching:index", services.clock.now(), services.matching.index.warm)


async def stop(app: ForumApplication) -> None:
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    await runtime.sender.stop()
    await runtime.heartbeat.stopped()
