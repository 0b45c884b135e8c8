"""1:1 meetings for reps: 📅 Book a meeting (the slot picker), proposing a slot, answering a
proposal (Confirm / Another slot / Decline), Reschedule and Cancel, and /meetings with the
"let the organisers book meetings for me" toggle.

Every press goes to one MeetingService method, which checks it against the presser's
company; buttons carry ids and the meeting's revision, never list positions.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, filters

from bot.domain.meeting_slots import ReaderZones
from bot.runtime.context import ForumContext
from bot.services.meetings import MeetingService, MeetingsPage, MeetingView, Result
from handlers.callbacks import (
    MeetingAct,
    MeetingAction,
    MeetingBook,
    MeetingMove,
    MeetingPick,
    MeetingsOptIn,
)
from handlers.common import add_buttons, edit, pressed, reader, reply
from handlers.i18n import N_, Texts
from handlers.meeting_texts import book_button, card, move_picker, picker, when


def refusal(tx: Texts, result: Result) -> str:
    """Why an action did nothing, in one sentence."""
    partner = tx.user(result.partner_name)
    texts = {
        "taken": tx._("⚡ Someone was faster: that slot was just taken."),
        "busy": tx._("Your company already has a meeting at that time."),
        "partner_busy": tx._("{partner} already has a meeting at that time."),
        "unavailable": tx._("Your company blocked that slot in /availability."),
        "partner_unavailable": tx._("{partner} cannot attend at that time."),
        "limit": tx._("Your company has reached its maximum of {limit} meetings."),
        "partner_limit": tx._("{partner} has reached its maximum of {limit} meetings."),
        "gone": tx._("That slot is no longer available."),
        "upcoming": tx._("You already have a meeting with {partner}: see /meetings."),
        "no_company": tx._("Register your company first: /register."),
        "not_allowed": tx._(
            "You can book meetings with the companies you were introduced to (see /intros)."
        ),
        "stale": tx._("This message is out of date: the meeting changed meanwhile. /meetings"),
        "refused": tx._("This is not for your company."),
    }
    return texts.get(result.kind, texts["refused"]).format(partner=partner, limit=result.limit)


async def _own_zone(context: ForumContext, user_id: int) -> ReaderZones:
    return await MeetingService(context.services).zone_of(user_id)


async def _settled(
    query: CallbackQuery,
    tx: Texts,
    result: Result,
    own: ReaderZones,
    *,
    done: str,
    sent: str,
    refused: tuple[str, ...],
) -> bool:
    """Answer a pressed slot. True when the press is settled: the proposal went out (result
    ``done``; ``sent``, marked with ``N_``, says so in place of the picker) or was refused (an
    alert). False when the slot is gone: the query is answered, the caller offers others."""
    meeting = result.meeting
    if result.kind == done and meeting is not None:
        await query.answer()
        told = tx._(sent).format(
            partner=tx.user(result.partner_name),
            when=when(tx, meeting.starts_at, meeting.ends_at, own),
        )
        await edit(query, told, None)
        return True
    if result.kind in refused:
        await query.answer(refusal(tx, result), show_alert=True)
        return True
    await query.answer()
    return False


# -- booking -------------------------------------------------------------------------------
async def book_open(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, MeetingBook)
    result = await MeetingService(context.services).offer(query.from_user.id, data.partner)
    if result.kind not in ("ok", "upcoming"):
        await query.answer(refusal(tx, result), show_alert=True)
        return
    await query.answer()
    own = await _own_zone(context, query.from_user.id)
    if result.kind == "upcoming" and result.meeting is not None:
        text = tx._("You already have a meeting with {partner}:").format(
            partner=tx.user(result.partner_name)
        )
        await reply(update, f"{text}\n{card(tx, result.meeting, own)}\n\n/meetings")
        return
    text, markup = picker(tx, result, own)
    await reply(update, text, reply_markup=markup)


async def book_slot(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, MeetingPick)
    result = await MeetingService(context.services).propose(
        query.from_user.id, data.partner, data.block, data.start
    )
    own = await _own_zone(context, query.from_user.id)
    sent = N_(
        "📨 Proposed to {partner}: {when}. I will tell you when they answer; /meetings "
        "lists your meetings."
    )
    refused = ("no_company", "not_allowed", "upcoming")
    if await _settled(query, tx, result, own, done="proposed", sent=sent, refused=refused):
        return
    text, markup = picker(tx, result, own)
    await edit(query, f"{refusal(tx, result)}\n\n{text}", markup)


# -- a meeting: answers, reschedule, cancel ------------------------------------------------
async def act(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, MeetingAct)
    service = MeetingService(context.services)
    user_id = query.from_user.id
    own = await _own_zone(context, user_id)
    if data.action in ("other", "move"):
        result = await service.alternatives(user_id, data.meeting, data.rev)
        if result.kind != "ok":
            await query.answer(refusal(tx, result), show_alert=True)
            return
        await query.answer()
        text, markup = move_picker(tx, result, own)
        await reply(update, text, reply_markup=markup)
        return
    if data.action == "cancel":
        view = await service.view_by_id(data.meeting, await service.company_of(user_id) or 0)
        if view is None or view.rev != data.rev:
            await query.answer(refusal(tx, Result("stale")), show_alert=True)
            return
        await query.answer()
        sure = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        tx._("Yes, cancel it"),
                        callback_data=MeetingAct(view.id, view.rev, "sure").pack(),
                    ),
                    InlineKeyboardButton(
                        tx._("Keep it"), callback_data=MeetingAct(view.id, view.rev, "keep").pack()
                    ),
                ]
            ]
        )
        text = tx._("Cancel this meeting? {partner} will be told.").format(
            partner=tx.user(view.partner_name)
        )
        await reply(update, f"{text}\n\n{card(tx, view, own)}", reply_markup=sure)
        return
    if data.action == "keep":
        await query.answer()
        await edit(query, tx._("The meeting stays as it is. /meetings"), None)
        return
    if data.action == "ok":
        result = await service.confirm(user_id, data.meeting, data.rev)
    elif data.action == "no":
        result = await service.decline(user_id, data.meeting, data.rev)
    else:
        result = await service.cancel(user_id, data.meeting, data.rev)
    if result.meeting is None or result.kind in ("refused", "stale"):
        await query.answer(refusal(tx, result), show_alert=True)
        return
    await query.answer()
    await edit(query, outcome_text(tx, result.kind, result.meeting, own), None)


def outcome_text(tx: Texts, kind: str, view: MeetingView, own: ReaderZones) -> str:
    partner = tx.user(view.partner_name)
    heads = {
        "confirmed": tx._("✅ <b>Booked.</b> Your meeting with {partner}:"),
        "declined": tx._("✖️ You declined the meeting with {partner}. They will be told."),
        "cancelled": tx._("❌ The meeting with {partner} is cancelled. They will be told."),
    }
    head = heads[kind].format(partner=partner)
    if kind == "confirmed":
        return f"{head}\n{card(tx, view, own)}\n\n" + tx._(
            "I will remind you 10 minutes before. /ics puts it in your calendar."
        )
    return (
        head
        + "\n"
        + tx._("It was on {when}.").format(when=when(tx, view.starts_at, view.ends_at, own))
    )


async def move_slot(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, MeetingMove)
    user_id = query.from_user.id
    service = MeetingService(context.services)
    result = await service.move(user_id, data.meeting, data.rev, data.block, data.start)
    own = await _own_zone(context, user_id)
    sent = N_("📨 Proposed the new time to {partner}: {when}. I will tell you when they answer.")
    refused = ("refused", "stale", "no_company")
    if await _settled(query, tx, result, own, done="moved", sent=sent, refused=refused):
        return
    again = await service.alternatives(user_id, data.meeting, data.rev)
    if again.kind != "ok":
        await edit(query, refusal(tx, result), None)
        return
    text, markup = move_picker(tx, again, own)
    await edit(query, f"{refusal(tx, result)}\n\n{text}", markup)


# -- /meetings -----------------------------------------------------------------------------
def page_text(
    tx: Texts, page: MeetingsPage, own: ReaderZones
) -> tuple[str, InlineKeyboardMarkup | None]:
    if page.kind != "ok":
        return tx._("Register your company first: /register."), None
    lines = [tx._("📅 <b>1:1 meetings of {company}</b>").format(company=tx.user(page.company_name))]
    rows: list[list[InlineKeyboardButton]] = []
    if not page.upcoming:
        lines.append(tx._("No meeting ahead yet."))
    for view in page.upcoming:
        lines.append("")
        lines.append(card(tx, view, own))
        short = f"{tx.plain(view.partner_name)[:24]}"
        actions: list[list[MeetingAction]]
        act = {
            "ok": tx._("✅ Confirm {partner}").format(partner=short),
            "no": tx._("✖️ Decline {partner}").format(partner=short),
            "move": tx._("🔁 Reschedule {partner}").format(partner=short),
            "cancel": tx._("❌ Cancel {partner}").format(partner=short),
        }
        if view.waiting_for == "us":
            lines.append(tx._("📨 They propose this time: confirm it, or pick another."))
            actions = [["ok", "no"], ["move"]]
        elif view.waiting_for == "them":
            lines.append(tx._("⏳ Proposed: waiting for their answer."))
            actions = [["move", "cancel"]]
        else:
            lines.append(tx._("✅ Confirmed."))
            actions = [["move", "cancel"]]
        rows += [
            [
                InlineKeyboardButton(
                    act[a],
                    callback_data=MeetingAct(view.id, view.rev, a).pack(),
                )
                for a in row
            ]
            for row in actions
        ]
    if page.earlier:
        lines += ["", tx._("<b>Earlier</b>")]
        lines += [
            tx._("• {partner}, {when}").format(
                partner=tx.user(v.partner_name), when=when(tx, v.starts_at, v.ends_at, own)
            )
            for v in page.earlier
        ]
    if page.bookable:
        lines += ["", tx._("Introduced, no meeting yet: book one below.")]
        rows += [
            [book_button(tx, pid, tx._("📅 Book: {partner}").format(partner=tx.plain(name)[:40]))]
            for pid, name in page.bookable
        ]
    lines += [
        "",
        tx._("🤖 The organisers may book meetings for you: <b>on</b>.")
        if page.organisers_book
        else tx._("🤖 The organisers may book meetings for you: <b>off</b>."),
        tx._("/availability: the slots you cannot attend."),
    ]
    toggle = (
        tx._("🤖 Stop organisers booking for us")
        if page.organisers_book
        else tx._("🤖 Let the organisers book meetings for us")
    )
    rows.append(
        [InlineKeyboardButton(toggle, callback_data=MeetingsOptIn(not page.organisers_book).pack())]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def meetings_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    tx = await reader(update, context)
    page = await MeetingService(context.services).page(user.id)
    text, markup = page_text(tx, page, await _own_zone(context, user.id))
    await reply(update, text, reply_markup=markup)


async def opt_in(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, MeetingsOptIn)
    service = MeetingService(context.services)
    if not await service.set_organisers_book(query.from_user.id, data.on):
        await query.answer(tx._("Register your company first: /register."), show_alert=True)
        return
    await query.answer(
        tx._("The organisers may now book meetings for your company.")
        if data.on
        else tx._("The organisers will not book meetings for your company.")
    )
    page = await service.page(query.from_user.id)
    text, markup = page_text(tx, page, await _own_zone(context, query.from_user.id))
    await edit(query, text, markup)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("meetings", meetings_command, filters=private))
    add_buttons(
        app,
        {
            MeetingBook: book_open,
            MeetingPick: book_slot,
            MeetingAct: act,
            MeetingMove: move_slot,
            MeetingsOptIn: opt_in,
        },
    )
