"""The Bot API methods about the bot itself and how it gets updates: ``getMe``, ``logOut``,
``close``, long polling (``getUpdates``, with its 409 conflicts) and the webhook methods."""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any
from urllib.parse import urlsplit

from ..state import LOCAL_HOSTS, ApiError, bad_request
from .base import DEFAULT_UPDATE_TYPES, ApiBase
from .params import Upload

_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class UpdateMethods(ApiBase):
    """getMe, logOut, close, getUpdates, setWebhook, deleteWebhook, getWebhookInfo."""

    async def api_getMe(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return self.bot_user

    async def api_logOut(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_close(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_getUpdates(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.get("offset")
        limit = p.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        timeout = p.get("timeout")
        timeout = max(timeout, 0) if isinstance(timeout, int) else 0
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
        # updates of types the bot did not ask for are never delivered
        self._updates = self._deliverable()
        self._poll_generation += 1
        generation = self._poll_generation
        await self._notify()  # a pending older poll is answered with 409 Conflict

        def ready() -> bool:
            return bool(self._deliverable()) or generation != self._poll_generation or self._closing

        if timeout > 0 and not ready() and self._cond is not None:
            async with self._cond:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._cond.wait_for(ready), timeout)
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        if self._closing:
            return []
        return self._deliverable()[:limit]

    async def api_setWebhook(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        url = str(p.get("url") or "")
        secret = str(p.get("secret_token") or "")
        if url:
            parts = urlsplit(url)
            # Telegram wants https; the sandbox also takes http to this machine, as a
            # self-hosted Bot API server does.
            local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
            if parts.scheme != "https" and not local:
                raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if not parts.hostname:
                raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
        if secret and not _SECRET_RE.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        self.webhook_url, self.webhook_secret = url, secret if url else ""
        self.webhook_last_error = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        await self._notify()  # the deliverer starts on what is pending
        return True

    async def api_deleteWebhook(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        self.webhook_url, self.webhook_secret = "", ""
        self.webhook_last_error = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def api_getWebhookInfo(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._deliverable()),
        }
        if self.webhook_url:
            info["max_connections"] = 40
            info["allowed_updates"] = sorted(self._allowed_updates)
        if self.webhook_last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_last_error
        return info
