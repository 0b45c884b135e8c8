"""Buttons of the claim invitations (handlers.invitations): preview, send, cancel."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.callbacks.codec import CallbackData


@dataclass(frozen=True)
class InviteUnclaimed(CallbackData, prefix="iu"):
    """Show the invitations' preview (from /stats and the broadcast audience step)."""


@dataclass(frozen=True)
class InviteSend(CallbackData, prefix="is"):
    """Send the invitations the preview listed."""


@dataclass(frozen=True)
class InviteCancel(CallbackData, prefix="ic"):
    pass
