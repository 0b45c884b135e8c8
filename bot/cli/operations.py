"""The operator's commands: ``migrate``, ``status``, ``backup``, ``restore``, ``delete-webhook``.

They look after the database and the bot's connection to Telegram, not the forum's data.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ConfigError, load_settings


async def migrate() -> int:
    from storage.db import Database

    settings = load_settings(require_token=False)
    db = await Database.open(settings.database_path, migrate=False)
    try:
        applied = await db.migrate()
        version = await db.schema_version()
    finally:
        await db.close()
    if applied:
        print(f"Applied {len(applied)} migration(s): {', '.join(applied)}")
    print(f"Database {settings.database_path} is at schema version {version}.")
    return 0


def migrate_check() -> int:
    from storage.backup import schema_version
    from storage.db import migration_files

    path = load_settings(require_token=False).database_path
    latest = len(migration_files())
    if not path.is_file():
        print(f"No database at {path} yet: the first start creates it at schema version {latest}.")
        return 1
    current = schema_version(path)
    pending = [name for number, name, _ in migration_files() if number > current]
    if current > latest:
        print(f"{path} is at schema version {current}, newer than this version knows ({latest}).")
        return 1
    if not pending:
        print(f"{path} is at schema version {current}: up to date.")
        return 0
    print(
        f"{path} is at schema version {current} and needs {len(pending)} migration(s) to reach "
        f"{latest}: {', '.join(pending)}. The next start (or `migrate`) applies them, after a "
        "backup."
    )
    return 1


async def status() -> int:
    from bot.runtime.status import read_status, render

    path = load_settings(require_token=False).database_path
    status = await read_status(path, datetime.now(UTC))
    print(render(status))
    return status.exit_code


async def backup(file: str) -> int:
    from storage.backup import BackupError, backup_database

    source = load_settings(require_token=False).database_path
    try:
        result = await asyncio.to_thread(backup_database, source, Path(file))
    except BackupError as exc:
        raise ConfigError(str(exc)) from None
    print(
        f"Backed up {source} to {result.path} ({result.size / 1024:.0f} KiB, schema version "
        f"{result.schema_version}, integrity ok)."
    )
    return 0


async def restore(file: str) -> int:
    from bot.runtime.runlock import LockHeld, RunLock
    from storage.backup import BackupError, restore_database, schema_version
    from storage.db import migration_files

    target = load_settings(require_token=False).database_path
    lock = RunLock(target)
    try:
        lock.acquire(wait=0)
    except LockHeld as held:
        raise ConfigError(f"{held}: stop the bot first, then restore") from None
    try:
        latest = len(migration_files())
        kept = await asyncio.to_thread(restore_database, Path(file), target, latest)
        version = schema_version(target)
    except BackupError as exc:
        raise ConfigError(str(exc)) from None
    finally:
        lock.release()
    print(f"Restored {file} into {target} (schema version {version}).")
    if kept is not None:
        print(f"The database it replaced is kept as {kept}.")
    if version < latest:
        print("The next start migrates it to this version (after a backup).")
    return 0


async def delete_webhook() -> int:
    from telegram import Bot
    from telegram.error import InvalidToken

    settings = load_settings()
    try:
        async with Bot(settings.bot_token, base_url=settings.base_url) as bot:
            info = await bot.get_webhook_info()
            await bot.delete_webhook(drop_pending_updates=False)
    except InvalidToken:
        raise ConfigError("BOT_TOKEN was rejected by the Bot API (401 Unauthorized)") from None
    if info.url:
        print(f"Deleted the webhook ({info.url}); the bot can use long polling again.")
    else:
        print("No webhook was set.")
    return 0
