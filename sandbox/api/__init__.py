"""The Telegram side of the sandbox: chats, updates, files and the Bot API methods themselves.

``BotApi`` implements each supported method as ``api_<methodName>(params, files)`` working on
decoded parameters and returning the JSON ``result`` or raising :class:`ApiError`. It knows
nothing about HTTP; ``server.Sandbox`` adds the HTTP layer, user actions and waiting helpers.
The state and shared helpers are in ``base``, the methods in one module per group.
"""

from __future__ import annotations

from .chats import ChatMethods
from .editing import EditingMethods
from .params import Upload, decode_params
from .sending import SendingMethods
from .updates import UpdateMethods

__all__ = ["BotApi", "Upload", "decode_params"]


class BotApi(UpdateMethods, SendingMethods, EditingMethods, ChatMethods):
    """State of the emulated Telegram and the Bot API method implementations."""
