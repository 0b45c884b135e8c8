"""Buttons of the claim invitations (handlers.invitations): preview, send, cancel."""

from __future__ import annotations

from handlers.callbacks.codec import CallbackData


class InviteUnclaimed(CallbackData, prefix="iu"):
    """Show the invitations' preview (from /stats and the broadcast audience step)."""


class InviteSend(CallbackData, prefix="is"):
    """Send the invitations the preview listed."""


class InviteCancel(CallbackData, prefix="ic"):
    pass
