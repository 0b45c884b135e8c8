"""Storage fixtures: a migrated database in a temporary file, its catalogue of sectors and
intents synced from the forum file that ships, as the bot does at start-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database
from tests.support.storage import open_synced


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_synced(tmp_path / "storage.db")
    try:
        yield database
    finally:
        await database.close()
