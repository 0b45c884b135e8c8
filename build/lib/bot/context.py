"""The callback context every handler receives: PTB's, plus the process's services."""

from __future__ import annotations

from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services

SERVICES_KEY = "services"


class ForumContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        return cast(Services, self.bot_data[SERVICES_KEY])


ForumApplication = Application[
    ExtBot[None], ForumContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
