"""The container image, checked without Docker: the Dockerfile's shape (two slim stages,
runtime dependencies only, an unprivileged user, data/ as a volume, a HEALTHCHECK), and the
very commands it runs — the entry point against the sandbox and the health check on it —
first from this checkout, then (slow) from a fresh virtualenv built by its build stage's
own COPY and RUN lines."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sandbox import Sandbox
from tests.support.dockerfile import REPO_ROOT, Stage, parse, substitute
from tests.support.harness import ADMIN_ID, BotProcess

APP, VENV = "/app", "/opt/forumbridge"


def _stages() -> tuple[Stage, Stage]:
    stages = parse()
    assert len(stages) >= 2, "a multi-stage build"
    return stages[0], stages[-1]


def test_the_dockerfile_shape() -> None:
    build, final = _stages()
    assert build.base.endswith("-slim") and final.base.endswith("-slim")
    assert final.base.startswith("python:3.11")
    assert final.user not in ("root", "0") and final.user
    assert final.workdir == APP and f"{APP}/data" in final.volumes
    assert final.env["DATABASE_PATH"].startswith(f"{APP}/data/")
    # Runtime dependencies only: `pip install .` with no extras unless asked for.
    (run,) = build.runs
    assert build.args["EXTRAS"] == "" and 'pip install "."' in substitute(run, build.args)
    # The packages pyproject installs, less the sandbox (a test tool), are all copied.
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = {src for sources, _, _ in build.copies for src in sources}
    assert packages - {"sandbox"} <= copied and "sandbox" not in copied
    assert {"pyproject.toml", "README.md"} <= copied
    for sources, _, flags in build.copies + final.copies:
        if not any(flag.startswith("--from=") for flag in flags):
            assert all((REPO_ROOT / src).exists() for src in sources), sources
    assert any(flags == ["--from=build"] for _, _, flags in final.copies)
    flags, command = final.healthcheck or ({}, [])
    assert command == ["python", "-m", "bot", "status"] and "start-period" in flags
    assert final.entrypoint + final.cmd == ["python", "-m", "bot", "run"]
    ignored = (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", ".git", "tests", "data/*.db"} <= set(ignored)


def _app_dir(final: Stage, root: Path) -> Path:
    """The final stage's files, laid out under ``root`` as they are under /app."""
    app = root / "app"
    for sources, dest, flags in final.copies:
        if any(flag.startswith("--from=") for flag in flags):
            continue
        target = app / dest
        target.mkdir(parents=True, exist_ok=True)
        for src in sources:
            shutil.copy(REPO_ROOT / src, target)
    return app


def _container_env(final: Stage, sandbox: Sandbox, app: Path, venv: Path | None) -> dict[str, str]:
    """The image's ENV with its paths mapped here, plus what .env gives in production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "ADMIN_", "LOG_"))}
    for key, value in final.env.items():
        value = value.replace(APP, str(app))
        if venv is not None:
            value = value.replace(VENV, str(venv))
        env[key] = value.replace("$PATH", os.environ["PATH"])
    env.update(
        BOT_TOKEN=sandbox.token,
        BOT_API_BASE_URL=sandbox.base_url,
        BOT_API_FILE_URL=sandbox.base_file_url,
        ADMIN_IDS=str(ADMIN_ID),
    )
    return env


def _argv(command: list[str], python: str) -> list[str]:
    return [python if part == "python" else part for part in command]


async def _run_the_image_commands(
    final: Stage, sandbox: Sandbox, app: Path, env: dict[str, str], python: str
) -> None:
    """ENTRYPOINT + CMD answers a user; HEALTHCHECK passes while it runs and fails after."""
    assert final.healthcheck is not None
    health = _argv(final.healthcheck[1], python)
    bot = BotProcess(env, app, argv=_argv(final.entrypoint + final.cmd, python))
    await bot.start()
    user = sandbox.user(4401, "Ion")
    try:
        await user.send("/start")
        await user.expect("Welcome", timeout=30)
        checked = await asyncio.to_thread(
            subprocess.run, health, env=env, cwd=app, capture_output=True, text=True, timeout=60
        )
    finally:
        err = await bot.terminate()
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("ForumBridge: HEALTHY")
    assert bot.proc is not None and bot.proc.returncode == 0, err
    assert await asyncio.to_thread(os.path.isfile, env["DATABASE_PATH"])  # in the volume
    after = await asyncio.to_thread(
        subprocess.run, health, env=env, cwd=app, capture_output=True, text=True, timeout=60
    )
    assert after.returncode == 3 and after.stdout.startswith("ForumBridge: NOT RUNNING")


async def test_the_image_commands_run(sandbox: Sandbox, tmp_path: Path) -> None:
    _, final = _stages()
    app = _app_dir(final, tmp_path)
    env = _container_env(final, sandbox, app, None)
    env["PYTHONPATH"] = str(REPO_ROOT)
    await _run_the_image_commands(final, sandbox, app, env, sys.executable)


@pytest.mark.slow
async def test_the_build_stage_in_a_fresh_virtualenv(sandbox: Sandbox, tmp_path: Path) -> None:
    build, final = _stages()
    src, venv = tmp_path / "src", tmp_path / "venv"
    for sources, dest, _ in build.copies:
        target = src / dest
        for source in sources:
            origin = REPO_ROOT / source
            if origin.is_dir():
                shutil.copytree(
                    origin, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
                )
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy(origin, target)
    for run in build.runs:
        command = substitute(run, build.args).replace(VENV, str(venv))
        command = command.replace("python -m venv", f"{sys.executable} -m venv", 1)
        done = await asyncio.to_thread(
            subprocess.run,
            ["bash", "-c", command],
            cwd=src,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    python = str(venv / "bin" / "python")
    # Only runtime dependencies: no test tools, no sandbox.
    missing = await asyncio.to_thread(
        subprocess.run,
        [
            python,
            "-c",
            "import importlib.util as u; print([m for m in ('aiohttp', 'pytest', "
            "'sandbox', 'tornado', 'pythonjsonlogger') if u.find_spec(m)])",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    # aiohttp is the bot's own transport to the Bot API; pytest and the sandbox are absent.
    assert missing.stdout.strip() == "['aiohttp', 'tornado', 'pythonjsonlogger']", missing.stderr
    app = _app_dir(final, tmp_path)
    env = _container_env(final, sandbox, app, venv)
    env.pop("PYTHONPATH", None)
    await _run_the_image_commands(final, sandbox, app, env, python)
