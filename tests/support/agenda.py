"""A session as the agenda stores it, for the tests of what is made from one (.ics files)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from storage.agenda import Session


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
