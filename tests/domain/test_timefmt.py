"""Time formatting: both forum zones, the user's own zone, summer time, durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.timefmt import Span, city, find_zone, span, times, user_zone
from bot.forum import load_forum

REPO = Path(__file__).resolve().parents[2]
# The forum zones and their names come from the forum file.
ZONES = load_forum(REPO / "data" / "forum.toml").zone_labels()
SECOND_ZONES = load_forum(REPO / "tests" / "data" / "forum_de_vn.toml").zone_labels()


def test_both_forum_zones_on_the_forum_day() -> None:
    moment = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    assert times(moment, ZONES) == "10:00 Bucharest · 13:00 Karachi"
    assert times(moment, ZONES, "Europe/Bucharest") == "10:00 Bucharest · 13:00 Karachi"
    assert times(moment, ZONES, "Asia/Karachi") == "10:00 Bucharest · 13:00 Karachi"


def test_another_forum_shows_its_own_two_zones_by_its_own_names() -> None:
    moment = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    # Asia/Ho_Chi_Minh is named Hanoi by that forum file.
    assert times(moment, SECOND_ZONES) == "09:00 Berlin · 15:00 Hanoi"
    assert times(moment, SECOND_ZONES, "Asia/Karachi") == (
        "09:00 Berlin · 15:00 Hanoi · 13:00 Karachi"
    )


def test_own_zone_is_added_when_it_is_neither() -> None:
    moment = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    assert times(moment, ZONES, "Europe/London") == (
        "10:00 Bucharest · 13:00 Karachi · 08:00 London"
    )
    assert times(moment, ZONES, "America/Port_of_Spain").endswith("04:00 Port of Spain")


def test_romania_summer_time_starts_29_march_2026() -> None:
    # Before 03:00 local Romania is UTC+2; after, UTC+3. Pakistan stays UTC+5.
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert times(before, ZONES) == "02:30 Bucharest · 05:30 Karachi"
    assert times(after, ZONES) == "04:30 Bucharest · 06:30 Karachi"
    noon = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)
    assert times(noon, ZONES, "Europe/London") == "13:00 Bucharest · 15:00 Karachi · 11:00 London"
    # The day before, the gap to Karachi is three hours; from that day on, two.
    assert times(noon - timedelta(days=1), ZONES) == "12:00 Bucharest · 15:00 Karachi"


@pytest.mark.parametrize(
    ("delta", "parts"),
    [
        (timedelta(minutes=15, seconds=2), Span(0, 0, 15)),
        (timedelta(seconds=29), Span()),
        (timedelta(hours=2, minutes=5), Span(0, 2, 5)),
        # A day away, minutes are noise.
        (timedelta(days=2, hours=3, minutes=4), Span(2, 3, 0)),
        (timedelta(minutes=59, seconds=40), Span(0, 1, 0)),
    ],
)
def test_spans_are_cut_as_people_say_them(delta: timedelta, parts: Span) -> None:
    assert span(delta) == parts


def test_zone_names() -> None:
    assert find_zone("europe/london") == "Europe/London"
    assert find_zone(" Asia/Karachi ") == "Asia/Karachi"
    assert find_zone("America/New York") == "America/New_York"
    assert find_zone("Mars/Olympus") is None
    assert find_zone("") is None
    assert find_zone("../../etc/passwd") is None
    assert user_zone(None, "Europe/Bucharest") == "Europe/Bucharest"
    assert user_zone("Nowhere/Land", "Europe/Bucharest") == "Europe/Bucharest"
    assert user_zone("Asia/Karachi", "Europe/Bucharest") == "Asia/Karachi"
    assert city("Europe/Bucharest") == "Bucharest"
