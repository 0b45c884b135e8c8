"""The sandbox server: an aiohttp Bot API emulator on 127.0.0.1 plus the Python API to act as
users, inspect what they received, wait for the bot, and inject faults.

Typical use::

    async with Sandbox() as sb:
        app = ApplicationBuilder().token(sb.token).base_url(sb.base_url)
                .base_file_url(sb.base_file_url).build()
        ...
        alice = sb.user(1001, "Alice")
        await alice.send("/start")
        await alice.expect("Welcome")
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .api import BotApi, Upload, decode_params
from .faults import DEFAULT_FAULT_METHODS, Fault
from .markup import utf16_len
from .state import ApiCall, ApiError, ChatState, Matcher, SentMessage
from .users import SandboxUser
from .webhook import WebhookAttempt, WebhookDeliverer

__all__ = ["Matcher", "Sandbox"]


def _matcher(match: Matcher) -> Callable[[SentMessage], bool]:
    if isinstance(match, str):
        return lambda m: match in (m.text or "")
    if isinstance(match, re.Pattern):
        pattern = match
        return lambda m: pattern.search(m.text or "") is not None
    return match


def _command_entities(text: str | None) -> list[dict[str, Any]]:
    if not text or not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0] if text.strip() else text
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


class Sandbox(BotApi):
    """A local Telegram Bot API emulator. See the module docstring."""

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_username: str = "forumbridge_test_bot",
        latency: float = 0.0,
        enforce_rate_limits: bool = False,
    ) -> None:
        # A fresh token per sandbox: a bot left over from an earlier test that finds this
        # sandbox on a reused port gets 401 instead of stealing its updates.
        token = token or f"{secrets.randbelow(10**9) + 10**8}:TEST-{secrets.token_hex(12)}"
        super().__init__(token, bot_username, enforce_rate_limits)
        self.latency = latency
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._users: dict[int, SandboxUser] = {}
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._ids = itertools.count(1)
        self._deliverer = WebhookDeliverer(self, self._busy)

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        """Start serving on 127.0.0.1 on an ephemeral port."""
        self._cond = asyncio.Condition()
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_post("/control/users/{user_id}/send", self._control_send)
        app.router.add_post("/control/users/{user_id}/press", self._control_press)
        app.router.add_get("/control/chats/{chat_id}", self._control_chat)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        address = self._runner.addresses[0]
        self.port = int(address[1])
        self._deliverer.start()

    async def stop(self) -> None:
        """Release pending long polls and stop the server."""
        self._closing = True
        await self._notify()
        await self._deliverer.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ HTTP layer

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def _busy(self, delta: int) -> None:
        self._in_flight += delta
        self._touch()

    @staticmethod
    async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, Upload] = {}
        if request.method != "POST" or not request.can_read_body:
            return raw, files
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON request body") from None
            if isinstance(body, dict):
                raw.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = Upload(value.filename, value.file.read(), value.content_type)
                else:
                    raw[key] = value
        return raw, files

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").to_json(), status=401)
        requested = request.match_info["method"]
        entry = self._methods.get(requested.lower())
        method = entry[0] if entry else requested
        is_poll = method == "getUpdates"
        call = ApiCall(method=method, params={}, time=time.monotonic())
        self.calls.append(call)
        if not is_poll:
            self._in_flight += 1
            self._touch()
        status = 200
        try:
            raw, files = await self._read_params(request)
            call.params = params = decode_params(raw, files)
            if self.latency > 0:
                await asyncio.sleep(self.latency / 2)
            if entry is None:
                raise ApiError(404, "Not Found: method not found")
            chat_id = params.get("chat_id")
            fault = self._faults.take(method, chat_id if isinstance(chat_id, int) else None)
            if fault is not None:
                error = fault.error()
                if error is not None:
                    raise error
                if fault.kind == "slow":
                    await asyncio.sleep(fault.delay)
            result = await entry[1](params, files)
            call.result = result
            body: dict[str, Any] = {"ok": True, "result": result}
            if fault is not None and fault.kind == "timeout":
                # Done (the message is in the chat), but the answer is late: the client
                # times out not knowing whether its call took effect.
                await self._notify()
                await self._hold_answer(request, fault.delay)
        except ApiError as exc:
            call.error = (exc.code, exc.description)
            body = exc.to_json()
            status = exc.code
        finally:
            call.done = True
            if not is_poll:
                self._in_flight -= 1
                self._touch()
        await self._notify()
        if self.latency > 0 and not self._closing:
            await asyncio.sleep(self.latency / 2)
        return web.json_response(body, status=status)

    async def _hold_answer(self, request: web.Request, seconds: float) -> None:
        """Wait ``seconds``, or until the client hangs up (it timed out) or we shut down."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._closing:
            transport = request.transport
            if transport is None or transport.is_closing():
                return
            await asyncio.sleep(0.02)

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if request.match_info["token"] == self.token:
            for stored in self._files.values():
                if stored.file_path == path:
                    return web.Response(body=stored.content, content_type=stored.mime_type)
        return web.json_response(ApiError(404, "Not Found").to_json(), status=404)

    async def _control_send(self, request: web.Request) -> web.Response:
        body = await request.json()
        update = await self.send_text(int(request.match_info["user_id"]), str(body["text"]))
        return web.json_response(update)

    async def _control_press(self, request: web.Request) -> web.Response:
        body = await request.json()
        try:
            update = await self.press(
                int(request.match_info["user_id"]),
                str(body["button"]),
                message_id=body.get("message_id"),
            )
        except LookupError as exc:
            return web.json_response({"error": str(exc)}, status=404)
        return web.json_response(update)

    async def _control_chat(self, request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        return web.json_response([m.to_json() for m in self.messages(chat_id)])

    # ------------------------------------------------------------------ users and chats

    def user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> SandboxUser:
        """Register a user and return its handle. Private chat id == user id. Calling it again
        for a known user returns the same handle and updates only the fields given explicitly
        (so ``sb.user(uid)`` never renames an existing user)."""
        existing = self._chats.get(user_id)
        if existing is not None and existing.user is not None:
            old = existing.user
            first_name = first_name if first_name != "User" else old["first_name"]
            last_name = last_name or old.get("last_name")
            username = username or old.get("username")
            if language_code == "en":
                language_code = old.get("language_code")
        info: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            info["last_name"] = last_name
        if username:
            info["username"] = username
        if language_code:
            info["language_code"] = language_code
        chat = {k: v for k, v in info.items() if k in ("id", "first_name", "last_name", "username")}
        chat["type"] = "private"
        state = self._chats.get(user_id)
        if state is None:
            self._chats[user_id] = ChatState(chat=chat, user=info)
        else:
            state.chat, state.user = chat, info
        handle = self._users.get(user_id)
        if handle is None:
            handle = self._users[user_id] = SandboxUser(self, user_id)
        return handle

    def group(self, chat_id: int, title: str = "Group", *, supergroup: bool = True) -> None:
        """Register a group chat (negative id) the bot is a member of, so it can send there."""
        chat = {"id": chat_id, "type": "supergroup" if supergroup else "group", "title": title}
        self._chats[chat_id] = ChatState(chat=chat, known=True)

    def _private(self, user_id: int) -> tuple[ChatState, dict[str, Any]]:
        if user_id not in self._users:
            self.user(user_id)
        chat = self._chats[user_id]
        assert chat.user is not None
        return chat, chat.user

    async def _push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, kind: payload}
        self._updates.append(update)
        self._bump()
        self._touch()
        await self._notify()
        return update

    async def _acting(self, user_id: int) -> tuple[ChatState, dict[str, Any]]:
        """Common start of every user action: mark chat known, unblock, move the cursor."""
        chat, user = self._private(user_id)
        if chat.blocked:
            await self.unblock(user_id)
        chat.known = True
        self._users[user_id].mark(len(chat.sent), self._version)
        return chat, user

    async def send_message(self, user_id: int, **fields: Any) -> dict[str, Any]:
        """The user sends a message with arbitrary content fields (photo, sticker, caption...)."""
        chat, user = await self._acting(user_id)
        message: dict[str, Any] = {
            "message_id": chat.new_message_id(),
            "from": user,
            "chat": chat.chat,
            "date": int(time.time()),
        }
        message.update(fields)
        chat.incoming[message["message_id"]] = message
        return await self._push_update("message", message)

    async def send_text(self, user_id: int, text: str) -> dict[str, Any]:
        """The user sends ``text``; a leading ``/command`` gets a bot_command entity."""
        fields: dict[str, Any] = {"text": text}
        entities = _command_entities(text)
        if entities:
            fields["entities"] = entities
        return await self.send_message(user_id, **fields)

    async def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "text/csv",
    ) -> dict[str, Any]:
        """The user uploads a document (downloadable by the bot via getFile)."""
        stored = self._new_file(filename, content, mime_type)
        fields: dict[str, Any] = {"document": stored.document_json()}
        if caption:
            fields["caption"] = caption
            entities = _command_entities(caption)
            if entities:
                fields["caption_entities"] = entities
        return await self.send_message(user_id, **fields)

    def _find_button(
        self, chat: ChatState, button: str, message_id: int | None
    ) -> tuple[SentMessage, str]:
        candidates = [m for m in reversed(chat.sent) if not m.deleted]
        if message_id is not None:
            candidates = [m for m in candidates if m.message_id == message_id]
        available: list[str] = []
        for msg in candidates:
            markup = msg.reply_markup or {}
            for row in markup.get("inline_keyboard") or []:
                for b in row:
                    available.append(f"#{msg.message_id}:{b.get('text')!r}")
                    if button in (b.get("text"), b.get("callback_data")):
                        if "callback_data" not in b:
                            raise LookupError(f"button {button!r} has no callback_data: {b}")
                        return msg, str(b["callback_data"])
        where = f"message #{message_id}" if message_id is not None else f"chat {chat.id}"
        raise LookupError(
            f"no inline button {button!r} in {where}; available: {', '.join(available) or 'none'}"
        )

    async def _callback(
        self, chat: ChatState, user: dict[str, Any], message: dict[str, Any], data: str
    ) -> dict[str, Any]:
        qid = str(4_000_000_000_000 + next(self._ids))
        self._callbacks[qid] = {"user_id": user["id"], "data": data}
        query = {
            "id": qid,
            "from": user,
            "message": message,
            "chat_instance": str(-(10**12) - chat.id),
            "data": data,
        }
        return await self._push_update("callback_query", query)

    async def press(
        self, user_id: int, button: str, *, message_id: int | None = None
    ) -> dict[str, Any]:
        """Press the inline button whose text or callback_data is ``button`` on the newest bot
        message having it (or on ``message_id``). Raises LookupError listing the buttons."""
        chat, user = self._private(user_id)
        msg, data = self._find_button(chat, button, message_id)
        chat, user = await self._acting(user_id)
        return await self._callback(chat, user, self.message_json(chat, msg), data)

    async def press_data(self, user_id: int, message_id: int, data: str) -> dict[str, Any]:
        """A callback query with arbitrary (possibly forged) data on ``message_id``."""
        chat, user = await self._acting(user_id)
        msg = chat.by_id.get(message_id)
        if msg is not None:
            message = self.message_json(chat, msg)
        else:  # InaccessibleMessage
            message = {"message_id": message_id, "chat": chat.chat, "date": 0}
        return await self._callback(chat, user, message, data)

    async def _member_update(self, user_id: int, old: str, new: str) -> dict[str, Any]:
        chat, user = self._private(user_id)
        bot = self.bot_from
        new_member: dict[str, Any] = {"user": bot, "status": new}
        old_member: dict[str, Any] = {"user": bot, "status": old}
        # Telegram always sends until_date for "kicked" (0 = forever); PTB requires it.
        for member in (new_member, old_member):
            if member["status"] == "kicked":
                member["until_date"] = 0
        payload = {
            "chat": chat.chat,
            "from": user,
            "date": int(time.time()),
            "old_chat_member": old_member,
            "new_chat_member": new_member,
        }
        return await self._push_update("my_chat_member", payload)

    async def block(self, user_id: int) -> None:
        """The user blocks the bot: my_chat_member "kicked"; sends then fail with 403."""
        chat, _ = self._private(user_id)
        chat.blocked = True
        self._users[user_id].mark(len(chat.sent), self._version)
        await self._member_update(user_id, "member", "kicked")

    async def unblock(self, user_id: int) -> None:
        """The user unblocks the bot: my_chat_member "member"."""
        chat, _ = self._private(user_id)
        chat.blocked = False
        chat.known = True
        await self._member_update(user_id, "kicked", "member")

    # ------------------------------------------------------------------ inspection and waiting

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Messages the bot sent to ``chat_id``, in send order, in their current state."""
        chat = self._chats.get(chat_id)
        return list(chat.sent) if chat else []

    def transcript(self, chat_id: int) -> str:
        """Readable list of what the bot sent to ``chat_id``."""
        lines = [m.describe() for m in self.messages(chat_id)]
        return "\n".join(lines) if lines else "(no messages)"

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The command list set with setMyCommands for ``scope`` (default scope if None)."""
        params = {"scope": scope or {"type": "default"}, "language_code": language_code}
        return list(self._commands.get(self._commands_key(params), []))

    @property
    def webhook_attempts(self) -> list[WebhookAttempt]:
        """Every POST of an update to the webhook, in order, with the status it got."""
        return list(self._deliverer.attempts)

    def calls_of(self, method: str) -> list[ApiCall]:
        """Calls of one Bot API method."""
        return [c for c in self.calls if c.method == method]

    async def _wait_message(
        self,
        chat_id: int,
        match: Matcher,
        *,
        timeout: float,  # noqa: ASYNC109
        after: int,
        edited_since: int,
        what: str,
    ) -> SentMessage:
        pred = _matcher(match)

        def find() -> SentMessage | None:
            for index, msg in enumerate(self.messages(chat_id)):
                fresh = index >= after
                edited = msg.edit_date is not None and msg.version > edited_since
                if (fresh or edited) and pred(msg):
                    return msg
            return None

        found = find()
        if found is not None:
            return found
        if self._cond is None:
            raise RuntimeError("sandbox is not started")
        try:
            async with self._cond:
                found = await asyncio.wait_for(self._cond.wait_for(find), timeout)
                assert found is not None
                return found
        except TimeoutError:
            raise AssertionError(
                f"timed out after {timeout}s waiting for {what} {match!r} in chat {chat_id}; "
                f"transcript:\n{self.transcript(chat_id)}"
            ) from None

    async def wait_for(
        self,
        chat_id: int,
        match: Matcher,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        after: int = 0,
    ) -> SentMessage:
        """Wait until a message in ``chat_id`` with index >= ``after`` (or any edited message)
        matches ``match`` (substring of text/caption, regex, or predicate)."""
        return await self._wait_message(
            chat_id, match, timeout=timeout, after=after, edited_since=-1, what="a message"
        )

    async def wait_answer(self, query_id: str, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Wait until the bot answered the callback query ``query_id``; return that answer
        (``text``, ``show_alert``, ``url``, ``cache_time``)."""
        if self._cond is None:
            raise RuntimeError("sandbox is not started")
        try:
            async with self._cond:
                await asyncio.wait_for(
                    self._cond.wait_for(lambda: query_id in self.callback_answers), timeout
                )
        except TimeoutError:
            raise AssertionError(
                f"timed out after {timeout}s waiting for an answer to callback query {query_id}"
            ) from None
        return self.callback_answers[query_id]

    async def wait_idle(self, quiet: float = 0.2, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Return once no bot call (other than getUpdates) nor user action happened for
        ``quiet`` seconds and none is in flight. Raises TimeoutError after ``timeout``."""
        if self._cond is None:
            raise RuntimeError("sandbox is not started")
        deadline = time.monotonic() + timeout
        async with self._cond:
            while True:
                now = time.monotonic()
                idle_for = now - self._last_activity
                if self._in_flight == 0 and idle_for >= quiet:
                    return
                if now >= deadline:
                    raise TimeoutError(f"sandbox not idle after {timeout}s")
                wait = quiet - idle_for if self._in_flight == 0 else quiet
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._cond.wait(), max(0.001, min(wait, deadline - now)))

    # ------------------------------------------------------------------ faults and rates

    def inject(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        count: int = 1,
        retry_after: int = 1,
        delay: float = 0.0,
        methods: tuple[str, ...] = DEFAULT_FAULT_METHODS,
        description: str = "",
    ) -> None:
        """Make the next ``count`` matching calls (-1: all) fail with ``kind``: "retry_after",
        "blocked", "chat_not_found", "bad_request" (a 400 saying ``description``),
        "server_error" (500), "bad_gateway" (502), "slow" (wait ``delay`` seconds, then carry
        the call out and answer) or "timeout" (carry the call out at once, then hold the answer
        back for ``delay`` seconds or until the client hangs up: the message has arrived but
        the client cannot know)."""
        self._faults.add(
            Fault(kind, chat_id, count, retry_after, delay, tuple(methods), description)
        )

    def clear_faults(self) -> None:
        self._faults.clear()

    def max_sends_per_second(self) -> int:
        """Most message sends (sendMessage/sendDocument/sendPhoto/copyMessage/forwardMessage)
        in any sliding one-second window."""
        return self._rate.max_per_second()

    @property
    def rate_violations(self) -> list[tuple[float, int]]:
        """(monotonic time, count) for each send that made a 1 s window exceed 30 sends."""
        return self._rate.violations
