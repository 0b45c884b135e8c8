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
)


def user_commands() -> list[Command]:
    return [c for c in COMMANDS if not c.organiser_only]


def organiser_commands() -> list[Command]:
    """Everything an organiser can use: the user commands first, then organiser-only ones."""
    return user_commands() + [c for c in COMMANDS if c.organiser_only]
