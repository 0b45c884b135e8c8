"""``python -m bot`` as an operator meets it: start-up errors, migrate, logs without tokens.

Each test runs the real CLI in a subprocess (in an empty folder, so no .env is read).
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from sandbox import Sandbox
from tests.support.harness import BotProcess, bot_env, run_cli, stderr_of_one_start


def _no_bot_env() -> dict[str, str]:
    import os

    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "ADMIN_", "EVENT_", "DATABASE_", "LOG_", "FORUM_"))
    }


async def test_help(tmp_path: Path) -> None:
    code, out, _ = await run_cli("--help", env=_no_bot_env(), cwd=tmp_path)
    assert code == 0
    for sub in ("run", "demo", "migrate"):
        assert sub in out


async def test_missing_token_exits_2_with_one_line(tmp_path: Path) -> None:
    code, _, err = await run_cli("run", env=_no_bot_env(), cwd=tmp_path)
    assert code == 2
    assert "BOT_TOKEN" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


async def test_malformed_settings_exit_2(tmp_path: Path) -> None:
    env = {**_no_bot_env(), "BOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for name, value in (("ADMIN_IDS", "abc"), ("EVENT_TIMEZONE", "Mars/Olympus")):
        code, _, err = await run_cli("run", env={**env, name: value}, cwd=tmp_path)
        assert code == 2, err
        assert err.strip().startswith(f"error: {name}") and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


async def test_a_broken_forum_file_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {**_no_bot_env(), "BOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    broken = tmp_path / "forum.toml"
    broken.write_text("[forum\n", encoding="utf-8")
    for value, words in ((str(broken), "not valid TOML"), ("missing.toml", "does not exist")):
        for command in ("run", "migrate"):
            code, _, err = await run_cli(command, env={**env, "FORUM_CONFIG": value}, cwd=tmp_path)
            assert code == 2, err
            assert err.strip().startswith("error: FORUM_CONFIG") and words in err
            assert "Traceback" not in err and len(err.strip().splitlines()) == 1


async def test_rejected_token_exits_2(sandbox: Sandbox, tmp_path: Path) -> None:
    env = bot_env(sandbox, tmp_path / "x.db", BOT_TOKEN="999999:WRONGWRONGWRONGWRONGWRONG")
    code, _, err = await run_cli("run", env=env, cwd=tmp_path)
    assert code == 2
    assert "BOT_TOKEN was rejected" in err and "Traceback" not in err
    assert "WRONGWRONG" not in err


async def test_unreachable_api_is_retried_not_fatal(sandbox: Sandbox, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    env = bot_env(sandbox, tmp_path / "x.db", BOT_API_BASE_URL=f"http://127.0.0.1:{port}/bot")
    proc = BotProcess(env, tmp_path)
    await proc.start()
    assert proc.proc is not None and proc.proc.stderr is not None
    seen: list[str] = []
    async with asyncio.timeout(20):  # two retries: about 1 s apart once Python has started
        while sum("unreachable" in line for line in seen) < 2:
            seen.append((await proc.proc.stderr.readline()).decode())
    assert proc.proc.returncode is None, "it must not exit"
    err = "".join(seen) + await proc.terminate()
    assert "retrying" in err and "Traceback" not in err
    assert proc.proc.returncode == 0


async def test_migrate_command(tmp_path: Path) -> None:
    env = {**_no_bot_env(), "DATABASE_PATH": str(tmp_path / "m" / "f.db")}
    code, out, _ = await run_cli("migrate", env=env, cwd=tmp_path)
    assert code == 0 and "Applied" in out
    code, out, _ = await run_cli("migrate", env=env, cwd=tmp_path)
    assert code == 0 and "Applied" not in out and "schema version" in out


async def test_run_logs_updates_without_token(sandbox: Sandbox, tmp_path: Path) -> None:
    err = await stderr_of_one_start(sandbox, bot_env(sandbox, tmp_path / "run.db"), tmp_path)
    assert "update=" in err and "user=4242" in err and "handler=handlers.start.start" in err
    assert sandbox.token not in err
    assert sandbox.token.split(":")[1] not in err
