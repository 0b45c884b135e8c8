"""Settings from the environment (and `.env`), validated once at start-up.

A missing or malformed setting raises :class:`ConfigError` whose message is one line naming
the setting and what to do; the CLI turns it into exit code 2 without a traceback.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.meeting_slots import DEFAULT_LINK_TEMPLATE, check_link_template
from bot.forum import Forum, ForumError, forum_path, load_forum

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_FILE_URL = "https://api.telegram.org/file/bot"
DEFAULT_DATABASE_PATH = "data/forumbridge.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# How the bot talks HTTP to the Bot API (bot/transport.py); the first is the default.
TRANSPORTS = ("aiohttp", "httpx")
LOG_FORMATS = ("text", "json")
DEFAULT_PORT = 8443
# Telegram's rule for setWebhook's secret_token: 1-256 of these characters.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(Exception):
    """A setting is missing or malformed; the message is meant for the operator."""


@lru_cache(maxsize=1)
def default_forum() -> Forum:
    """The forum of ``data/forum.toml`` (the one that ships), for settings built in code."""
    return load_forum(forum_path())


@dataclass(frozen=True)
class Settings:
    bot_token: str
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = DEFAULT_FILE_URL
    database_path: Path = Path(DEFAULT_DATABASE_PATH)
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    # The forum file (FORUM_CONFIG): its countries, zones, sectors and intents.
    forum: Forum = field(default_factory=default_forum)
    # EVENT_TIMEZONE; None means the forum's own zone (see ``event_timezone``).
    event_zone: str | None = None
    log_level: str = "INFO"
    max_concurrent_updates: int = 64
    send_rate: float = 25.0
    intro_daily_limit: int = 10
    intro_expiry_days: int = 7
    followup_days: int = 60
    smtp: SmtpSettings | None = None  # claim invitations by e-mail; None: not set up
    http_transport: str = TRANSPORTS[0]
    proxy_url: str | None = None
    # Webhook mode when set (the public https:// address Telegram posts to); long polling if not.
    webhook_url: str = ""
    # Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; random per start if not set.
    webhook_secret: str = field(default="", repr=False)
    # Where the webhook server (and its GET /healthz) listens, behind the reverse proxy.
    port: int = DEFAULT_PORT
    webhook_listen: str = "0.0.0.0"
    log_format: str = "text"
    sentry_dsn: str = field(default="", repr=False)

    @property
    def event_timezone(self) -> str:
        """The event's IANA zone: EVENT_TIMEZONE if set, else the forum file's."""
        return self.event_zone or self.forum.timezone

    # Each online meeting's video room; "none" for an on-site forum (table numbers instead).
    meeting_link_template: str = DEFAULT_LINK_TEMPLATE
    max_meetings_per_company: int = 8

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.event_timezone)

    @property
    def webhook_path(self) -> str:
        """The path the webhook server answers on: the one of ``webhook_url``."""
        return urlsplit(self.webhook_url).path.rstrip("/") or "/"


SMTP_SETTINGS = (
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_FROM",
    "SMTP_STARTTLS",
)


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server that claim invitations go through (``SMTP_*``)."""

    host: str
    sender: str  # SMTP_FROM, e.g. "Example IT Forum <forum@example.org>"
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    rate_per_minute: int = 60  # SMTP_RATE: providers cap how fast one account may send


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
            "use an IANA name such as Europe/London or America/New_York"
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


def _transport(raw: str) -> str:
    if raw not in TRANSPORTS:
        raise ConfigError(f"HTTP_TRANSPORT: {raw!r} is not one of {', '.join(TRANSPORTS)}")
    return raw


def _proxy(raw: str) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"BOT_API_PROXY: {raw!r} must be an http:// or https:// proxy URL, "
            "e.g. BOT_API_PROXY=http://127.0.0.1:3128"
        )
    return raw


def _link_template(raw: str) -> str:
    problem = check_link_template(raw)
    if problem:
        raise ConfigError(
            f"MEETING_LINK_TEMPLATE: {raw[:80]!r} {problem}, e.g. "
            f"MEETING_LINK_TEMPLATE={DEFAULT_LINK_TEMPLATE}"
        )
    return raw


