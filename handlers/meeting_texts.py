"""How meetings read: a slot or a meeting time in both forum zones (the reader's own
first), a meeting card with its link or table, and the keyboards of slot pickers. Shared by
the meetings handlers and their notice renderers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.meeting_blocks import CalendarMeeting
from bot.domain.meeting_slots import ReaderZones, SlotTime
from bot.services.meetings import MeetingView, Result
from handlers import dates
from handlers.callbacks import MeetingBook, MeetingMove, MeetingPick
from handlers.i18n import Texts


def day(tx: Texts, moment: datetime, zones: ReaderZones) -> str:
    """``Thu 20 Nov``: the date in the reader's zone."""
    return dates.day(tx, moment, zones.own)


def clock_times(tx: Texts, moment: datetime, own: ReaderZones) -> str:
    """``14:30 <own zone> · 17:30 <the other forum zone>``, the reader's zone first, each
    clock as the reader's locale writes it."""
    return " · ".join(f"{dates.time(tx, moment, z)} {own.label(z)}" for z in own.order())


def slot_label(tx: Texts, slot: SlotTime, own: ReaderZones) -> str:
    return tx._("{day} · {times}").format(
        day=day(tx, slot.starts_at, own), times=clock_times(tx, slot.starts_at, own)
    )


def when(tx: Texts, starts_at: datetime, ends_at: datetime, own: ReaderZones) -> str:
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    return tx._("{day} · {times} ({minutes} min)").format(
        day=day(tx, starts_at, own), times=clock_times(tx, starts_at, own), minutes=minutes
    )


def place(tx: Texts, view: MeetingView) -> str:
    """Where to meet: the video link, or the table of an on-site forum."""
    if view.link:
        return tx._("🔗 {link}").format(link=tx.user(view.link))
    return tx._("🪑 Table {table}").format(table=view.table)


def card(tx: Texts, view: MeetingView, own: ReaderZones) -> str:
    """The partner, the time in both zones and where."""
    return "\n".join(
        [
            tx._("🤝 <b>{partner}</b>").format(partner=tx.user(view.partner_name)),
            tx._("🕙 {when}").format(when=when(tx, view.starts_at, view.ends_at, own)),
            place(tx, view),
        ]
    )


def slot_rows(
    tx: Texts, slots: Sequence[SlotTime], own: ReaderZones, data: Callable[[SlotTime], str]
) -> list[list[InlineKeyboardButton]]:
    return [[InlineKeyboardButton(slot_label(tx, s, own), callback_data=data(s))] for s in slots]


def picker(tx: Texts, result: Result, own: ReaderZones) -> tuple[str, InlineKeyboardMarkup | None]:
    """The free slots for booking with ``result``'s partner (after the intro card's button,
    a "we moved it", or a slot taken meanwhile)."""
    partner = tx.user(result.partner_name)
    if not result.slots:
        return (
            tx._(
                "📅 No meeting slot is free for both {partner} and you right now. New slots "
                "open when the organisers add meeting blocks to the /agenda; /availability "
                "shows the slots you blocked."
            ).format(partner=partner),
            None,
        )
    text = tx._(
        "📅 <b>Book a meeting with {partner}</b>\nFree slots that suit both companies, in "
        "your time first. Pick one and I will propose it to them:"
    ).format(partner=partner)
    rows = slot_rows(
        tx,
        result.slots,
        own,
        lambda s: MeetingPick(result.partner_id, s.block_id, s.minute).pack(),
    )
    return text, InlineKeyboardMarkup(rows)


def move_picker(
    tx: Texts, result: Result, own: ReaderZones
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The slots a meeting can move to."""
    meeting = result.meeting
    assert meeting is not None
    partner = tx.user(result.partner_name)
    if not result.slots:
        return (
            tx._("No other slot is free for both {partner} and you. /meetings").format(
                partner=partner
            ),
            None,
        )
    text = tx._(
        "🔁 <b>Another time with {partner}</b>\nNow: {when}\nPick a slot and I will propose "
        "it to them:"
    ).format(partner=partner, when=when(tx, meeting.starts_at, meeting.ends_at, own))
    rows = slot_rows(
        tx,
        result.slots,
        own,
        lambda s: MeetingMove(meeting.id, meeting.rev, s.block_id, s.minute).pack(),
    )
    return text, InlineKeyboardMarkup(rows)


def book_button(tx: Texts, partner_id: int, label: str | None = None) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        label or tx._("📅 Book a meeting"), callback_data=MeetingBook(partner_id).pack()
    )


def calendar_meeting(tx: Texts, view: MeetingView) -> CalendarMeeting:
    """A confirmed meeting as an event of the reader's .ics file."""
    where = view.link or tx._("Table {table}").format(table=view.table)
    return CalendarMeeting(
        id=view.id,
        title=tx._("1:1 meeting: {partner}").format(partner=view.partner_name),
        starts_at=view.starts_at,
        ends_at=view.ends_at,
        description=tx._("1:1 meeting with {partner} ({block}). Join: {where}").format(
            partner=view.partner_name, block=view.block_title, where=where
        ),
        link=view.link,
        location=where,
    )
