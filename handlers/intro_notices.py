"""The introduction notices, rendered for each recipient when the outbox sends them: a
request (and its halfway reminder) with Accept / Decline, "introduction made" with the
other side's contact card and "📅 Book a meeting", declined, expired, and the daily
"new matches" digest.

Each renderer reads the introduction again: a request answered meanwhile, or anything about
a company erased meanwhile, renders as None and is dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.container import Services
from bot.services.introductions import DECLINED, EXPIRED
from handlers.callbacks import IntroAnswer, MeetingBook
from handlers.i18n import N_, Texts
from handlers.match_texts import contact_card, event_time, public_card
from handlers.notifications import Rendered, renderer
from handlers.reasons import why_you_match


def decision_keyboard(tx: Texts, intro_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tx._("✅ Accept"), callback_data=IntroAnswer(intro_id, True).pack()
                ),
                InlineKeyboardButton(
                    tx._("✖️ Decline"), callback_data=IntroAnswer(intro_id, False).pack()
                ),
            ]
        ]
    )


async def _request(
    tx: Texts, data: Mapping[str, Any], services: Services, *, reminder: bool
) -> Rendered | None:
    view = await services.intros.request_view(int(data["intro"]))
    if view is None:
        return None
    forum = services.forum
    if reminder:
        head = tx._("⏰ <b>Reminder: an introduction request is waiting for your answer</b>")
    else:
        head = tx._("🤝 <b>Introduction request</b>")
    parts = [head, "", public_card(tx, view.requester, forum)]
    if view.note:
        parts += ["", tx._("<b>Their note:</b> {note}").format(note=tx.user(view.note))]
    reasons = why_you_match(tx, view.reasons, forum)
    if reasons:
        parts += ["", reasons]
    parts += [
        "",
        tx._(
            "Accept to exchange contact details. If you decline, they will only hear that you "
            "cannot take it further now. The request expires on {when}."
        ).format(when=event_time(view.expires_at, services.settings)),
    ]
    return Rendered(text="\n".join(parts), reply_markup=decision_keyboard(tx, view.intro_id))


@renderer("intro_request")
async def request(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    return await _request(tx, data, services, reminder=False)


@renderer("intro_reminder")
async def reminder(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    return await _request(tx, data, services, reminder=True)


@renderer("intro_accepted")
async def accepted(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    view = await services.intros.accepted_view(int(data["intro"]), int(data["company"]))
    if view is None:
        return None
    other = view.other
    text = "\n\n".join(
        [
            tx._("🎉 <b>Introduction made: {name}</b>").format(name=tx.user(other.name)),
            tx._("Both sides said yes. Here are their contact details:"),
            contact_card(tx, other, services.forum),
            tx._(
                "Book a 1:1 meeting in one of the forum's meeting slots below (or write to "
                "them today) — the forum is the best moment to meet."
            ),
        ]
    )
    book = InlineKeyboardButton(
        tx._("📅 Book a meeting"), callback_data=MeetingBook(other.company_id).pack()
    )
    return Rendered(text=text, reply_markup=InlineKeyboardMarkup([[book]]))


async def _to_requester(
    tx: Texts, data: Mapping[str, Any], services: Services, *, state: str, text: str
) -> Rendered | None:
    """The requester told how the request ended (``text`` names the asked company)."""
    name = await services.intros.answered(int(data["intro"]), state)
    return None if name is None else Rendered(text=tx._(text).format(name=tx.user(name)))


# How a request ended, told to the requester: notice kind, the request's state, the text.
_ENDINGS = (
    (
        "intro_declined",
        DECLINED,
        N_(
            "{name} cannot take your introduction request further now. Send /matches to see "
            "your other matches."
        ),
    ),
    (
        "intro_expired",
        EXPIRED,
        N_(
            "⌛ Your introduction request to {name} expired without an answer. Send /matches "
            "to see your other matches."
        ),
    ),
)
for _kind, _state, _text in _ENDINGS:
    renderer(_kind)(functools.partial(_to_requester, state=_state, text=_text))


@renderer("match_digest")
async def digest(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    found = await services.matching.digest(int(data["company"]), [int(i) for i in data["fresh"]])
    if found is None:
        return None
    forum = services.forum
    names = "\n".join(
        f"• {tx.user(name)} ({tx.user(forum.flag_and_name(country, tx.language))})"
        for name, country in found.fresh
    )
    head = tx._("✨ <b>New matches for {name}</b>").format(name=tx.user(found.company))
    tail = tx._(
        "They just joined and are among your best matches. Send /matches to see why and to "
        "ask for an introduction."
    )
    return Rendered(text=f"{head}\n\n{names}\n\n{tail}")
