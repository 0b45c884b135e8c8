"""A local SMTP server (aiosmtpd) for the tests and the demo: it keeps every e-mail it is
given, parsed, and refuses the addresses it is told to refuse, as a real server does at
RCPT time (``550 5.1.1 ... User unknown``)."""

from __future__ import annotations

import asyncio
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.config import SmtpSettings


class Mailbox:
    """``async with Mailbox() as mail:`` — a server on 127.0.0.1, port ``mail.port``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.port = 0
        self._server: asyncio.Server | None = None
        self._arrived = asyncio.Condition()

    async def __aenter__(self) -> Mailbox:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname="mail.localhost", loop=loop), "127.0.0.1", 0
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def env(self) -> dict[str, str]:
        """The bot's settings for this server (no TLS, no login: it is local)."""
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.port),
            "SMTP_FROM": "Forum organisers <forum@example.org>",
            "SMTP_STARTTLS": "false",
        }

    # -- aiosmtpd's handler hooks ---------------------------------------------------------
    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address.casefold() in {a.casefold() for a in self.refuse}:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content: Any = envelope.original_content or envelope.content or b""
        parsed = message_from_bytes(bytes(content), policy=default)
        assert isinstance(parsed, EmailMessage)
        async with self._arrived:
            self.messages.append(parsed)
            self._arrived.notify_all()
        return "250 2.0.0 Ok: queued"

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:  # noqa: ASYNC109
        """Wait until at least ``count`` e-mails arrived in all; returns them all."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: len(self.messages) >= count)
        return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.casefold() in str(m["To"]).casefold()]

    def settings(self) -> SmtpSettings:
        """The same as :meth:`env`, for a bot built in the test's own process."""
        return SmtpSettings(
            host="127.0.0.1",
            port=self.port,
            sender="Forum organisers <forum@example.org>",
            starttls=False,
            rate_per_minute=6000,
        )
