"""The callback context every handler receives: PTB's, plus the process's services; and the
runtime parts (the outbox sender) the Application keeps beside them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot

from bot.runtime.health import Heartbeat, Vitals
from bot.runtime.outbox import OutboxSender
from bot.services.container import Services

SERVICES_KEY = "services"
RUNTIME_KEY = "runtime"


@dataclass(frozen=True)
class Runtime:
    """What runs beside the services: the outbox sender (started and stopped with the bot),
    the vital signs and the heartbeat that writes them down."""

    sender: OutboxSender
    vitals: Vitals
    heartbeat: Heartbeat


class ForumContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        return cast(Services, self.bot_data[SERVICES_KEY])


ForumApplication = Application[
    ExtBot[None], ForumContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
