"""A local Telegram Bot API emulator for end-to-end tests, benchmarks and the demo.

The real python-telegram-bot ``Application`` talks to it over HTTP
(``ApplicationBuilder().base_url(sb.base_url).base_file_url(sb.base_file_url)``); tests act as
users, read what users received, inject faults and check rate limits. See ``server.Sandbox``.
"""

from .markup import EntityParseError, parse_text, utf16_len
from .server import Matcher, Sandbox
from .state import ApiCall, ApiError, SentMessage, StoredFile
from .users import SandboxUser
from .webhook import WebhookAttempt

__all__ = [
    "ApiCall",
    "ApiError",
    "EntityParseError",
    "Matcher",
    "Sandbox",
    "SandboxUser",
    "SentMessage",
    "StoredFile",
    "WebhookAttempt",
    "parse_text",
    "utf16_len",
]
