"""Logs for an operator's tools: ``LOG_FORMAT=json`` gives one JSON object a line with the
fields of the key=value line (update id, user, handler, duration); no bot token survives in
any line, in the message or in a traceback; Sentry stays off without ``SENTRY_DSN``."""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import sys
from pathlib import Path

import pytest

from bot.runtime.logs import formatter, setup_sentry
from sandbox import Sandbox
from tests.support.harness import bot_env, run_cli, stderr_of_one_start

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


async def test_json_lines_with_the_update_fields_and_no_token(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = bot_env(sandbox, tmp_path / "j.db", LOG_FORMAT="json")
    err = await stderr_of_one_start(sandbox, env, tmp_path)
    records = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    handled = [r for r in records if r.get("handler") == "handlers.start.start"]
    assert len(handled) == 1
    line = handled[0]
    assert line["logger"] == "bot.updates" and line["level"] == "INFO"
    assert line["user_id"] == 4242 and isinstance(line["update_id"], int)
    assert isinstance(line["duration_ms"], float)
    # The same facts as the text line, which stays in "message".
    assert line["message"].startswith(f"update={line['update_id']} user=4242 handler=")
    assert sandbox.token not in err and sandbox.token.split(":")[1] not in err


def _emit(log_format: str) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter(log_format, TOKEN))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ConnectionError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")
        except ConnectionError:
            logger.exception("calling the Bot API with %s", TOKEN, extra={"url": f"bot{TOKEN}"})
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_the_token_is_redacted_everywhere_in_a_line() -> None:
    secret = TOKEN.split(":")[1]
    for log_format in ("text", "json"):
        out = _emit(log_format)
        assert secret not in out and "<token>" in out, log_format
    record = json.loads(_emit("json"))
    assert record["message"] == "calling the Bot API with <token>"
    assert record["url"] == "bot<token>"
    assert "bot<token>/getMe" in record["exc_info"]


def test_sentry_is_off_without_a_dsn() -> None:
    assert setup_sentry("") is False
    assert "sentry_sdk" not in sys.modules


async def test_a_dsn_without_sentry_installed_is_one_line(tmp_path: Path) -> None:
    if importlib.util.find_spec("sentry_sdk") is not None:
        pytest.skip("sentry-sdk is installed here (the sentry extra)")
    env = {
        "PATH": "/usr/bin:/bin",
        "BOT_TOKEN": TOKEN,
        "DATABASE_PATH": str(tmp_path / "s.db"),
        "SENTRY_DSN": "https://key@sentry.example/1",
    }
    code, _, err = await run_cli("run", env=env, cwd=tmp_path)
    assert code == 2
    assert err.strip().splitlines() == [
        "error: SENTRY_DSN is set but sentry-sdk is not installed: "
        "pip install 'forumbridge[sentry]', or unset SENTRY_DSN"
    ]
