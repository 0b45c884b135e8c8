"""Settings validation: every malformed value names its setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
REPO = Path(__file__).resolve().parents[2]
SECOND_FORUM = REPO / "tests" / "data" / "forum_de_vn.toml"


def test_defaults() -> None:
    s = load_settings({"BOT_TOKEN": TOKEN})
    assert s.base_url == "https://api.telegram.org/bot"
    assert s.database_path == Path("data/forumbridge.db")
    assert s.admin_ids == frozenset() and s.event_timezone == "Europe/Bucharest"
    assert str(s.tz) == "Europe/Bucharest"
    assert s.forum.codes == ("RO", "PK")


def test_the_forum_file_is_found_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unset, FORUM_CONFIG is data/forum.toml of the working directory, or the repository's
    when the working directory has none."""
    monkeypatch.chdir(tmp_path)
    assert load_settings({"BOT_TOKEN": TOKEN}).forum.codes == ("RO", "PK")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "forum.toml").write_bytes(SECOND_FORUM.read_bytes())
    assert load_settings({"BOT_TOKEN": TOKEN}).forum.codes == ("DE", "VN")


def test_another_forum_brings_its_own_event_zone() -> None:
    s = load_settings({"BOT_TOKEN": TOKEN, "FORUM_CONFIG": str(SECOND_FORUM)})
    assert s.forum.name == "Germany–Vietnam Digital Forum 2026"
    assert s.event_timezone == "Europe/Berlin"
    # EVENT_TIMEZONE still wins when it is set.
    s = load_settings(
        {"BOT_TOKEN": TOKEN, "FORUM_CONFIG": str(SECOND_FORUM), "EVENT_TIMEZONE": "Asia/Tokyo"}
    )
    assert s.event_timezone == "Asia/Tokyo"


def test_a_missing_or_broken_forum_file_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "forum.toml"
    broken.write_text('[forum]\nname = "X"\n', encoding="utf-8")
    for path, words in (
        (tmp_path / "nope.toml", "does not exist"),
        (broken, "exactly two countries"),
    ):
        with pytest.raises(ConfigError) as info:
            load_settings({"BOT_TOKEN": TOKEN, "FORUM_CONFIG": str(path)})
        message = str(info.value)
        assert message.startswith("FORUM_CONFIG") and words in message and "\n" not in message


def test_values() -> None:
    s = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "ADMIN_IDS": "1, 2,3",
            "EVENT_TIMEZONE": "Asia/Karachi",
            "BOT_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "LOG_LEVEL": "debug",
        }
    )
    assert s.admin_ids == {1, 2, 3} and s.event_timezone == "Asia/Karachi"
    assert s.base_url == "http://127.0.0.1:8081/bot" and s.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "nonsense"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "abc"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "EVENT_TIMEZONE": "Mars/Olympus"}, "EVENT_TIMEZONE"),
        ({"BOT_TOKEN": TOKEN, "LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": "ftp://x"}, "BOT_API_BASE_URL"),
        ({"BOT_TOKEN": TOKEN, "MAX_CONCURRENT_UPDATES": "0"}, "MAX_CONCURRENT_UPDATES"),
        ({"BOT_TOKEN": TOKEN, "HTTP_TRANSPORT": "requests"}, "HTTP_TRANSPORT"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_PROXY": "socks5://127.0.0.1:1080"}, "BOT_API_PROXY"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_PROXY": "http://"}, "BOT_API_PROXY"),
        ({"BOT_TOKEN": TOKEN, "FORUM_CONFIG": "no/such/forum.toml"}, "FORUM_CONFIG"),
    ],
)
def test_errors_name_the_setting(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env)
    message = str(info.value)
    assert message.startswith(names) and "\n" not in message


def test_smtp_settings() -> None:
    assert load_settings({"BOT_TOKEN": TOKEN}).smtp is None
    assert load_settings({"BOT_TOKEN": TOKEN}).followup_days == 60
    s = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "SMTP_HOST": "mail.example.org",
            "SMTP_FROM": "forum@example.org",
            "SMTP_USER": "forum",
            "SMTP_PASSWORD": " secret ",
            "SMTP_STARTTLS": "no",
            "SMTP_RATE": "20",
            "FOLLOWUP_DAYS": "30",
        }
    )
    assert s.smtp is not None
    assert (s.smtp.host, s.smtp.port, s.smtp.sender) == (
        "mail.example.org",
        587,
        "forum@example.org",
    )
    assert (s.smtp.user, s.smtp.password, s.smtp.starttls) == ("forum", " secret ", False)
    assert s.smtp.rate_per_minute == 20 and s.followup_days == 30
    assert "secret" not in repr(s)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SMTP_HOST": "mail.example.org"}, "SMTP_FROM"),
        ({"SMTP_HOST": "m", "SMTP_FROM": "f@x.org", "SMTP_PORT": "99999"}, "SMTP_PORT"),
        ({"SMTP_HOST": "m", "SMTP_FROM": "f@x.org", "SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS"),
        ({"FOLLOWUP_DAYS": "0"}, "FOLLOWUP_DAYS"),
    ],
)
def test_bad_smtp_settings_are_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings({"BOT_TOKEN": TOKEN, **env})


def test_transport_and_proxy() -> None:
    s = load_settings({"BOT_TOKEN": TOKEN})
    assert s.http_transport == "aiohttp" and s.proxy_url is None
    s = load_settings(
        {"BOT_TOKEN": TOKEN, "HTTP_TRANSPORT": "HTTPX", "BOT_API_PROXY": "http://10.0.0.1:3128"}
    )
    assert s.http_transport == "httpx" and s.proxy_url == "http://10.0.0.1:3128"
