"""The settings for running in production: webhook, port, log format, Sentry; each malformed
value names its setting."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_defaults_mean_long_polling_and_text_logs() -> None:
    s = load_settings({"BOT_TOKEN": TOKEN})
    assert s.webhook_url == "" and s.port == 8443 and s.webhook_listen == "0.0.0.0"
    assert s.log_format == "text" and s.sentry_dsn == ""
    # A random secret per start, in Telegram's alphabet, different every time.
    other = load_settings({"BOT_TOKEN": TOKEN})
    assert len(s.webhook_secret) >= 32 and s.webhook_secret != other.webhook_secret
    assert s.webhook_secret.replace("-", "").replace("_", "").isalnum()


def test_webhook_values() -> None:
    s = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "WEBHOOK_URL": "https://bot.example.org/telegram/",
            "WEBHOOK_SECRET": "s3cret_-Value",
            "PORT": "9000",
            "LOG_FORMAT": "JSON",
            "SENTRY_DSN": "https://k@sentry.example/1",
        }
    )
    assert s.webhook_url == "https://bot.example.org/telegram/"
    assert s.webhook_path == "/telegram" and s.webhook_secret == "s3cret_-Value"
    assert s.port == 9000 and s.log_format == "json"
    assert s.sentry_dsn == "https://k@sentry.example/1"
    assert (
        load_settings({"BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://b.example"}).webhook_path == "/"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEBHOOK_URL", "bot.example.org/telegram"),
        ("WEBHOOK_URL", "ftp://bot.example.org/"),
        ("WEBHOOK_URL", "https://bot.example.org/t?x=1"),
        ("WEBHOOK_SECRET", "has space"),
        ("WEBHOOK_SECRET", "x" * 257),
        ("PORT", "0"),
        ("PORT", "70000"),
        ("PORT", "http"),
        ("LOG_FORMAT", "xml"),
    ],
)
def test_malformed_values_name_their_setting(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"BOT_TOKEN": TOKEN, name: value})
    assert str(raised.value).startswith(name)
