"""The broadcast service's pure parts (progress, report, summaries) and its start-up
rebuild after a crash between "running" and the enqueue."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.forum import load_forum
from bot.services.broadcasts import AudienceView, Progress, summary_of
from handlers.broadcast.compose import parse_when
from handlers.broadcast.texts import duration, progress_bar, progress_text, report_text
from handlers.i18n import texts
from sandbox import Sandbox
from storage.broadcasts import EVERYONE, SESSION, Audience, BroadcastRecord
from tests.support.flows import answer, started
from tests.support.harness import ADMIN_ID, BotHarness


def record(**kw: object) -> BroadcastRecord:
    base: dict[str, object] = dict(
        id=3,
        created_by=1,
        audience=Audience(EVERYONE),
        audience_label="<everyone>",
        summary="Hello & welcome",
        method="copyMessage",
        payload={},
        state="running",
        scheduled_for=None,
        recipients=10,
        progress_chat_id=1,
        progress_message_id=2,
        progress_text=None,
        created_at="2025-11-20T08:00:00+00:00",
        started_at="2025-11-20T08:00:00+00:00",
        finished_at="2025-11-20T08:01:05+00:00",
    )
    base.update(kw)
    return BroadcastRecord(**base)  # type: ignore[arg-type]


TX = texts("en")
FORUM = load_forum()


def progress(rec: BroadcastRecord, counts: dict[str, int], rate: float = 25) -> Progress:
    view = AudienceView(SESSION, 4, "<Keynote>")
    return Progress(rec, view, counts, rate)


def test_progress_bar_and_duration() -> None:
    assert progress_bar(0, 0) == "░" * 12 + " 0%"
    assert progress_bar(5, 10) == "█" * 6 + "░" * 6 + " 50%"
    assert progress_bar(10, 10).startswith("█" * 12)
    assert [duration(TX, s) for s in (0, 59.6, 65, 120, 3725)] == [
        "0 s",
        "1 min",
        "1 min 5 s",
        "2 min",
        "1 h 2 min",
    ]


def test_progress_and_report_texts_escape_and_count() -> None:
    counts = {"pending": 50, "sent": 40, "failed": 5, "blocked": 5, "cancelled": 0}
    text = progress_text(TX, FORUM, progress(record(), counts))
    assert "subscribers of “&lt;Keynote&gt;”" in text
    assert "50 of 100" in text and "About 2 s left" in text
    assert progress_text(TX, FORUM, progress(record(), {**counts, "sent": 41})) != text
    done = report_text(TX, FORUM, progress(record(state="done"), {**counts, "pending": 0}))
    assert "Delivery report" in done and "Hello &amp; welcome" in done and "Took 1 min 5 s" in done
    stopped = report_text(
        TX, FORUM, progress(record(state="stopped"), {**counts, "pending": 0, "cancelled": 7})
    )
    assert "stopped" in stopped and "not sent (stopped) 7" in stopped


def test_summary_and_time_parsing() -> None:
    assert summary_of("  a\nb  ") == "a b"
    assert summary_of("x" * 100).endswith("…") and len(summary_of("x" * 100)) == 60
    assert summary_of(None, "photo") == "[photo]"
    zone = ZoneInfo("Asia/Karachi")
    now = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    when = parse_when("2025-11-20 14:30", zone, now)
    assert when is not None and when.astimezone(UTC).hour == 9
    assert parse_when("20.11 14:30", zone, now) == when
    assert parse_when("tomorrow", zone, now) is None


async def test_startup_enqueues_a_running_broadcast_that_has_no_rows(
    sandbox: Sandbox, harness: BotHarness
) -> None:
    await harness.start()
    organiser = sandbox.user(ADMIN_ID, "Org")
    await answer(organiser, "Crash between the two writes", "not sure")
    reader = await started(sandbox, 7101, "R")
    services = harness.services
    bid = await services.broadcasts.repo.create(
        created_by=ADMIN_ID,
        audience=Audience(EVERYONE),
        audience_label="everyone",
        summary="Crash",
        method="copyMessage",
        payload={"from_chat_id": ADMIN_ID, "message_id": 1},
        now=services.clock.now(),
    )
    # "running" was written, then the process died before the enqueue.
    await services.broadcasts.repo.transition(
        bid, "running", from_states=("draft",), now=services.clock.now()
    )
    await harness.stop()
    await harness.start()
    await reader.expect("Crash between the two writes", timeout=10)
    async with asyncio.timeout(10):
        while True:
            current = await harness.services.broadcasts.get(bid)
            if current is not None and current.state == "done":
                break
            await asyncio.sleep(0.1)
