"""The meeting settings: MEETING_LINK_TEMPLATE and MAX_MEETINGS_PER_COMPANY. (The intro
card's "📅 Book a meeting" button is the codec's MeetingBook: tests/handlers/test_intros.py.)"""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_defaults_and_values() -> None:
    default = load_settings({"BOT_TOKEN": TOKEN})
    assert default.meeting_link_template == "https://meet.jit.si/ForumBridge-{token}"
    assert default.max_meetings_per_company == 8
    chosen = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "MEETING_LINK_TEMPLATE": "https://video.example.org/rooms/{token}?lang=ro",
            "MAX_MEETINGS_PER_COMPANY": "5",
        }
    )
    assert chosen.meeting_link_template == "https://video.example.org/rooms/{token}?lang=ro"
    assert chosen.max_meetings_per_company == 5
    on_site = load_settings({"BOT_TOKEN": TOKEN, "MEETING_LINK_TEMPLATE": "none"})
    assert on_site.meeting_link_template == "none"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MEETING_LINK_TEMPLATE", "https://meet.jit.si/ForumBridge"),
        ("MEETING_LINK_TEMPLATE", "meet.jit.si/{token}"),
        ("MEETING_LINK_TEMPLATE", "https://meet.jit.si/{room}-{token}"),
        ("MAX_MEETINGS_PER_COMPANY", "0"),
        ("MAX_MEETINGS_PER_COMPANY", "eight"),
    ],
)
def test_malformed_values_name_their_setting(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name}:"):
        load_settings({"BOT_TOKEN": TOKEN, name: value})
