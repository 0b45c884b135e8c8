"""Start-up conflicts the operator must settle end with one line and exit code 2: a webhook
set while the bot would poll (Telegram answers getUpdates with 409 then), another process
already polling with the token, another bot on the same database. (A rejected token, 401,
is in test_cli.py.)"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sandbox import Sandbox
from tests.support.harness import BotHarness, BotProcess, bot_env, run_cli


def _last_line(err: str) -> str:
    return err.strip().splitlines()[-1]


async def test_a_webhook_set_elsewhere_stops_polling_with_one_line(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # Another deployment set a webhook (the sandbox never posts to a host off this machine).
    await sandbox.api_setWebhook({"url": "https://bot.example.org/telegram"}, {})
    env = bot_env(sandbox, tmp_path / "x.db")
    code, _, err = await run_cli("run", env=env, cwd=tmp_path)
    assert code == 2, err
    line = _last_line(err)
    assert line.startswith("error: a webhook is set for this bot (to bot.example.org)")
    assert "409" in line and "delete-webhook" in line and "Traceback" not in err
    # Nothing was taken from the other deployment: its webhook is still set.
    assert sandbox.webhook_url == "https://bot.example.org/telegram"
    assert not sandbox.calls_of("deleteWebhook")

    code, out, _ = await run_cli("delete-webhook", env=env, cwd=tmp_path)
    assert code == 0 and "Deleted the webhook" in out
    assert sandbox.webhook_url == ""


async def test_a_second_poller_stops_at_start_the_first_keeps_running(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    first = BotProcess(bot_env(sandbox, tmp_path / "a.db"), tmp_path)
    await first.start()
    user = sandbox.user(4301, "Ion")
    await user.send("/start")
    await user.expect("Welcome", timeout=20)  # the first one is polling
    second = BotProcess(bot_env(sandbox, tmp_path / "b.db"), tmp_path)
    await second.start()
    assert second.proc is not None
    code = await asyncio.wait_for(second.proc.wait(), 30)
    err = await second.terminate()
    assert code == 2, err
    assert _last_line(err).startswith("error: another process is polling Telegram")
    # The first bot still answers.
    await user.send("/start")
    await user.expect("Welcome", timeout=20)
    err_first = await first.terminate()
    assert "only one bot may run per token (this one keeps running)" in err_first
    assert first.proc is not None and first.proc.returncode == 0


async def test_a_second_bot_on_the_same_database_refuses_to_start(
    sandbox: Sandbox, running: BotHarness, tmp_path: Path
) -> None:
    env = bot_env(sandbox, running.settings.database_path)
    code, _, err = await run_cli("run", env=env, cwd=tmp_path)
    assert code == 2, err
    line = _last_line(err)
    assert line.startswith("error: a ForumBridge bot is running on this database (pid ")
    assert "one bot per database" in line
