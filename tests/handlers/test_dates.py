"""Dates, times and durations in the reader's language (handlers/dates.py, Babel's CLDR data):
the same moment and the same zones as bot.domain.timefmt, each piece written the way English,
Romanian and Urdu readers write it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.forum import load_forum
from handlers import dates
from handlers.i18n import texts

REPO = Path(__file__).resolve().parents[2]
FORUM = load_forum(REPO / "data" / "forum.toml")
SECOND = load_forum(REPO / "tests" / "data" / "forum_de_vn.toml")
# 20 Nov 2025, 10:00 in Bucharest (UTC+2), 13:00 in Karachi (UTC+5).
MOMENT = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
EN, RO, UR = texts("en"), texts("ro"), texts("ur")


def zone_labels(language: str, forum: object = FORUM) -> dict[str, str]:
    return {c.timezone: c.zone_label_in(language) for c in forum.countries}  # type: ignore[attr-defined]


def test_the_date_in_each_language() -> None:
    assert dates.date(EN, MOMENT, "Europe/Bucharest") == "Thu, 20 Nov 2025"
    assert dates.date(RO, MOMENT, "Europe/Bucharest") == "joi, 20 nov. 2025"
    assert dates.date(UR, MOMENT, "Asia/Karachi") == "جمعرات، 20 نومبر، 2025"
    assert dates.day(EN, MOMENT, "Asia/Karachi") == "Thu 20 Nov"
    assert dates.day(RO, MOMENT, "Asia/Karachi") == "joi, 20 nov."


def test_the_date_is_the_one_in_the_given_zone() -> None:
    late = datetime(2025, 11, 20, 21, 30, tzinfo=UTC)  # already Friday in Karachi
    assert dates.date(RO, late, "Europe/Bucharest") == "joi, 20 nov. 2025"
    assert dates.date(RO, late, "Asia/Karachi") == "vin., 21 nov. 2025"
    assert dates.weekday_name(UR, late, "Asia/Karachi") == "جمعہ"


def test_both_forum_zones_named_in_the_readers_language() -> None:
    assert dates.times(EN, MOMENT, zone_labels("en")) == "10:00 Bucharest · 13:00 Karachi"
    assert dates.times(RO, MOMENT, zone_labels("ro")) == "10:00 București · 13:00 Karachi"
    # Urdu readers get the locale's 12-hour clock.
    assert dates.times(UR, MOMENT, zone_labels("ur")) == "10:00 AM بخارسٹ · 1:00 PM کراچی"


def test_the_readers_own_zone_is_added_and_named_by_its_city_in_their_language() -> None:
    assert dates.times(RO, MOMENT, zone_labels("ro"), "Europe/London") == (
        "10:00 București · 13:00 Karachi · 08:00 Londra"
    )
    assert dates.times(UR, MOMENT, zone_labels("ur"), "Asia/Karachi") == (
        "10:00 AM بخارسٹ · 1:00 PM کراچی"
    )
    # Another forum's zones, by that forum file's labels.
    assert dates.times(EN, MOMENT, zone_labels("en", SECOND)) == "09:00 Berlin · 15:00 Hanoi"


def test_summer_time_moves_the_local_time() -> None:
    july = datetime(2025, 7, 1, 7, 0, tzinfo=UTC)  # Bucharest is UTC+3 in summer
    assert dates.time(RO, july, "Europe/Bucharest") == "10:00"
    assert dates.local_time(RO, july, "Europe/Bucharest") == "mar., 1 iul. 2025, 10:00 (GMT+03:00)"


def test_one_zone_with_its_offset() -> None:
    assert dates.local_time(EN, MOMENT, "Asia/Karachi") == ("Thu, 20 Nov 2025, 13:00 (GMT+05:00)")
    assert dates.local_time(UR, MOMENT, "Asia/Karachi") == (
        "جمعرات، 20 نومبر، 2025، 1:00 PM (GMT +05:00)"
    )


def test_weekday_and_month_names() -> None:
    assert [dates.weekday_name(tx, MOMENT, "Europe/Bucharest") for tx in (EN, RO, UR)] == [
        "Thursday",
        "joi",
        "جمعرات",
    ]
    assert [dates.month_name(tx, MOMENT, "Europe/Bucharest") for tx in (EN, RO, UR)] == [
        "November",
        "noiembrie",
        "نومبر",
    ]
    assert dates.weekday_name(EN, MOMENT, "Europe/Bucharest", width="abbreviated") == "Thu"


@pytest.mark.parametrize(
    ("delta", "english", "romanian", "urdu"),
    [
        (timedelta(seconds=20), "less than a minute", "mai puțin de un minut", "ایک منٹ سے کم"),
        (timedelta(minutes=1), "1 minute", "1 minut", "1 منٹ"),
        (timedelta(minutes=15), "15 minutes", "15 minute", "15 منٹ"),
        (timedelta(minutes=20), "20 minutes", "20 de minute", "20 منٹ"),
        (timedelta(minutes=65), "1 hour, 5 minutes", "1 oră și 5 minute", "1 گھنٹہ، 5 منٹ"),
        (timedelta(days=2, minutes=7), "2 days", "2 zile", "2 دن"),
        (timedelta(days=1, hours=3), "1 day, 3 hours", "1 zi și 3 ore", "1 دن، 3 گھنٹے"),
        (timedelta(days=45), "45 days", "45 de zile", "45 دن"),
    ],
)
def test_durations_in_each_language(
    delta: timedelta, english: str, romanian: str, urdu: str
) -> None:
    assert [dates.duration(tx, delta) for tx in (EN, RO, UR)] == [english, romanian, urdu]


@pytest.mark.parametrize(
    ("ahead", "english", "romanian", "urdu"),
    [
        (timedelta(minutes=15), "in 15 minutes", "peste 15 minute", "15 منٹ میں"),
        (timedelta(hours=1), "in 1 hour", "peste 1 oră", "1 گھنٹے میں"),
        (timedelta(days=1), "in 1 day", "peste 1 zi", "1 دن میں"),
        # Babel's relative phrase only where it is exact; otherwise every part is said.
        (
            timedelta(minutes=95),
            "in 1 hour, 35 minutes",
            "peste 1 oră și 35 de minute",
            "1 گھنٹہ، 35 منٹ میں",
        ),
        (timedelta(days=14), "in 14 days", "peste 14 zile", "14 دن میں"),
        (timedelta(seconds=10), "starting now", "începe acum", "ابھی شروع ہو رہا ہے"),
        (
            -timedelta(minutes=5),
            "started 5 minutes ago",
            "a început acum 5 minute",
            "5 منٹ پہلے شروع ہوا",
        ),
    ],
)
def test_how_far_a_start_is(ahead: timedelta, english: str, romanian: str, urdu: str) -> None:
    now = MOMENT - ahead
    assert [dates.until(tx, MOMENT, now) for tx in (EN, RO, UR)] == [english, romanian, urdu]


def test_reminder_lead_times() -> None:
    assert [dates.lead_label(tx, 0) for tx in (EN, RO, UR)] == ["at start", "la început", "آغاز پر"]
    assert [dates.lead_label(tx, 60) for tx in (EN, RO, UR)] == [
        "1 hour before",
        "cu 1 oră înainte",
        "1 گھنٹہ پہلے",
    ]
    assert (
        dates.leads_text(RO, [0, 60, 15]) == "cu 1 oră înainte, cu 15 minute înainte și la început"
    )


def test_numbers_follow_the_readers_locale() -> None:
    assert [tx.number(1200) for tx in (EN, RO, UR)] == ["1,200", "1.200", "1,200"]


# -- English, exactly ---------------------------------------------------------------


def test_dates_follow_the_zone() -> None:
    late = datetime(2025, 11, 20, 21, 30, tzinfo=UTC)
    assert dates.date(EN, late, "Europe/Bucharest") == "Thu, 20 Nov 2025"
    assert dates.date(EN, late, "Asia/Karachi") == "Fri, 21 Nov 2025"
    assert dates.day(EN, late, "Asia/Karachi") == "Fri 21 Nov"


def test_local_time_spells_out_the_offset_across_summer_time() -> None:
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert dates.local_time(EN, before, "Europe/Bucharest") == "Sun, 29 Mar 2026, 02:30 (GMT+02:00)"
    assert dates.local_time(EN, after, "Europe/Bucharest") == "Sun, 29 Mar 2026, 04:30 (GMT+03:00)"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=15), "in 15 minutes"),
        (timedelta(minutes=15, seconds=2), "in 15 minutes"),
        (timedelta(minutes=1), "in 1 minute"),
        (timedelta(hours=1), "in 1 hour"),
        (timedelta(hours=2, minutes=5), "in 2 hours, 5 minutes"),
        (timedelta(days=1), "in 1 day"),
        (timedelta(days=2, hours=3, minutes=4), "in 2 days, 3 hours"),
        (timedelta(seconds=10), "starting now"),
        (timedelta(minutes=-5), "started 5 minutes ago"),
    ],
)
def test_until(delta: timedelta, text: str) -> None:
    now = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    assert dates.until(EN, now + delta, now) == text


def test_lead_labels() -> None:
    assert [dates.lead_label(EN, m) for m in (1440, 60, 15, 0)] == [
        "1 day before",
        "1 hour before",
        "15 minutes before",
        "at start",
    ]
    assert dates.leads_text(EN, [15]) == "15 minutes before"
    assert dates.leads_text(EN, [0, 60]) == "1 hour before and at start"
    assert dates.leads_text(EN, [0, 15, 1440]) == "1 day before, 15 minutes before and at start"
