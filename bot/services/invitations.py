"""Claim invitations: e-mail every imported company that nobody has claimed in Telegram its
claim link (with a QR code), behind ``/invite_unclaimed`` and ``python -m bot
send-invitations``.

A run sends an invitation to each unclaimed company not invited yet, and one reminder to
those invited at least ``REMIND_AFTER`` ago and still unclaimed; a company whose address
bounced is tried again only after its profile changed (a re-import with a new address).
Each attempt is recorded before the e-mail goes out and finished with the server's answer
(sent / bounced / failed), so a second run, or two at once, never mail a company twice.
Sends are paced to ``SMTP_RATE`` a minute. Without SMTP settings nothing is sent: the
organisers get the links as a mail-merge CSV instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiosmtplib

from bot.config import SMTP_SETTINGS, SmtpSettings
from bot.domain.invitation_mail import (
    Invitation,
    claim_qr_png,
    mail_merge_csv,
    message,
    without_address,
)
from bot.services.container import Services
from storage.invitations import (
    BOUNCED,
    FAILED,
    INVITATION,
    REMINDER,
    SENT,
    InvitationRepository,
    Unclaimed,
)
from storage.links import CLAIM
from storage.outbox import PRIORITY_URGENT

log = logging.getLogger(__name__)

REMIND_AFTER = timedelta(days=3)
SMTP_TIMEOUT_SECONDS = 30.0
DONE_NOTICE = "invitations_done"
TIMER = "invitations:send"
Sleep = Callable[[float], Awaitable[object]]

__all__ = ["SMTP_SETTINGS", "Candidate", "InvitationService", "Plan", "RunReport"]


@dataclass(frozen=True)
class Candidate:
    """One e-mail a run would send."""

    company_id: int
    name: str
    contact_name: str | None
    email: str
    kind: str  # INVITATION or REMINDER


@dataclass(frozen=True)
class Plan:
    """What a run would do now."""

    invitations: list[Candidate]
    reminders: list[Candidate]
    waiting: int  # invited less than REMIND_AFTER ago
    finished: int  # invited and reminded: nothing more to send
    bounced: list[tuple[str, str]]  # (company, server's answer): address unchanged since
    no_email: int
    unclaimed: int
    mail_ready: bool  # SMTP settings are there

    @property
    def to_send(self) -> list[Candidate]:
        return [*self.invitations, *self.reminders]


@dataclass
class RunReport:
    """What a run did. ``kind``: "sent" (it ran), "not_configured", "unreachable",
    "no_link" (the bot's @name is unknown, so there is no link to send)."""

    kind: str
    invitations: int = 0
    reminders: int = 0
    bounced: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0  # another run got there first
    error: str = ""

    @property
    def sent(self) -> int:
        return self.invitations + self.reminders

    def as_data(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "invitations": self.invitations,
            "reminders": self.reminders,
            "bounced": len(self.bounced),
            "failed": len(self.failed),
            "skipped": self.skipped,
            "error": self.error,
        }


def claim_link(bot_username: str | None, payload: str) -> str:
    if bot_username:
        return f"https://t.me/{bot_username}?start={payload}"
    # Without the bot's name (offline) the payload is what the rep needs.
    return f"?start={payload}"


def _at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


class InvitationService:
    def __init__(self, services: Services, *, sleep: Sleep = asyncio.sleep) -> None:
        self.services = services
        self.repo = InvitationRepository(services.db)
        self.sleep = sleep

    @property
    def smtp(self) -> SmtpSettings | None:
        return self.services.settings.smtp

    async def unclaimed_count(self) -> int:
        """Imported companies nobody has claimed: not reachable in Telegram."""
        return await self.repo.count_unclaimed()

    async def plan(self) -> Plan:
        now = self.services.clock.now()
        invitations: list[Candidate] = []
        reminders: list[Candidate] = []
        bounced: list[tuple[str, str]] = []
        waiting = finished = no_email = 0
        companies = await self.repo.unclaimed()
        for company in companies:
            if not company.contact_email:
                no_email += 1
                continue
            kind = self._next(company, now)
            if kind == "bounced":
                bounced.append((company.name, company.bounce_answer))
            elif kind == "waiting":
                waiting += 1
            elif kind == "finished":
                finished += 1
            else:
                target = invitations if kind == INVITATION else reminders
                target.append(
                    Candidate(
                        company.company_id,
                        company.name,
                        company.contact_name,
                        company.contact_email,
                        kind,
                    )
                )
        return Plan(
            invitations=invitations,
            reminders=reminders,
            waiting=waiting,
            finished=finished,
            bounced=bounced,
            no_email=no_email,
            unclaimed=len(companies),
            mail_ready=self.smtp is not None,
        )

    @staticmethod
    def _next(company: Unclaimed, now: datetime) -> str:
        if company.invited_at is None:
            # A bounced address is tried again only once the profile changed after the bounce.
            if company.bounced_at is not None and company.updated_at <= company.bounced_at:
                return "bounced"
            return INVITATION
        if company.reminded:
            return "finished"
        if now - _at(company.invited_at) >= REMIND_AFTER:
            return REMINDER
        return "waiting"

    async def _link(self, company_id: int, bot_username: str | None) -> str:
        now = self.services.clock.now()
        links = self.services.links
        link = await links.open_claim(company_id, now=now)
        if link is None:
            link = await links.create(company_id, CLAIM, now=now)
        return claim_link(bot_username, link.payload)

    async def _invitation(self, candidate: Candidate, bot_username: str | None) -> Invitation:
        return Invitation(
            forum=self.services.forum.name,
            company=candidate.name,
            contact_name=candidate.contact_name,
            to=candidate.email,
            link=await self._link(candidate.company_id, bot_username),
            reminder=candidate.kind == REMINDER,
        )

    async def mail_merge(self, bot_username: str | None) -> str:
        """Every unclaimed company with an address, for the organisers' own mail merge."""
        plan = await self.plan()
        return mail_merge_csv([await self._invitation(c, bot_username) for c in plan.to_send])

    async def send(self, bot_username: str | None) -> RunReport:
        """Send what :meth:`plan` lists, paced, recording each attempt."""
        smtp = self.smtp
        if smtp is None:
            return RunReport("not_configured")
        if not bot_username:
            return RunReport("no_link")
        plan = await self.plan()
        report = RunReport("sent")
        if not plan.to_send:
            return report
        try:
            client = aiosmtplib.SMTP(
                hostname=smtp.host,
                port=smtp.port,
                username=smtp.user or None,
                password=smtp.password or None,
                use_tls=smtp.port == 465,
                start_tls=smtp.starttls if smtp.port != 465 else False,
                timeout=SMTP_TIMEOUT_SECONDS,
            )
            async with client:
                await self._send_all(client, smtp, plan.to_send, bot_username, report)
        except (aiosmtplib.SMTPException, OSError) as exc:
            # Connecting or logging in failed, or the server went away mid-run: what was
            # sent is recorded; the rest waits for the next run.
            report.kind = "unreachable" if report.sent == 0 else report.kind
            report.error = f"{smtp.host}:{smtp.port}: {exc}"
            log.warning("invitations: %s", report.error)
        return report

    async def _send_all(
        self,
        client: aiosmtplib.SMTP,
        smtp: SmtpSettings,
        candidates: list[Candidate],
        bot_username: str,
        report: RunReport,
    ) -> None:
        pause = 60.0 / smtp.rate_per_minute
        first = True
        for candidate in candidates:
            attempt = await self.repo.reserve(
                candidate.company_id, candidate.kind, now=self.services.clock.now()
            )
            if attempt is None:
                report.skipped += 1
                continue
            if not first:
                await self.sleep(pause)
            first = False
            invitation = await self._invitation(candidate, bot_username)
            mail = message(invitation, smtp.sender, claim_qr_png(invitation.link))
            state, answer = await self._deliver(client, mail, candidate.email)
            await self.repo.finish(attempt, state, answer, now=self.services.clock.now())
            if state == SENT:
                if candidate.kind == REMINDER:
                    report.reminders += 1
                else:
                    report.invitations += 1
            elif state == BOUNCED:
                report.bounced.append((candidate.name, answer))
            else:
                report.failed.append((candidate.name, answer))

    @staticmethod
    async def _deliver(client: aiosmtplib.SMTP, mail: object, address: str) -> tuple[str, str]:
        """(state, the server's answer without the address). 5xx is a bounce, for good;
        4xx is a failure for now (the next run tries again)."""
        try:
            _, response = await client.send_message(mail)  # type: ignore[arg-type]
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients[0]
            state = BOUNCED if refused.code >= 500 else FAILED
            return state, without_address(f"{refused.code} {refused.message}", address)
        except aiosmtplib.SMTPResponseException as exc:
            if isinstance(exc, aiosmtplib.SMTPServerDisconnected):
                raise
            state = BOUNCED if exc.code >= 500 else FAILED
            return state, without_address(f"{exc.code} {exc.message}", address)
        return SENT, without_address(response, address)

    # -- in the running bot --------------------------------------------------------------
    def start(self, actor_id: int, bot_username: str | None) -> None:
        """Send in the background (a long run must not hold the organiser's chat) and tell
        the organiser the outcome as a notice."""
        started = self.services.clock.now()

        async def run() -> None:
            report = await self.send(bot_username)
            log.info("invitations: %s", report.as_data())
            await self.services.notifier.tell(
                [actor_id],
                DONE_NOTICE,
                {**report.as_data(), "started": started.isoformat()},
                key=f"invitations:{started.isoformat()}",
                priority=PRIORITY_URGENT,
            )

        self.services.timers.at(TIMER, started, run)

    async def bounces_since(self, since: str) -> list[tuple[str, str]]:
        """(company, the server's answer) of the addresses refused since ``since``."""
        return [
            (r.company_name, r.answer)
            for r in await self.repo.all()
            if r.state == BOUNCED and r.created_at >= since
        ]
