"""How broadcasts read in the chat, in the reader's language: audiences, the progress bar,
delivery counts, the progress message, the delivery report and the lines of /broadcasts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.forum import Forum
from bot.services.broadcasts import (
    BROADCAST_CANCELLED,
    COMPANIES,
    COUNTRY,
    DONE,
    EVERYONE,
    NO_COMPANY,
    RUNNING,
    SCHEDULED,
    SECTOR,
    SESSION,
    STOPPED,
    AudienceView,
    Listed,
    Progress,
)
from handlers.callbacks import BroadcastCancel, BroadcastStop
from handlers.i18n import Texts

BAR_WIDTH = 12


def audience_text(tx: Texts, forum: Forum, view: AudienceView) -> str:
    """The audience as HTML (names escaped)."""
    if view.kind == COUNTRY:
        country = forum.country_name(str(view.value), tx.language)
        return tx._("reps of {country} companies").format(country=tx.user(country))
    if view.kind == SECTOR:
        sector = forum.sector_label(str(view.value), tx.language)
        return tx._("reps in {sector}").format(sector=tx.user(sector))
    if view.kind == SESSION:
        if view.title is None:
            return tx._("subscribers of a removed session")
        return tx._("subscribers of “{title}”").format(title=tx.user(view.title))
    if view.kind == COMPANIES:
        return tx._("company reps only")
    if view.kind == NO_COMPANY:
        return tx._("users without a company")
    if view.kind == EVERYONE:
        return tx._("everyone")
    return tx.user(view.kind)


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    if total <= 0:
        return "░" * width + " 0%"
    share = min(1.0, done / total)
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled) + f" {share:.0%}"


def duration(tx: Texts, seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return tx._("{seconds} s").format(seconds=seconds)
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        if rest:
            return tx._("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
        return tx._("{minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    return tx._("{hours} h {minutes} min").format(hours=hours, minutes=minutes)


def delivery_line(tx: Texts, counts: dict[str, int]) -> str:
    parts = [
        tx._("sent {n}").format(n=counts["sent"]),
        tx._("failed {n}").format(n=counts["failed"]),
        tx._("blocked {n}").format(n=counts["blocked"]),
    ]
    if counts.get("unknown"):
        # Timed out after Telegram got them: maybe delivered, never sent twice.
        parts.append(tx._("timed out (maybe delivered) {n}").format(n=counts["unknown"]))
    if counts.get("cancelled"):
        parts.append(tx._("not sent (stopped) {n}").format(n=counts["cancelled"]))
    return " · ".join(parts)


def progress_text(tx: Texts, forum: Forum, progress: Progress) -> str:
    record = progress.record
    lines = [
        tx._("📣 <b>Broadcast #{id}</b> to {audience} — sending").format(
            id=record.id, audience=audience_text(tx, forum, progress.audience)
        ),
        progress_bar(progress.handled, progress.total),
        tx._("{handled} of {total}: {delivery}").format(
            handled=progress.handled,
            total=progress.total,
            delivery=delivery_line(tx, progress.counts),
        ),
        tx._("About {duration} left").format(duration=duration(tx, progress.eta_seconds)),
    ]
    return "\n".join(lines)


def report_text(tx: Texts, forum: Forum, progress: Progress) -> str:
    record = progress.record
    if record.state == STOPPED:
        title = tx._("⏹ <b>Delivery report — broadcast #{id} stopped</b>")
    else:
        title = tx._("✅ <b>Delivery report — broadcast #{id} finished</b>")
    lines = [
        title.format(id=record.id),
        tx.n_(
            "Audience: {audience} ({n} recipient)",
            "Audience: {audience} ({n} recipients)",
            progress.total,
        ).format(audience=audience_text(tx, forum, progress.audience)),
        tx._("Message: {summary}").format(summary=tx.user(record.summary)),
        delivery_line(tx, progress.counts),
    ]
    if progress.took_seconds is not None:
        lines.append(tx._("Took {duration}").format(duration=duration(tx, progress.took_seconds)))
    return "\n".join(lines)


def stop_keyboard(tx: Texts, broadcast_id: int) -> InlineKeyboardMarkup:
    stop = BroadcastStop(broadcast_id).pack()
    return InlineKeyboardMarkup([[InlineKeyboardButton(tx._("⏹ Stop"), callback_data=stop)]])


def listed_text(tx: Texts, forum: Forum, item: Listed, zone: ZoneInfo) -> str:
    """One broadcast in /broadcasts: what, to whom, and where it stands."""
    record, counts = item.record, item.counts
    head = tx._("<b>#{id}</b> {summary}\n   to {audience}").format(
        id=record.id,
        summary=tx.user(record.summary),
        audience=audience_text(tx, forum, item.audience),
    )
    if record.state == SCHEDULED and record.scheduled_for:
        when = datetime.fromisoformat(record.scheduled_for).astimezone(zone)
        state = tx.n_(
            "🕒 scheduled for {when} ({n} recipient now)",
            "🕒 scheduled for {when} ({n} recipients now)",
            record.recipients,
        ).format(when=f"{when:%Y-%m-%d %H:%M}")
    elif record.state == RUNNING:
        state = tx._("▶️ sending: {delivery}, {pending} left").format(
            delivery=delivery_line(tx, counts), pending=counts["pending"]
        )
    elif record.state == DONE:
        state = tx._("✅ done: {delivery}").format(delivery=delivery_line(tx, counts))
    elif record.state == STOPPED:
        state = tx._("⏹ stopped: {delivery}").format(delivery=delivery_line(tx, counts))
    elif record.state == BROADCAST_CANCELLED:
        state = tx._("✖️ cancelled")
    else:
        state = tx._("not started")
    return f"{head}\n   {state}"


def listing_keyboard(tx: Texts, items: list[Listed]) -> InlineKeyboardMarkup | None:
    """Cancel for each scheduled broadcast, Stop for each running one."""
    rows = []
    for item in items:
        number = item.record.id
        if item.record.state == SCHEDULED:
            label, data = tx._("✖️ Cancel #{id}"), BroadcastCancel(number).pack()
        elif item.record.state == RUNNING:
            label, data = tx._("⏹ Stop #{id}"), BroadcastStop(number).pack()
        else:
            continue
        rows.append([InlineKeyboardButton(label.format(id=number), callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None
