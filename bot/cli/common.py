"""What several command-line commands share: the configuration exit code and the bot's @name."""

from __future__ import annotations

EXIT_CONFIG = 2


async def bot_username(token: str | None, base_url: str) -> str | None:
    """The bot's @name for claim links, asked from the Bot API; None when offline."""
    if not token:
        return None
    from telegram import Bot

    try:
        async with Bot(token, base_url=base_url) as bot:
            return bot.username
    except Exception:  # any failure only means the links are printed without the name
        return None
