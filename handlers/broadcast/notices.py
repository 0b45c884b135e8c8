"""The organiser's view of a running broadcast, rendered when the outbox sends it: the
progress message (bar, counts, Stop), its edits, and the delivery report. Each shows the
counts at sending time; a broadcast whose organiser was erased renders as None (dropped).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.services.broadcasts import (
    PROGRESS_EDIT_NOTICE,
    PROGRESS_NOTICE,
    REPORT_NOTICE,
    RUNNING,
    Progress,
)
from bot.services.container import Services
from handlers.broadcast.texts import progress_text, report_text, stop_keyboard
from handlers.i18n import Texts
from handlers.notifications import Rendered, renderer


async def _progress(data: Mapping[str, Any], services: Services) -> Progress | None:
    progress = await services.broadcasts.progress(int(data["broadcast"]))
    if progress is None or progress.record.created_by < 0:
        return None  # gone, or its organiser erased (the pseudonym is a negative id)
    return progress


def _as_now(tx: Texts, services: Services, progress: Progress, **params: Any) -> Rendered:
    """Progress with its Stop button while it runs; the report once it is over."""
    forum = services.forum
    if progress.record.state == RUNNING:
        return Rendered(
            text=progress_text(tx, forum, progress),
            reply_markup=stop_keyboard(tx, progress.record.id),
            method="editMessageText" if params else "sendMessage",
            params=params,
        )
    return Rendered(
        text=report_text(tx, forum, progress),
        method="editMessageText" if params else "sendMessage",
        params=params,
    )


@renderer(PROGRESS_NOTICE)
async def progress_message(
    tx: Texts, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    progress = await _progress(data, services)
    return None if progress is None else _as_now(tx, services, progress)


@renderer(PROGRESS_EDIT_NOTICE)
async def progress_edit(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    progress = await _progress(data, services)
    if progress is None:
        return None
    message_id = await services.broadcasts.progress_message(progress.record.id)
    if message_id is None:
        return None  # the progress message never went out: nothing to edit
    return _as_now(tx, services, progress, message_id=message_id)


@renderer(REPORT_NOTICE)
async def report(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    progress = await _progress(data, services)
    if progress is None or progress.record.state == RUNNING:
        return None
    return Rendered(text=report_text(tx, services.forum, progress))
