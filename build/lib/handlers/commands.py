"""The bot's command list: what /help shows and what Telegram's command menu offers.

Each feature adds its commands here, so /help and ``set_my_commands`` never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    organiser_only: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("start", "Welcome and main menu"),
    Command("help", "What I can do"),
    Command("cancel", "Stop what you are doing"),
    Command("register", "Register your company"),
    Command("profile", "Your company profile: edit, pause, invite a colleague"),
    Command("mydata", "Everything stored about you, as a JSON file"),
    Command("deleteme", "Erase your data (and your company if you are its last rep)"),
    Command("import", "Import companies (send a CSV file with this caption)", organiser_only=True),
    Command("export", "Export all companies as CSV", organiser_only=True),
    Command("agenda", "The agenda in your time zone; subscribe to sessions"),
    Command("timezone", "Set your time zone"),
    Command("reminders", "When to remind you before sessions"),
    Command("ics", "Your sessions as a calendar file (.ics)"),
    Command("agenda_import", "Import the agenda: caption of a CSV/.ics", organiser_only=True),
    Command("broadcast", "Send a message to everyone or a segment", organiser_only=True),
    Command("broadcasts", "Past and scheduled broadcasts, with reports", organiser_only=True),
    Command("stats", "Dashboard: users, companies, funnel, chart", organiser_only=True),
    Command("promote", "Make a user an organiser (@username or id)", organiser_only=True),
    Command("demote", "Take the organiser role away", organiser_only=True),
    Command("audit", "The last 50 organiser actions", organiser_only=True),
    Command("matches", "Your best partners from the other country"),
    Command("intros", "Your introduction requests, in and out"),
    Command("matchstats", "Matching and introduction figures", organiser_only=True),
    Command("exportmatches", "Top K matches per company as CSV", organiser_only=True),
)


def user_commands() -> list[Command]:
    return [c for c in COMMANDS if not c.organiser_only]


def organiser_commands() -> list[Command]:
    """Everything an organiser can use: the user commands first, then organiser-only ones."""
    return user_commands() + [c for c in COMMANDS if c.organiser_only]
