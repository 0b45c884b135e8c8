"""The Bot API methods about files, chats and the bot's profile: ``getFile``, ``getChat``,
the command menus per scope and language, and the name and description setters."""

from __future__ import annotations

import json
import re
from typing import Any

from ..state import bad_request
from .base import ApiBase
from .params import Upload

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class ChatMethods(ApiBase):
    """Files, chats, commands and the bot's description."""

    async def api_getFile(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        stored = self._files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        return stored.file_json()

    async def api_getChat(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat = self._chat_or_404(p.get("chat_id"))
        info = dict(chat.chat)
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        return info

    @staticmethod
    def _commands_key(p: dict[str, Any]) -> str:
        scope = p.get("scope") if isinstance(p.get("scope"), dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True) + "|" + str(p.get("language_code") or "")

    async def api_setMyCommands(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_RE.match(str(cmd.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            desc = cmd.get("description")
            if not isinstance(desc, str) or not 1 <= len(desc) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(p)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def api_getMyCommands(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return self._commands.get(self._commands_key(p), [])

    async def api_deleteMyCommands(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        self._commands.pop(self._commands_key(p), None)
        return True

    async def api_setMyDescription(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_setMyShortDescription(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_setMyName(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_setChatMenuButton(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True
