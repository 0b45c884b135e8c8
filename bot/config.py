"""Settings from the environment (and `.env`), validated once at start-up.

A missing or malformed setting raises :class:`ConfigError` whose message is one line naming
the setting and what to do; the CLI turns it into exit code 2 without a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.meeting_slots import DEFAULT_LINK_TEMPLATE, check_link_template

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_FILE_URL = "https://api.telegram.org/file/bot"
DEFAULT_DATABASE_PATH = "data/forumbridge.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A setting is missing or malformed; the message is meant for the operator."""


@dataclass(frozen=True)
class Settings:
    bot_token: str
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = DEFAULT_FILE_URL
    database_path: Path = Path(DEFAULT_DATABASE_PATH)
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    event_timezone: str = "Europe/Bucharest"
    log_level: str = "INFO"
    max_concurrent_updates: int = 64
    send_rate: float = 25.0
    intro_daily_limit: int = 10
    intro_expiry_days: int = 7
    # Each online meeting's video room; "none" for an on-site forum (table numbers instead).
    meeting_link_template: str = DEFAULT_LINK_TEMPLATE
    max_meetings_per_company: int = 8

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.event_timezone)


def _admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise ConfigError(
                f"ADMIN_IDS: {part!r} is not a Telegram user id; "
                "set a comma-separated list of numbers, e.g. ADMIN_IDS=123456789,987654321"
            )
        ids.add(int(part))
    return frozenset(ids)


def _timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"EVENT_TIMEZONE: {raw!r} is not a known time zone; "
            "use an IANA name such as Europe/Bucharest or Asia/Karachi"
        ) from None
    return raw


def _positive_int(name: str, raw: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name}: {raw!r} is not a positive whole number, e.g. {name}=64")
    return int(raw)


def _send_rate(raw: str) -> float:
    try:
        rate = float(raw)
    except ValueError:
        rate = 0.0
    if not 0 < rate <= 30:
        raise ConfigError(
            f"SEND_RATE: {raw!r} must be a number of messages per second above 0 and at most "
            "30 (Telegram's limit), e.g. SEND_RATE=25"
        )
    return rate


def _link_template(raw: str) -> str:
    problem = check_link_template(raw)
    if problem:
        raise ConfigError(
            f"MEETING_LINK_TEMPLATE: {raw[:80]!r} {problem}, e.g. "
            f"MEETING_LINK_TEMPLATE={DEFAULT_LINK_TEMPLATE}"
        )
    return raw


def _url(name: str, raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(f"{name}: {raw!r} must start with http:// or https://")
    return raw


def load_settings(
    env: Mapping[str, str] | None = None, *, require_token: bool = True, dotenv: bool = True
) -> Settings:
    """Build :class:`Settings` from ``env`` (default: the process environment plus `.env`)."""
    if env is None:
        if dotenv:
            from dotenv import load_dotenv

            # Real environment variables win over .env, so CI and shells can override it.
            # The path is explicit: find_dotenv() would search from this file, not the cwd.
            load_dotenv(dotenv_path=Path.cwd() / ".env", override=False)
        env = os.environ
    token = env.get("BOT_TOKEN", "").strip()
    if require_token and not token:
        raise ConfigError(
            "BOT_TOKEN is not set: get a token from @BotFather and put BOT_TOKEN=... in .env "
            "(or try the bot without one: make demo)"
        )
    if token and (":" not in token or not token.split(":", 1)[0].isdigit()):
        raise ConfigError(
            "BOT_TOKEN is malformed: it looks like 123456789:AA... - copy it again from @BotFather"
        )
    level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL: {level!r} is not one of {', '.join(LOG_LEVELS)}")
    return Settings(
        bot_token=token,
        base_url=_url(
            "BOT_API_BASE_URL", env.get("BOT_API_BASE_URL", "").strip() or DEFAULT_BASE_URL
        ),
        base_file_url=_url(
            "BOT_API_FILE_URL", env.get("BOT_API_FILE_URL", "").strip() or DEFAULT_FILE_URL
        ),
        database_path=Path(env.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE_PATH),
        admin_ids=_admin_ids(env.get("ADMIN_IDS", "")),
        event_timezone=_timezone(env.get("EVENT_TIMEZONE", "").strip() or "Europe/Bucharest"),
        log_level=level,
        max_concurrent_updates=_positive_int(
            "MAX_CONCURRENT_UPDATES", env.get("MAX_CONCURRENT_UPDATES", "").strip() or "64"
        ),
        send_rate=_send_rate(env.get("SEND_RATE", "").strip() or "25"),
        intro_daily_limit=_positive_int(
            "INTRO_DAILY_LIMIT", env.get("INTRO_DAILY_LIMIT", "").strip() or "10"
        ),
        intro_expiry_days=_positive_int(
            "INTRO_EXPIRY_DAYS", env.get("INTRO_EXPIRY_DAYS", "").strip() or "7"
        ),
        meeting_link_template=_link_template(
            env.get("MEETING_LINK_TEMPLATE", "").strip() or DEFAULT_LINK_TEMPLATE
        ),
        max_meetings_per_company=_positive_int(
            "MAX_MEETINGS_PER_COMPANY", env.get("MAX_MEETINGS_PER_COMPANY", "").strip() or "8"
        ),
    )
