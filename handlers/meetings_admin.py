"""Meetings for organisers: /schedule (the optimal scheduler's preview, then Apply or
Cancel) and /meetings_all (the grid of every slot with its meetings). The role is checked on
the server for every command and every press."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.meeting_slots import ReaderZones
from bot.runtime.context import ForumContext
from bot.services.meeting_schedule import GridSlot, LeftOutPair, MeetingScheduler, Preview
from bot.services.meetings import MeetingService
from handlers.callbacks import SchedulePlan
from handlers.common import (
    audit,
    edit,
    for_organisers,
    organiser_button,
    reply,
)
from handlers.i18n import N_, Texts
from handlers.meeting_texts import clock_times, day

SHOWN = 40  # meetings and left-out pairs listed in a preview; the rest are counted
STATES = {"confirmed": "✅", "proposed": "⏳"}
# The scheduler's words (bot.domain.scheduler's Status, Reason and candidate kinds) and why
# a booking was skipped (storage.meetings' Booking kinds), as organisers read them.
WORDS = {
    "optimal": N_("optimal"),
    "feasible": N_("stopped at the time limit"),
    "greedy": N_("greedy"),
    "greedy fallback": N_("greedy fallback"),
    "accepted": N_("accepted"),
    "opt-in": N_("opt-in"),
    "already has a meeting": N_("already has a meeting"),
    "no common free slot": N_("no common free slot"),
    "all common free slots full": N_("all common free slots full"),
    "busy": N_("a company has another meeting then"),
    "unavailable": N_("a company blocked that slot"),
    "full": N_("no table left"),
    "limit": N_("a company is at its maximum"),
    "pair": N_("the two already have a meeting"),
    "gone": N_("the slot is gone"),
}
BUSY = N_(
    "in each common free slot all tables are taken or one of the two companies meets "
    "another company"
)
NOT_SELECTED = {
    "optimal": N_(
        "not selected by the optimiser: lower total score, no plan that includes this "
        "meeting scores higher ({busy})"
    ),
    "feasible": N_(
        "not selected before the solver's time limit ({busy}; a plan within the reported gap "
        "of this one may include it)"
    ),
}
GREEDY_NOT_SELECTED = N_(
    "not selected by the greedy pass ({busy}, taken first by meetings with an equal or higher "
    "score or by existing meetings)"
)


def word(tx: Texts, value: str) -> str:
    """A scheduler's word in the reader's language (an unknown one as it is)."""
    return tx._(WORDS[value]) if value in WORDS else tx.user(value)


def why_left_out(tx: Texts, left: LeftOutPair, status: str, limit: int) -> str:
    if left.reason == "company at its maximum":
        return tx._("{company} already at its maximum of {limit}").format(
            company=tx.user(left.full_company), limit=limit
        )
    if left.reason == "not selected":
        text = NOT_SELECTED.get(status, GREEDY_NOT_SELECTED)
        return tx._(text).format(busy=tx._(BUSY))
    return word(tx, left.reason)


def preview_text(tx: Texts, preview: Preview, own: ReaderZones, limit: int) -> str:
    gap = tx._("n/a") if preview.gap is None else f"{preview.gap:.2%}"
    seconds = "" if preview.solver_seconds is None else f"{preview.solver_seconds:.1f} s"
    lines = [
        tx._("🧮 <b>Meeting schedule — preview</b>"),
        tx._(
            "Candidates: {accepted} accepted introductions and {opt_in} mutual top-3 matches "
            "of companies that let the organisers book; {existing} meetings already booked stay "
            "where they are."
        ).format(accepted=preview.accepted, opt_in=preview.opt_in, existing=preview.existing),
        tx._("Placed: <b>{placed}</b> meetings · total score <b>{score:.2f}</b>").format(
            placed=len(preview.placed), score=preview.total_score
        ),
        tx._("Solver: {status}, optimality gap {gap} {seconds}").format(
            status=word(tx, preview.status), gap=gap, seconds=seconds
        ),
    ]
    if preview.placed:
        lines += ["", tx._("<b>Meetings to book</b>")]
    for planned in preview.placed[:SHOWN]:
        lines.append(
            tx._("• {day} {times} — {a} ↔ {b} ({kind}, score {score:.2f})").format(
                day=day(tx, planned.slot.starts_at, own),
                times=clock_times(tx, planned.slot.starts_at, own),
                a=tx.user(planned.a_name),
                b=tx.user(planned.b_name),
                kind=word(tx, planned.kind),
                score=planned.score,
            )
        )
    if len(preview.placed) > SHOWN:
        lines.append(tx._("… and {n} more").format(n=len(preview.placed) - SHOWN))
    if preview.left_out:
        lines += ["", tx._("<b>Left out</b> ({n})").format(n=len(preview.left_out))]
    for left in preview.left_out[:SHOWN]:
        lines.append(
            tx._("• {a} ↔ {b} ({kind}): {why}").format(
                a=tx.user(left.a_name),
                b=tx.user(left.b_name),
                kind=word(tx, left.kind),
                why=why_left_out(tx, left, preview.status, limit),
            )
        )
    if len(preview.left_out) > SHOWN:
        lines.append(tx._("… and {n} more").format(n=len(preview.left_out) - SHOWN))
    if preview.plan_id is not None:
        lines += [
            "",
            tx._("Apply books them and tells both companies; either can decline."),
        ]
    else:
        lines += ["", tx._("Nothing to book.")]
    return "\n".join(lines)


@for_organisers
async def schedule_command(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    own = await MeetingService(context.services).zone_of(actor)
    await reply(update, tx._("🧮 Solving… (up to 10 seconds)"))
    preview = await MeetingScheduler(context.services).preview(actor)
    markup = None
    if preview.plan_id is not None:
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        tx._("✅ Apply ({n} meetings)").format(n=len(preview.placed)),
                        callback_data=SchedulePlan(preview.plan_id, True).pack(),
                    ),
                    InlineKeyboardButton(
                        tx._("✖️ Cancel"), callback_data=SchedulePlan(preview.plan_id, False).pack()
                    ),
                ]
            ]
        )
    limit = context.services.settings.max_meetings_per_company
    await reply(update, preview_text(tx, preview, own, limit), reply_markup=markup)


@organiser_button(SchedulePlan)
async def plan_button(
    update: Update, context: ForumContext, query: CallbackQuery, tx: Texts, data: SchedulePlan
) -> None:
    actor = query.from_user.id
    scheduler = MeetingScheduler(context.services)
    if not data.apply:
        await query.answer()
        cancelled = await scheduler.cancel(data.plan)
        await edit(
            query,
            tx._("Schedule preview cancelled; nothing was booked.")
            if cancelled
            else tx._("This preview was already applied or cancelled."),
            None,
        )
        return
    await query.answer(tx._("Booking…"))
    applied = await scheduler.apply(data.plan)
    if applied.kind != "applied":
        await edit(query, tx._("This preview was already applied or cancelled."), None)
        return
    await audit(
        context,
        actor,
        "schedule meetings",
        f"plan {data.plan}: {applied.placed} booked, {len(applied.skipped)} skipped",
    )
    lines = [
        tx._("✅ <b>Schedule applied</b>: {n} meetings booked; both companies are told.").format(
            n=applied.placed
        )
    ]
    if applied.skipped:
        lines.append(tx._("Skipped, because the slot or a company was taken meanwhile:"))
        lines += [
            tx._("• {a} ↔ {b} ({why})").format(a=tx.user(a), b=tx.user(b), why=word(tx, why))
            for a, b, why in applied.skipped
        ]
    await edit(query, "\n".join(lines), None)


def grid_text(tx: Texts, grid: list[GridSlot], own: ReaderZones) -> str:
    if not grid:
        return tx._("There are no meeting slots ahead.")
    lines = [tx._("🗂 <b>All meetings</b> (✅ confirmed, ⏳ proposed)")]
    block = None
    for item in grid:
        if (item.block_title, day(tx, item.slot.starts_at, own)) != block:
            block = (item.block_title, day(tx, item.slot.starts_at, own))
            lines += ["", f"<b>{tx.user(item.block_title)}</b> — {block[1]}"]
        lines.append(
            tx._("{times} — {used}/{tables} tables").format(
                times=clock_times(tx, item.slot.starts_at, own),
                used=len(item.meetings),
                tables=item.slot.tables,
            )
        )
        for table, a, b, state in item.meetings:
            lines.append(
                tx._("  T{table} {state} {a} ↔ {b}").format(
                    table=table, state=STATES.get(state, ""), a=tx.user(a), b=tx.user(b)
                )
            )
    return "\n".join(lines)


@for_organisers
async def grid_command(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    own = await MeetingService(context.services).zone_of(actor)
    grid = await MeetingScheduler(context.services).grid()
    await reply(update, grid_text(tx, grid, own))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("schedule", schedule_command))
    app.add_handler(CommandHandler("meetings_all", grid_command))
    app.add_handler(CallbackQueryHandler(plan_button, pattern=SchedulePlan.filter()))
