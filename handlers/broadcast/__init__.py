"""Organiser broadcasts in the chat: the /broadcast conversation (compose), /broadcasts and
the Stop / Cancel buttons (manage), the progress message and the delivery report (notices,
rendered when the outbox sends them) and how all of it reads (texts)."""

from __future__ import annotations

from telegram.ext import Application, CommandHandler

from handlers.broadcast import notices
from handlers.broadcast.compose import build_broadcast_conversation
from handlers.broadcast.manage import cancel_pressed, list_broadcasts, stop_pressed
from handlers.callbacks import BroadcastCancel, BroadcastStop
from handlers.common import add_buttons

# Imported for its notice renderers.
__all__ = ["notices", "register"]


def register(app: Application) -> None:
    app.add_handler(build_broadcast_conversation())
    app.add_handler(CommandHandler("broadcasts", list_broadcasts))
    add_buttons(app, {BroadcastStop: stop_pressed, BroadcastCancel: cancel_pressed})
