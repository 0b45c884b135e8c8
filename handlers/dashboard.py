"""/stats, the organisers' dashboard: the forum's numbers (bot.services.stats) as one message
in the reader's language, the unclaimed companies with the invitations one tap away, and the
chart of companies by sector and country."""

from __future__ import annotations

import dataclasses

from telegram import InlineKeyboardMarkup, InputFile, Update

from bot.forum import Forum
from bot.runtime.context import ForumContext
from bot.services.invitations import InvitationService
from bot.services.stats import Dashboard, MeetingCounts, dashboard
from handlers.broadcast.texts import delivery_line
from handlers.common import for_organisers, reply
from handlers.i18n import Texts
from handlers.invitations import invite_row, unclaimed_line
from handlers.outcomes import funnel_text


def delivery_counts(tx: Texts, counts: dict[str, int]) -> str:
    return tx._("{delivery} · pending {n}").format(
        delivery=delivery_line(tx, counts), n=counts["pending"]
    )


def meetings_line(tx: Texts, m: MeetingCounts) -> str:
    line = tx._(
        "<b>1:1 meetings</b>: {confirmed} confirmed · {proposed} proposed · {declined} "
        "declined · {cancelled} cancelled · {expired} expired; took place {held} · did not "
        "{not_held} · moved {moved}"
    ).format(**dataclasses.asdict(m))
    if m.mean_rating is not None:
        line += tx._(", mean rating {rating}/5").format(rating=f"{m.mean_rating:.1f}")
    return line


def dashboard_text(tx: Texts, forum: Forum, board: Dashboard) -> str:
    snap = board.snapshot
    countries = " · ".join(
        f"{tx.user(forum.flag_and_name(code, tx.language))} {n}" for code, n in board.countries
    )
    if countries:
        companies = tx._("<b>Companies</b>: {n} — {countries}").format(
            n=board.companies, countries=countries
        )
    else:
        companies = tx._("<b>Companies</b>: {n}").format(n=board.companies)
    sectors = [
        f"  {tx.user(forum.sector_label(key, tx.language))}: {n}" for key, n in board.top_sectors
    ] or ["  " + tx._("none yet")]
    lines = [
        tx._("📊 <b>Forum dashboard</b>"),
        "",
        tx._(
            "<b>Users</b>: {users} ({active} reachable, {blocked} blocked the bot, "
            "{organisers} promoted organisers)"
        ).format(
            users=snap.users,
            active=snap.active_users,
            blocked=snap.blocked_users,
            organisers=snap.organisers,
        ),
        companies,
        tx._("<b>Top sectors</b>:"),
        *sectors,
        "",
        funnel_text(tx, board.funnel),
        "",
        tx._("<b>Agenda</b>: {subscriptions} subscriptions by {subscribers} users").format(
            subscriptions=snap.subscriptions, subscribers=snap.subscribers
        ),
        tx._("<b>Broadcast copies</b>: {counts}").format(
            counts=delivery_counts(tx, board.broadcast_copies)
        ),
        tx._("<b>Session reminders</b>: {counts}").format(
            counts=delivery_counts(tx, board.reminders)
        ),
        meetings_line(tx, board.meetings),
    ]
    return "\n".join(lines)


@for_organisers
async def stats(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    services = context.services
    board = await dashboard(services)
    text = dashboard_text(tx, services.forum, board)
    unclaimed = await InvitationService(services).unclaimed_count()
    markup = None
    if unclaimed:
        text += "\n\n" + unclaimed_line(tx, unclaimed)
        markup = InlineKeyboardMarkup([invite_row(tx)])
    await reply(update, text, reply_markup=markup)
    await chat.send_photo(
        InputFile(board.chart, filename=tx.plain(tx._("companies_by_sector.png"))),
        caption=tx._("Companies by sector and country"),
    )
