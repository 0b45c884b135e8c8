"""The claim invitation as an e-mail (and as a mail-merge file): pure code, no sending.

An imported company's contact gets a short text in the forum's name with the company's
claim link and a QR code of the link (PNG, made with segno), so that it can be opened on a
phone from a printed or on-screen copy. When no mail server is set up, the organisers get
the same links as a CSV for their own mail merge.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

import segno

from bot.domain.spreadsheet import safe_csv

QR_FILENAME = "claim-link-qr.png"
MAIL_MERGE_COLUMNS = ("company", "contact_name", "contact_email", "claim_link")
# A PNG scale that prints at a size a phone camera reads from across a desk.
QR_SCALE = 8


@dataclass(frozen=True)
class Invitation:
    """What one invitation says, to whom."""

    forum: str
    company: str
    contact_name: str | None
    to: str
    link: str
    reminder: bool = False


def claim_qr_png(link: str) -> bytes:
    """The claim link as a QR code, PNG bytes."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=QR_SCALE, border=4)
    return out.getvalue()


def subject(invitation: Invitation) -> str:
    if invitation.reminder:
        return f"Reminder: {invitation.company} is waiting for you on the {invitation.forum} bot"
    return f"{invitation.forum}: take over {invitation.company} in our Telegram bot"


def body(invitation: Invitation) -> str:
    greeting = f"Dear {invitation.contact_name}," if invitation.contact_name else "Hello,"
    opening = (
        "a few days ago we invited you to the forum's Telegram bot, and your company is still "
        "waiting for a representative there."
        if invitation.reminder
        else f"{invitation.company} takes part in the {invitation.forum}, and its profile is "
        "already in the forum's Telegram bot, from the list of the associations."
    )
    return "\n".join(
        [
            greeting,
            "",
            opening,
            "",
            "Open this link in Telegram to take the company over (or scan the QR code attached):",
            invitation.link,
            "",
            "As its representative you can keep the profile up to date, see your best partners "
            "from the other country, accept introductions, and get the agenda and reminders "
            "in your time zone. Contact details are shared only when both sides say yes.",
            "",
            "The link is for your company only; please do not forward it.",
            "",
            f"The organisers of the {invitation.forum}",
        ]
    )


def message(invitation: Invitation, sender: str, qr_png: bytes) -> EmailMessage:
    """The e-mail: a plain text and the QR code as a PNG attachment."""
    mail = EmailMessage()
    mail["Subject"] = subject(invitation)
    mail["From"] = sender
    mail["To"] = (
        Address(display_name=invitation.contact_name, addr_spec=invitation.to)
        if invitation.contact_name
        else invitation.to
    )
    domain = sender.rsplit("@", 1)[-1].strip(">") if "@" in sender else None
    mail["Message-ID"] = make_msgid(domain=domain)
    mail.set_content(body(invitation))
    mail.add_attachment(qr_png, maintype="image", subtype="png", filename=QR_FILENAME)
    return mail


def mail_merge_csv(invitations: list[Invitation]) -> str:
    """``company,contact_name,contact_email,claim_link``, formulas defused."""
    return safe_csv(
        MAIL_MERGE_COLUMNS,
        ((inv.company, inv.contact_name or "", inv.to, inv.link) for inv in invitations),
    )


def without_address(answer: str, address: str) -> str:
    """The server's answer, kept for the organisers, without the recipient's address."""
    if not address:
        return answer.strip()
    return re.sub(re.escape(address), "<address>", answer, flags=re.IGNORECASE).strip()
