"""Agenda rows for the tests: a session as the agenda stores it (for what is made from one,
.ics files), and a session added to the running bot's agenda."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.domain.agenda import SessionInput, keys_in
from storage.agenda import Session
from tests.support.harness import BotHarness


def stored_session(
    session_id: int, title: str, start: datetime, length: timedelta, **fields: Any
) -> Session:
    """A session that is not cancelled, empty but for what is given."""
    values: dict[str, Any] = {
        "description": "",
        "speakers": "",
        "track": "",
        "link": None,
        "updated_at": "",
    }
    values.update(fields)
    return Session(
        id=session_id,
        title=title,
        starts_at=start,
        ends_at=start + length,
        cancelled=False,
        **values,
    )


async def add_to_agenda(bot: BotHarness, item: SessionInput) -> int:
    """The agenda imported again as it stands (its sessions not cancelled, unchanged) with
    ``item`` added: the new session's id."""
    services = bot.services
    kept = [s for s in await services.agenda.all() if not s.cancelled]
    result = await services.agenda.apply_import(
        [*kept, item], now=services.clock.now(), key=keys_in(services.settings.tz)
    )
    return result.added[0].id
