"""Builds the bot the tests drive: the real Application against the sandbox over HTTP,
with a real SQLite file, and a subprocess runner for tests that kill the bot for real."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from bot.clock import FakeClock
from bot.config import Settings
from bot.runtime.local import LocalBot, local_settings
from sandbox import Sandbox

ADMIN_ID = 900001
REPO_ROOT = Path(__file__).resolve().parents[2]


def bot_settings(sandbox: Sandbox, db_path: Path, **overrides: Any) -> Settings:
    """The bot's settings against ``sandbox``, with its database at ``db_path``."""
    return local_settings(
        sandbox.token, sandbox.base_url, sandbox.base_file_url, db_path, **overrides
    )


def sandbox_settings(sandbox: Sandbox, db_path: Path, **overrides: Any) -> Settings:
    """``bot_settings`` with the tests' organiser (``ADMIN_ID``) unless told otherwise."""
    overrides.setdefault("admin_ids", frozenset({ADMIN_ID}))
    return bot_settings(sandbox, db_path, **overrides)


WEBHOOK_SECRET = "test-secret_0123456789"


def webhook_settings(settings: Settings) -> Settings:
    """The same bot in webhook mode: it serves on a free port of 127.0.0.1 and has the
    sandbox post updates there with the secret (bot.runtime.local)."""
    return replace(
        settings,
        webhook_url="http://127.0.0.1/telegram",
        webhook_secret=WEBHOOK_SECRET,
        port=0,
        webhook_listen="127.0.0.1",
    )


def free_port() -> int:
    """A port nothing listens on now (for a ``python -m bot run`` child in webhook mode)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BotHarness(LocalBot):
    def __init__(self, sandbox: Sandbox, settings: Settings, **options: Any) -> None:
        super().__init__(settings, **options)
        self.sandbox = sandbox


@asynccontextmanager
async def bot_running(
    sandbox: Sandbox, settings: Settings, **options: Any
) -> AsyncIterator[BotHarness]:
    """The bot, started; stopped when the block ends, even when it failed."""
    bot = BotHarness(sandbox, settings, **options)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def down_while(bot: BotHarness, clock: FakeClock, **elapsed: float) -> None:
    """The bot stops, ``elapsed`` (``clock.advance``'s arguments) passes on its FakeClock
    meanwhile, and it starts again: what a restart after an outage sees."""
    await bot.stop()
    clock.advance(**elapsed)
    await bot.start()


def bot_env(sandbox: Sandbox, db_path: Path, **extra: str) -> dict[str, str]:
    """The environment for ``python -m bot`` pointed at the sandbox (and no .env file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "ADMIN_", "FORUM_"))}
    env.update(
        BOT_TOKEN=sandbox.token,
        BOT_API_BASE_URL=sandbox.base_url,
        BOT_API_FILE_URL=sandbox.base_file_url,
        DATABASE_PATH=str(db_path),
        ADMIN_IDS=str(ADMIN_ID),
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


async def run_cli(
    *args: str, env: dict[str, str], cwd: Path, wait: float = 20
) -> tuple[int, str, str]:
    """Run ``python -m bot ARGS`` to completion; returns (exit code, stdout, stderr)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env={**env, "PYTHONPATH": str(REPO_ROOT)},
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), wait)
    return proc.returncode or 0, out.decode(), err.decode()


class BotProcess:
    """``python -m bot run`` in a child process, for tests that SIGKILL it.

    Every process started is remembered, and the ``bot_processes`` fixture (conftest) kills
    any still alive when its test ends, so no bot outlives the test that started it.
    """

    alive: ClassVar[set[asyncio.subprocess.Process]] = set()

    def __init__(self, env: dict[str, str], cwd: Path, argv: list[str] | None = None) -> None:
        """``argv``: another command line than ``python -m bot run`` from this checkout
        (e.g. an installed copy's); it then runs with ``env`` as given."""
        self.env = env if argv else {**env, "PYTHONPATH": str(REPO_ROOT)}
        self.cwd = cwd
        self.argv = argv or [sys.executable, "-m", "bot", "run"]
        self.proc: asyncio.subprocess.Process | None = None
        self.stderr = ""  # what it wrote there, once terminated

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            env=self.env,
            cwd=self.cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        BotProcess.alive.add(self.proc)

    async def kill(self) -> None:
        if self.proc and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def terminate(self) -> str:
        """SIGTERM, wait, and return what the process wrote to stderr."""
        if self.proc is None:
            return ""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = await asyncio.wait_for(self.proc.communicate(), 20)
        finally:
            if self.proc.returncode is None:
                self.proc.kill()
        self.stderr = err.decode()
        return self.stderr

    @classmethod
    async def kill_all(cls) -> None:
        for proc in list(cls.alive):
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        cls.alive.clear()


@asynccontextmanager
async def welcoming_process(
    sandbox: Sandbox,
    env: dict[str, str],
    cwd: Path,
    *,
    user_id: int = 4242,
    timeout: float = 15,  # noqa: ASYNC109
) -> AsyncIterator[BotProcess]:
    """``python -m bot run`` with ``env``, once it has welcomed ``user_id`` after /start;
    terminated when the block ends (its stderr is then in ``stderr``)."""
    proc = BotProcess(env, cwd)
    await proc.start()
    user = sandbox.user(user_id, "Ion")
    try:
        await user.send("/start")
        await user.expect("Welcome", timeout=timeout)
        yield proc
    finally:
        await proc.terminate()


async def stderr_of_one_start(sandbox: Sandbox, env: dict[str, str], cwd: Path) -> str:
    """What ``python -m bot run`` with ``env`` wrote to stderr (its logs) when it welcomed
    one user and was stopped."""
    async with welcoming_process(sandbox, env, cwd) as proc:
        pass
    return proc.stderr
