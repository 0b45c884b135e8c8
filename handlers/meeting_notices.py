"""The meeting notices, rendered for each recipient when the outbox sends them: a proposal
(or a new time) with Confirm / Another slot / Decline, confirmed, declined, cancelled, a
meeting the organisers booked, the reminder with its link, and "did it take place?".

Each renderer re-reads the meeting: a notice about a meeting that changed since it was
queued (answered, moved, cancelled, or a company erased) renders as None and is dropped, so
a cancelled meeting's reminder is never sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.meeting_slots import ReaderZones
from bot.services.container import Services
from bot.services.meetings import MeetingService, MeetingView
from handlers.callbacks import MeetingAct, MeetingAction
from handlers.dates import countdown
from handlers.i18n import Texts
from handlers.meeting_feedback import held_keyboard
from handlers.meeting_texts import book_button, card, when
from handlers.notifications import Rendered, renderer


async def _load(
    data: Mapping[str, Any], services: Services, state: str, *, same_rev: bool = False
) -> tuple[MeetingView, ReaderZones] | None:
    """The meeting as it is now and the reader's zones, or None when the notice is stale:
    the meeting is gone, is no longer in `state`, or (with `same_rev`) changed since the
    notice was queued."""
    service = MeetingService(services)
    view = await service.view_by_id(int(data["meeting"]), int(data["company"]))
    if view is None or view.state != state or (same_rev and view.rev != data["rev"]):
        return None
    return view, await service.zone_of(int(data.get("to", 0)))


# A meeting notice's renderer, given the meeting as it is now and the reader's zones.
MeetingRenderer = Callable[
    [Texts, MeetingView, ReaderZones, Mapping[str, Any], Services], Rendered | None
]


def _meeting_notice(
    kind: str, state: str, *, same_rev: bool = False
) -> Callable[[MeetingRenderer], MeetingRenderer]:
    """Register the renderer of a notice about a meeting in ``state``; a stale notice (see
    :func:`_load`) renders as None before it is called."""

    def register(render: MeetingRenderer) -> MeetingRenderer:
        @renderer(kind)
        async def rendered(
            tx: Texts, data: Mapping[str, Any], services: Services
        ) -> Rendered | None:
            loaded = await _load(data, services, state, same_rev=same_rev)
            return None if loaded is None else render(tx, *loaded, data, services)

        return render

    return register


def _named(tx: Texts, view: MeetingView, own: ReaderZones) -> dict[str, str]:
    """What the notices' sentences fill in: ``{partner}`` and ``{when}`` (in the reader's zones)."""
    return {
        "partner": tx.user(view.partner_name),
        "when": when(tx, view.starts_at, view.ends_at, own),
    }


def _act(view: MeetingView, label: str, action: MeetingAction) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=MeetingAct(view.id, view.rev, action).pack())


@_meeting_notice("meeting_proposed", "proposed", same_rev=True)
def proposed(
    tx: Texts, view: MeetingView, own: ReaderZones, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    if view.waiting_for != "us":
        return None  # answered, moved again or withdrawn meanwhile
    partner = tx.user(view.partner_name)
    if data.get("was"):
        was = datetime.fromisoformat(data["was"])
        head = tx._("📅 <b>{partner}</b> asks to move your meeting to another time.").format(
            partner=partner
        )
        old = tx._("Was: <s>{when}</s>").format(
            when=when(tx, was, was + (view.ends_at - view.starts_at), own)
        )
        text = f"{head}\n\n{card(tx, view, own)}\n{old}"
    else:
        head = tx._("📅 <b>{partner}</b> proposes a 1:1 meeting.").format(partner=partner)
        text = f"{head}\n\n{card(tx, view, own)}"
    text += "\n\n" + tx._("Confirm it, propose another slot, or decline.")
    keyboard = InlineKeyboardMarkup(
        [
            [
                _act(view, tx._("✅ Confirm"), "ok"),
                _act(view, tx._("🔁 Another slot"), "other"),
            ],
            [_act(view, tx._("✖️ Decline"), "no")],
        ]
    )
    return Rendered(text=text, reply_markup=keyboard)


@_meeting_notice("meeting_confirmed", "confirmed", same_rev=True)
def confirmed(
    tx: Texts, view: MeetingView, own: ReaderZones, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    head = tx._("✅ <b>Meeting booked</b> with {partner}.").format(**_named(tx, view, own))
    tail = tx._("I will remind you 10 minutes before. /meetings to reschedule or cancel.")
    return Rendered(text=f"{head}\n\n{card(tx, view, own)}\n\n{tail}")


@_meeting_notice("meeting_declined", "declined")
def declined(
    tx: Texts, view: MeetingView, own: ReaderZones, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    text = tx._("✖️ {partner} declined the meeting on {when}.").format(**_named(tx, view, own))
    return Rendered(text=text)


@_meeting_notice("meeting_cancelled", "cancelled")
def cancelled(
    tx: Texts, view: MeetingView, own: ReaderZones, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    values = _named(tx, view, own)
    if data.get("by") == "organisers":
        text = tx._(
            "❌ Your meeting with {partner} on {when} is cancelled: the organisers changed the "
            "meeting slots. Book a new time:"
        ).format(**values)
        return Rendered(
            text=text, reply_markup=InlineKeyboardMarkup([[book_button(tx, view.partner_id)]])
        )
    text = tx._("❌ {partner} cancelled your meeting on {when}.").format(**values)
    return Rendered(text=text)


@_meeting_notice("meeting_scheduled", "confirmed", same_rev=True)
def scheduled(
    tx: Texts, view: MeetingView, own: ReaderZones, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    head = tx._("🗓 <b>The organisers booked a 1:1 meeting for you</b> with {partner}.").format(
        **_named(tx, view, own)
    )
    tail = tx._("Cannot make it? Propose another slot, or decline: they will be told.")
    keyboard = InlineKeyboardMarkup(
        [[_act(view, tx._("🔁 Another slot"), "other"), _act(view, tx._("✖️ Decline"), "no")]]
    )
    return Rendered(text=f"{head}\n\n{card(tx, view, own)}\n\n{tail}", reply_markup=keyboard)


@_meeting_notice("meeting_reminder", "confirmed")
def reminder(
    tx: Texts, view: MeetingView, own: ReaderZones, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    if view.starts_at != datetime.fromisoformat(data["start"]):
        return None  # cancelled or moved since: its reminders go with it
    head = countdown(
        tx,
        view.starts_at,
        services.clock.now(),
        at_start=tx._("⏰ Your meeting with <b>{partner}</b> is starting now."),
        ahead=tx._("⏰ Your meeting with <b>{partner}</b> starts in {duration}."),
        past=tx._("⏰ Your meeting with <b>{partner}</b> started {duration} ago."),
        partner=tx.user(view.partner_name),
    )
    return Rendered(text=f"{head}\n\n{card(tx, view, own)}")


@_meeting_notice("meeting_feedback", "confirmed")
def feedback(
    tx: Texts, view: MeetingView, own: ReaderZones, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    text = tx._("Did your meeting with <b>{partner}</b> on {when} take place?").format(
        **_named(tx, view, own)
    )
    return Rendered(text=text, reply_markup=held_keyboard(tx, view.id))
