"""The bot's command list: what /help shows and what Telegram's command menu offers.

Each feature adds its commands here, so /help and ``set_my_commands`` never disagree. The
descriptions are English message ids, translated where they are shown (``tx._``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.domain.languages import DEFAULT_LANGUAGE, LANGUAGES
from bot.services.container import Services
from handlers.i18n import N_, Texts, texts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    organiser_only: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Welcome and main menu")),
    Command("help", N_("What I can do")),
    Command("cancel", N_("Stop what you are doing")),
    Command("register", N_("Register your company")),
    Command("profile", N_("Your company profile: edit, pause, invite a colleague")),
    Command("mydata", N_("Everything stored about you, as a JSON file")),
    Command("deleteme", N_("Erase your data (and your company if you are its last rep)")),
    Command(
        "import", N_("Import companies (send a CSV file with this caption)"), organiser_only=True
    ),
    Command("export", N_("Export all companies as CSV"), organiser_only=True),
    Command("agenda", N_("The agenda in your time zone; subscribe to sessions")),
    Command("timezone", N_("Set your time zone")),
    Command("language", N_("Choose your language: English, Română, اردو")),
    Command("reminders", N_("When to remind you before sessions")),
    Command("ics", N_("Your sessions as a calendar file (.ics)")),
    Command("agenda_import", N_("Import the agenda: caption of a CSV/.ics"), organiser_only=True),
    Command("broadcast", N_("Send a message to everyone or a segment"), organiser_only=True),
    Command("broadcasts", N_("Past and scheduled broadcasts, with reports"), organiser_only=True),
    Command("stats", N_("Dashboard: users, companies, funnel, chart"), organiser_only=True),
    Command("promote", N_("Make a user an organiser (@username or id)"), organiser_only=True),
    Command("demote", N_("Take the organiser role away"), organiser_only=True),
    Command("audit", N_("The last 50 organiser actions"), organiser_only=True),
    Command("matches", N_("Your best partners from the other country")),
    Command("intros", N_("Your introduction requests, in and out")),
    Command("companies", N_("Browse and search the companies; ask for an introduction")),
    Command("matchstats", N_("Matching and introduction figures"), organiser_only=True),
    Command("exportmatches", N_("Top K matches per company as CSV"), organiser_only=True),
    Command(
        "invite_unclaimed", N_("E-mail claim links to unclaimed companies"), organiser_only=True
    ),
    Command("report", N_("The forum's results as an Excel workbook"), organiser_only=True),
    Command("meetings", N_("Your 1:1 meetings: book, reschedule, cancel")),
    Command("availability", N_("Meeting slots your company cannot attend")),
    Command("schedule", N_("Place meetings with the optimal scheduler"), organiser_only=True),
    Command("meetings_all", N_("Every meeting slot with its meetings"), organiser_only=True),
)


def user_commands() -> list[Command]:
    return [c for c in COMMANDS if not c.organiser_only]


def organiser_commands() -> list[Command]:
    """Everything an organiser can use: the user commands first, then organiser-only ones."""
    return user_commands() + [c for c in COMMANDS if c.organiser_only]


def menu(commands: Sequence[Command], tx: Texts) -> list[BotCommand]:
    """The command menu in the reader's language."""
    return [BotCommand(c.name, tx._(c.description)) for c in commands]


async def publish(bot: Bot, services: Services) -> None:
    """Telegram's command menu: the user commands for everyone, in each language we speak
    (Telegram picks by the client's language), and the organiser commands in each
    organiser's own chat, in the language they read."""
    await bot.set_my_commands(menu(user_commands(), texts()), scope=BotCommandScopeDefault())
    for language in LANGUAGES:
        if language != DEFAULT_LANGUAGE:
            await bot.set_my_commands(
                menu(user_commands(), texts(language)),
                scope=BotCommandScopeDefault(),
                language_code=language,
            )
    organiser_ids = set(services.settings.admin_ids)
    organiser_ids.update(u.telegram_id for u in await services.users.organisers())
    for user_id in sorted(organiser_ids):
        await publish_for_organiser(bot, services, user_id)


async def publish_for_organiser(bot: Bot, services: Services, user_id: int) -> None:
    tx = texts(await services.languages.of(user_id))
    try:
        await bot.set_my_commands(
            menu(organiser_commands(), tx), scope=BotCommandScopeChat(user_id)
        )
    except TelegramError as exc:
        # An organiser who never opened the bot has no chat yet; not a reason to stop.
        log.warning("organiser=%s command menu not set: %s", user_id, exc)
