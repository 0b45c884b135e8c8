"""Dates, durations and reminder lead times in the reader's words (``handlers.timetexts``):
the words go through the reader's texts; the zone logic is ``bot.domain.timefmt``'s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.i18n import texts
from handlers.timetexts import date, day, lead_label, leads_text, local_time, until

EN = texts("en")


def test_dates_follow_the_zone() -> None:
    late = datetime(2025, 11, 20, 21, 30, tzinfo=UTC)
    assert date(EN, late, "Europe/Bucharest") == "Thu 20 Nov 2025"
    assert date(EN, late, "Asia/Karachi") == "Fri 21 Nov 2025"
    assert day(EN, late, "Asia/Karachi") == "Fri 21 Nov"


def test_local_time_spells_out_the_offset_across_summer_time() -> None:
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert local_time(EN, before, "Europe/Bucharest") == "Sun 29 Mar 2026, 02:30 (UTC+02:00)"
    assert local_time(EN, after, "Europe/Bucharest") == "Sun 29 Mar 2026, 04:30 (UTC+03:00)"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=15), "in 15 minutes"),
        (timedelta(minutes=15, seconds=2), "in 15 minutes"),
        (timedelta(minutes=1), "in 1 minute"),
        (timedelta(hours=1), "in 1 hour"),
        (timedelta(hours=2, minutes=5), "in 2 hours 5 minutes"),
        (timedelta(days=1), "in 1 day"),
        (timedelta(days=2, hours=3, minutes=4), "in 2 days 3 hours"),
        (timedelta(seconds=10), "starting now"),
        (timedelta(minutes=-5), "started 5 minutes ago"),
    ],
)
def test_until(delta: timedelta, text: str) -> None:
    now = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    assert until(EN, now + delta, now) == text


def test_lead_labels() -> None:
    assert [lead_label(EN, m) for m in (1440, 60, 15, 0)] == [
        "1 day before",
        "1 hour before",
        "15 minutes before",
        "at start",
    ]
    assert leads_text(EN, [15]) == "15 minutes before"
    assert leads_text(EN, [0, 60]) == "1 hour before and at start"
    assert leads_text(EN, [0, 15, 1440]) == "1 day before, 15 minutes before and at start"
