"""Meetings for organisers: /schedule (the optimal scheduler's preview, then Apply or
Cancel) and /meetings_all (the grid of every slot with its meetings). The role is checked on
the server for every command and every press."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.meeting_slots import ReaderZones
from bot.runtime.context import ForumContext
from bot.services.meeting_schedule import GridSlot, MeetingScheduler, Preview
from bot.services.meetings import MeetingService
from handlers.callbacks import SchedulePlan
from handlers.common import audit, edit, organiser_id, reader, reply
from handlers.i18n import Texts
from handlers.meeting_texts import clock_times, day

SHOWN = 40  # meetings and left-out pairs listed in a preview; the rest are counted
STATES = {"confirmed": "✅", "proposed": "⏳"}


def preview_text(tx: Texts, preview: Preview, own: ReaderZones) -> str:
    gap = "n/a" if preview.gap is None else f"{preview.gap:.2%}"
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
            status=preview.status, gap=gap, seconds=seconds
        ),
    ]
    if preview.placed:
        lines += ["", tx._("<b>Meetings to book</b>")]
    for planned in preview.placed[:SHOWN]:
        lines.append(
            tx._("• {day} {times} — {a} ↔ {b} ({kind}, score {score:.2f})").format(
                day=day(tx, planned.slot.starts_at, own),
                times=clock_times(planned.slot.starts_at, own),
                a=tx.user(planned.a_name),
                b=tx.user(planned.b_name),
                kind=planned.kind,
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
                kind=left.kind,
                why=tx.user(left.explanation),
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


async def schedule_command(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    if actor is None:
        return
    tx = await reader(update, context)
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
    await reply(update, preview_text(tx, preview, own), reply_markup=markup)


async def plan_button(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    assert query is not None
    actor = await organiser_id(update, context)
    if actor is None:
        return
    tx = await reader(update, context)
    data = SchedulePlan.unpack(query.data)
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
        lines += [f"• {tx.user(a)} ↔ {tx.user(b)} ({why})" for a, b, why in applied.skipped]
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
                times=clock_times(item.slot.starts_at, own),
                used=len(item.meetings),
                tables=item.slot.tables,
            )
        )
        for table, a, b, state in item.meetings:
            lines.append(f"  T{table} {STATES.get(state, '')} {tx.user(a)} ↔ {tx.user(b)}")
    return "\n".join(lines)


async def grid_command(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    if actor is None:
        return
    tx = await reader(update, context)
    own = await MeetingService(context.services).zone_of(actor)
    grid = await MeetingScheduler(context.services).grid()
    await reply(update, grid_text(tx, grid, own))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("schedule", schedule_command))
    app.add_handler(CommandHandler("meetings_all", grid_command))
    app.add_handler(CallbackQueryHandler(plan_button, pattern=SchedulePlan.filter()))