def _forum(raw: str) -> Forum:
    try:
        return load_forum(forum_path(raw))
    except ForumError as exc:
        raise ConfigError(str(exc)) from None


def _url(name: str, raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(f"{name}: {raw!r} must start with http:// or https://")
    return raw


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().casefold()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: {raw!r} is not true or false, e.g. {name}=true")


def _smtp(env: Mapping[str, str]) -> SmtpSettings | None:
    """The SMTP settings, or None when SMTP_HOST is not set (invitations then offer a
    mail-merge file instead)."""
    host = env.get("SMTP_HOST", "").strip()
    if not host:
        return None
    sender = env.get("SMTP_FROM", "").strip()
    if not sender:
        raise ConfigError(
            "SMTP_FROM is not set: invitations need a sender address, "
            "e.g. SMTP_FROM=forum@example.org (SMTP_HOST is set)"
        )
    port = env.get("SMTP_PORT", "").strip() or "587"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"SMTP_PORT: {port!r} is not a port number, e.g. SMTP_PORT=587")
    return SmtpSettings(
        host=host,
        sender=sender,
        port=int(port),
        user=env.get("SMTP_USER", "").strip(),
        password=env.get("SMTP_PASSWORD", ""),
        starttls=_flag("SMTP_STARTTLS", env.get("SMTP_STARTTLS", "").strip() or "true"),
        rate_per_minute=_positive_int("SMTP_RATE", env.get("SMTP_RATE", "").strip() or "60"),
    )


def _webhook_url(raw: str) -> str:
    if not raw:
        return ""
    parts = urlsplit(raw)
    # http:// is for a self-hosted Bot API server (and the sandbox); Telegram itself posts to
    # https:// only and says so at setWebhook.
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"WEBHOOK_URL: {raw!r} must be the public address Telegram posts updates to, "
            "e.g. WEBHOOK_URL=https://bot.example.org/telegram"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"WEBHOOK_URL: {raw!r} must not have a ?query or #fragment")
    return raw


def _webhook_secret(raw: str) -> str:
    if not raw:
        return secrets.token_urlsafe(32)
    if not SECRET_PATTERN.fullmatch(raw):
        raise ConfigError(
            "WEBHOOK_SECRET: use 1-256 letters, digits, _ or - (Telegram's rule), "
            "or leave it unset for a random one per start"
        )
    return raw


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"PORT: {raw!r} is not a TCP port number (1-65535), e.g. PORT=8443")
    return int(raw)


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
    zone = env.get("EVENT_TIMEZONE", "").strip()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL: {level!r} is not one of {', '.join(LOG_LEVELS)}")
    log_format = env.get("LOG_FORMAT", "").strip().lower() or "text"
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT: {log_format!r} is not one of {', '.join(LOG_FORMATS)}")
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
        forum=_forum(env.get("FORUM_CONFIG", "")),
        event_zone=_timezone(zone) if zone else None,
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
        followup_days=_positive_int("FOLLOWUP_DAYS", env.get("FOLLOWUP_DAYS", "").strip() or "60"),
        smtp=_smtp(env),
        http_transport=_transport(env.get("HTTP_TRANSPORT", "").strip().lower() or TRANSPORTS[0]),
        proxy_url=_proxy(env.get("BOT_API_PROXY", "").strip()),
        webhook_url=_webhook_url(env.get("WEBHOOK_URL", "").strip()),
        webhook_secret=_webhook_secret(env.get("WEBHOOK_SECRET", "").strip()),
        port=_port(env.get("PORT", "").strip() or str(DEFAULT_PORT)),
        log_format=log_format,
        sentry_dsn=env.get("SENTRY_DSN", "").strip(),
        meeting_link_template=_link_template(
            env.get("MEETING_LINK_TEMPLATE", "").strip() or DEFAULT_LINK_TEMPLATE
        ),
        max_meetings_per_company=_positive_int(
            "MAX_MEETINGS_PER_COMPANY", env.get("MAX_MEETINGS_PER_COMPANY", "").strip() or "8"
        ),
    )
