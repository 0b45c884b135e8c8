"""Rendering of notices (``bot.services.notices``) for their recipient, at sending time.

Each feature module registers one renderer per notice kind with :func:`renderer`::

    @renderer("intro_declined")
    async def declined(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
        ...
        return Rendered(text=tx._("{name} cannot take your request further now.").format(...))

The outbox sender calls :func:`render` for every row whose method is a notice: it looks up
the recipient's language, calls the kind's renderer and gets back the Bot API method and its
arguments. A renderer returns ``None`` when there is nothing to say any more (the data is
gone, e.g. erased); the row is then dropped instead of sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.services.container import Services
from handlers.i18n import Texts, texts

Renderer = Callable[[Texts, Mapping[str, Any], Services], Awaitable["Rendered | None"]]
_RENDERERS: dict[str, Renderer] = {}


class UnknownNotice(LookupError):
    """A notice kind no renderer is registered for (a bug, or a row from a newer version)."""


@dataclass(frozen=True)
class Rendered:
    """A rendered notice: by default an HTML text message, with optional buttons."""

    text: str = ""
    reply_markup: InlineKeyboardMarkup | None = None
    method: str = "sendMessage"
    params: Mapping[str, Any] = field(default_factory=dict)

    def api_call(self) -> tuple[str, dict[str, Any]]:
        """The Bot API method and its arguments (without chat_id)."""
        arguments: dict[str, Any] = dict(self.params)
        if self.text:
            arguments.setdefault("text", self.text)
            arguments.setdefault("parse_mode", "HTML")
        if self.reply_markup is not None:
            arguments["reply_markup"] = self.reply_markup.to_dict()
        return self.method, arguments


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of one notice kind (one per kind, checked)."""

    def register(function: Renderer) -> Renderer:
        if kind in _RENDERERS and _RENDERERS[kind] is not function:
            raise ValueError(f"notice kind {kind!r} has two renderers")
        _RENDERERS[kind] = function
        return function

    return register


def kinds() -> frozenset[str]:
    return frozenset(_RENDERERS)


async def render(
    kind: str, data: Mapping[str, Any], language: str | None, services: Services
) -> tuple[str, dict[str, Any]] | None:
    """The Bot API call for one notice to a reader of ``language``, or None to drop it."""
    function = _RENDERERS.get(kind)
    if function is None:
        raise UnknownNotice(kind)
    rendered = await function(texts(language), data, services)
    return None if rendered is None else rendered.api_call()
