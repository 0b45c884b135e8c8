"""Session reminders and agenda change notices, rendered for each reader when the outbox
sends them: "in 15 minutes" is counted at that moment, in the reader's zone and language.

Each renderer re-reads the session: a reminder for a session cancelled or moved since it was
queued, or one that has ended, renders as None and is dropped; so does a change notice that
a later change overtook (a cancelled session put back, a session moved again).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.services.agenda import AgendaService
from bot.services.container import Services
from bot.services.reminders import CANCELLED, CHANGE_KIND, REMINDER_KIND, RESTORED
from handlers.agenda import when
from handlers.dates import countdown, duration
from handlers.i18n import Texts
from handlers.notifications import Rendered, renderer


@renderer(REMINDER_KIND)
async def reminder(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    found = await AgendaService(services).about(int(data["session"]), int(data["to"]))
    if found is None:
        return None
    session, now = found.session, found.now
    if session.cancelled or session.starts_at != datetime.fromisoformat(data["start"]):
        return None  # cancelled or moved since: its reminders go with it
    if session.ends_at <= now:
        return None  # sent so late that it is over
    lines = [
        countdown(
            tx,
            session.starts_at,
            now,
            at_start=tx._("⏰ <b>{title}</b> is starting now"),
            ahead=tx._("⏰ <b>{title}</b> starts in {duration}"),
            past=tx._("⏰ <b>{title}</b> started {duration} ago"),
            title=tx.user(session.title),
        ),
        tx._("🕙 {when}").format(
            when=when(tx, session.starts_at, found.zone, services.forum.zone_labels(tx.language))
        ),
    ]
    if session.speakers:
        lines.append(tx._("🎤 {speakers}").format(speakers=tx.user(session.speakers)))
    if session.link:
        lines.append(tx._("🔗 {link}").format(link=tx.user(session.link)))
    return Rendered(text="\n".join(lines))


@renderer(CHANGE_KIND)
async def changed(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    found = await AgendaService(services).about(int(data["session"]), int(data["to"]))
    if found is None:
        return None
    session = found.session
    zones = services.forum.zone_labels(tx.language)
    title = tx.user(session.title)
    was = when(tx, datetime.fromisoformat(data["was_start"]), found.zone, zones)
    if data["change"] == CANCELLED:
        if not session.cancelled:
            return None  # back on the agenda since; that notice says so
        return Rendered(
            text=tx._(
                "❌ <b>{title}</b> is cancelled.\nIt was on {was}. Its reminders are off."
            ).format(title=title, was=was)
        )
    if session.cancelled or session.starts_at != datetime.fromisoformat(data["start"]):
        return None  # cancelled or moved again since; a later notice says so
    values = {
        "title": title,
        "now": when(tx, session.starts_at, found.zone, zones),
        "length": duration(tx, session.ends_at - session.starts_at),
        "was": was,
    }
    if data["change"] == RESTORED:
        text = tx._(
            "✅ <b>{title}</b> is back on the agenda: {now} ({length}).\n"
            "Your reminders follow the new time."
        )
    else:
        text = tx._(
            "📅 <b>{title}</b> has a new time.\nNow: {now} ({length})\nWas: <s>{was}</s>\n"
            "Your reminders follow the new time."
        )
    return Rendered(text=text.format(**values))
