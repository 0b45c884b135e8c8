"""Introductions: Accept / Decline on a request, /intros (requests in and out, contact cards
of the accepted ones, the requests waiting for an answer), and the organisers' /matchstats
and /exportmatches. (The notices are handlers/intro_notices.py; the time-driven work —
expiry, the halfway reminders and the daily "new matches" digest — starts in
bot.runtime.jobs.)"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import Application, CommandHandler

from bot.runtime.context import ForumContext
from bot.services.funnel import compute as compute_funnel
from bot.services.introductions import ACCEPTED, DECLINED, EXPIRED, PENDING
from bot.services.intros_view import Listing, listing
from bot.services.matching import MatchStats
from handlers.callbacks import IntroAnswer, IntroAnswerBefore
from handlers.common import add_buttons, audit, for_organisers, reader, reply
from handlers.i18n import Texts
from handlers.match_texts import contact_card, outcome_text, state_label
from handlers.outcomes import funnel_text

log = logging.getLogger(__name__)

EXPORT_TOP_DEFAULT = 10
EXPORT_TOP_MAX = 100
BUTTON_NAME_LIMIT = 24


def _answer_of(data: object) -> IntroAnswer:
    if IntroAnswerBefore.filter()(data):
        before = IntroAnswerBefore.unpack(data)
        return IntroAnswer(before.intro_id, before.action == "acc")
    return IntroAnswer.unpack(data)


async def decide(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    assert query is not None
    data = _answer_of(query.data)
    tx = await reader(update, context)
    services = context.services
    done = await services.intros.decide(query.from_user.id, data.intro_id, accept=data.accept)
    text = outcome_text(tx, done, services.forum, services.settings)
    if not done.ok:
        # Refused or already answered: say so, change nothing.
        await query.answer(text, show_alert=True)
        return
    await query.answer()
    # Take this request's buttons away (the notice's only row, or its row in /intros).
    message = query.message
    rows = (
        list(message.reply_markup.inline_keyboard)
        if isinstance(message, Message) and message.reply_markup
        else []
    )
    kept = [row for row in rows if not any(_answers(b, data.intro_id) for b in row)]
    if len(kept) < len(rows):
        await query.edit_message_reply_markup(
            reply_markup=InlineKeyboardMarkup(kept) if kept else None
        )
    await reply(update, text)


def _answers(button: InlineKeyboardButton, intro_id: int) -> bool:
    """Whether the button answers this introduction (either way, either format)."""
    for kind in (IntroAnswer, IntroAnswerBefore):
        if kind.filter()(button.callback_data):
            return kind.unpack(button.callback_data).intro_id == intro_id
    return False


def _short(name: str) -> str:
    return name if len(name) <= BUTTON_NAME_LIMIT else name[: BUTTON_NAME_LIMIT - 1] + "…"


def listing_text(tx: Texts, found: Listing, context: ForumContext) -> str:
    if found.kind == "no_company":
        return tx._("You have no company yet, so no introductions. Register with /register.")
    if found.kind == "none":
        return tx._("No introductions yet. Send /matches to see your best matches and ask for one.")
    forum = context.services.forum
    lines = [tx._("<b>Introductions of {name}</b>").format(name=tx.user(found.company))]
    for title, items in (
        (tx._("<b>Requests to you</b>"), found.incoming),
        (tx._("<b>Your requests</b>"), found.outgoing),
    ):
        lines += ["", title]
        if not items:
            lines.append(tx._("none"))
        for item in items:
            other = tx.user(item.other) if item.other is not None else tx._("a deleted company")
            lines.append(f"• {other} — {state_label(tx, item.state)}")
    if found.introduced:
        lines += ["", tx._("<b>Contact details of your introductions</b>")]
        for pair in found.introduced:
            lines += [
                "",
                f"🤝 <b>{tx.user(pair.other)}</b>",
                tx._("<i>Their contact details:</i>"),
                contact_card(tx, pair.theirs, forum),
                tx._("<i>Yours, as they received them:</i>"),
                contact_card(tx, pair.ours, forum),
            ]
    if found.waiting:
        lines += ["", tx._("Answer the requests waiting for you with the buttons below.")]
    return "\n".join(lines)


def decision_rows(tx: Texts, waiting: list[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    """Accept / Decline per (introduction id, requester name), newest first."""
    rows = [
        [
            InlineKeyboardButton(
                tx._("✅ Accept {name}").format(name=tx.plain(_short(name))),
                callback_data=IntroAnswer(intro_id, True).pack(),
            ),
            InlineKeyboardButton(
                tx._("✖️ Decline {name}").format(name=tx.plain(_short(name))),
                callback_data=IntroAnswer(intro_id, False).pack(),
            ),
        ]
        for intro_id, name in waiting
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def intros_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    tx = await reader(update, context)
    found = await listing(context.services.intros, user.id)
    await reply(
        update, listing_text(tx, found, context), reply_markup=decision_rows(tx, found.waiting)
    )


def stats_text(tx: Texts, stats: MatchStats, funnel: str, context: ForumContext) -> str:
    """The organisers' figures; ``funnel`` is the one funnel (bot.services.funnel), as
    handlers.outcomes renders it: "has a match" has one definition, there."""
    forum = context.services.forum
    lines = [tx._("<b>Matching and introductions</b>"), ""]
    counted = [(forum.flag_and_name(c.code, tx.language), c.code) for c in forum.countries]
    # Companies of a country the forum file no longer has (another forum's database).
    counted += [(code, code) for code in sorted(stats.by_country) if code not in forum.codes]
    lines += [
        tx.n_("{country}: {n} company", "{country}: {n} companies", n).format(
            country=tx.user(label)
        )
        for label, code in counted
        for n in [stats.by_country.get(code, 0)]
    ]
    rate = f"{stats.acceptance:.0%}" if stats.acceptance is not None else "—"
    states = stats.states
    lines += [
        "",
        funnel,
        "",
        tx._("Requests sent: {n}").format(n=stats.sent),
        tx._("Accepted: {n}").format(n=states[ACCEPTED]),
        tx._("Declined: {n}").format(n=states[DECLINED]),
        tx._("Expired: {n}").format(n=states[EXPIRED]),
        tx._("Waiting: {n}").format(n=states[PENDING]),
        tx._("Acceptance rate: {rate} (of the {n} answered or expired)").format(
            rate=rate, n=stats.decided
        ),
        "",
        tx._("<b>Introduction notices not delivered</b>"),
        tx._("Given up (after retries, or the chat is gone): {n}").format(n=stats.notices_failed),
        tx._("Reps who blocked the bot: {n}").format(n=stats.notices_blocked),
        tx._("Timed out, maybe delivered (not sent again): {n}").format(n=stats.notices_unknown),
        tx._("Contact details of accepted introductions stay in /intros for both sides."),
    ]
    return "\n".join(lines)


@for_organisers
async def matchstats_command(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    services = context.services
    funnel = funnel_text(tx, await compute_funnel(services))
    await reply(update, stats_text(tx, await services.matching.stats(), funnel, context))


@for_organisers
async def exportmatches_command(
    update: Update, context: ForumContext, actor: int, tx: Texts
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    top = EXPORT_TOP_DEFAULT
    if context.args:
        raw = context.args[0]
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= EXPORT_TOP_MAX:
            await reply(
                update,
                tx._("Usage: /exportmatches [K], K a number from 1 to {max}.").format(
                    max=EXPORT_TOP_MAX
                ),
            )
            return
        top = int(raw)
    # English reasons, whoever asks: the file is for spreadsheets and colleagues. It is
    # sent from disk as it is read (a temporary file, deleted once sent).
    async with context.services.matching.export(top) as found:
        if not found.rows:
            await reply(update, tx._("There are no matches to export yet."))
            return
        await audit(context, actor, "export matches", f"top {top}, {found.rows} rows")
        with found.path.open("rb") as data:
            await chat.send_document(
                document=InputFile(
                    data, filename=tx.plain(f"matches-top{top}.csv"), read_file_handle=False
                ),
                caption=tx._("Top {top} matches: {rows} rows for {companies} companies.").format(
                    top=top, rows=found.rows, companies=found.companies
                ),
            )


def register(app: Application) -> None:
    add_buttons(app, {IntroAnswer: decide, IntroAnswerBefore: decide})
    app.add_handler(CommandHandler("intros", intros_command))
    app.add_handler(CommandHandler("matchstats", matchstats_command))
    app.add_handler(CommandHandler("exportmatches", exportmatches_command))
