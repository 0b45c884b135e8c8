"""The HTTP transport to the Bot API: PTB's ``BaseRequest`` on aiohttp, or PTB's own httpx one.

PTB talks to Telegram through a ``telegram.request.BaseRequest``; its default, ``HTTPXRequest``,
costs about twice the CPU per request of aiohttp (bench/throughput.py). :class:`AiohttpRequest`
keeps ``HTTPXRequest``'s contract — the same constructor arguments and defaults, per-call
timeouts where ``DEFAULT_NONE`` means "this object's default", multipart uploads, a timeout
raised as ``TimedOut`` and any other transport failure as ``NetworkError`` — and leaves the
reading of Telegram's answers (``BadRequest``, ``RetryAfter``, ...) to ``BaseRequest.post``,
which gets the status code and body untouched.

``HTTP_TRANSPORT`` picks one; :func:`build_requests` makes the pair the bot needs (replies, and
the long poll on its own connection).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import urllib.request
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import aiohttp
from aiohttp import payload
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.config import TRANSPORTS

if TYPE_CHECKING:
    from aiohttp.abc import AbstractStreamWriter

    from bot.config import Settings

log = logging.getLogger(__name__)

PROXY_SCHEMES: Final = ("http", "https")
# The long poll waits up to its own `timeout` on top of this (PTB adds the two).
GET_UPDATES_READ_TIMEOUT: Final = 30.0

# asyncio's transports and aiohttp's writer wait for the socket only past 64 KiB buffered, so a
# body this small (plus its headers) is handed over without waiting, whatever the peer does.
_NEVER_WAITS: Final = 2**15
_POOL_TIMEOUT_MESSAGE: Final = (
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* "
    "sent to Telegram. Consider adjusting the connection pool size or the pool timeout."
)


class _WriteDeadline(payload.Payload):
    """A request body that must be written within ``timeout`` seconds.

    aiohttp has no write timeout of its own, and it starts its read timeout only once the body
    is out, so a peer that stops reading would otherwise hang an upload for ever. aiohttp reports
    the ``TimeoutError`` raised here from the pending response, where it becomes ``TimedOut``.
    """

    def __init__(self, inner: payload.Payload, timeout: float | None) -> None:
        super().__init__(inner, headers=inner.headers, content_type=inner.content_type)
        self._inner = inner
        self._timeout = timeout

    @property
    def size(self) -> int | None:
        return self._inner.size

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return self._inner.decode(encoding, errors)

    async def write(self, writer: AbstractStreamWriter) -> None:
        async with asyncio.timeout(self._timeout):
            await self._inner.write(writer)

    async def write_with_length(
        self, writer: AbstractStreamWriter, content_length: int | None
    ) -> None:
        async with asyncio.timeout(self._timeout):
            await self._inner.write_with_length(writer, content_length)

    async def close(self) -> None:
        await self._inner.close()


def _body(request_data: RequestData | None) -> payload.Payload | None:
    """The parameters as JSON, or as multipart/form-data when there are files.

    httpx sends form-encoded parameters; the Bot API takes JSON bodies as well (every value a
    string holding its JSON, as ``RequestData.json_payload`` gives), and encoding them is a
    third of the cost of ``urlencode``'s per-character quoting.
    """
    if request_data is None:
        return None
    parameters = request_data.json_parameters  # each value JSON-encoded: worth doing once
    if not request_data.contains_files:
        if not parameters:
            return None
        # What RequestData.json_payload gives, without encoding every value a second time.
        body = json.dumps(parameters).encode()
        return payload.BytesPayload(body, content_type="application/json")
    # Raw UTF-8 file names, as httpx sends them: aiohttp's default would percent-encode them
    # and Telegram would show the escapes.
    form = aiohttp.FormData(quote_fields=False)
    for name, value in parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        # A stream, not bytes: aiohttp then writes it in chunks, minding backpressure.
        stream = io.BytesIO(content) if isinstance(content, bytes) else content
        form.add_field(name, stream, filename=filename, content_type=mimetype)
    return form()


def _with_write_timeout(
    body: payload.Payload | None, timeout: float | None
) -> payload.Payload | None:
    # A small body is written without waiting (see _NEVER_WAITS): there is nothing to time
    # out, and a timer would be pure cost on nearly every request.
    if body is None or timeout is None or (body.size is not None and body.size < _NEVER_WAITS):
        return body
    return _WriteDeadline(body, timeout)


_DefaultValue: Final = type(BaseRequest.DEFAULT_NONE)


def _timeout(value: object, default: float | None) -> float | None:
    """A per-call timeout: not passed (PTB's ``DEFAULT_NONE``) means this object's default,
    ``None`` means no limit."""
    if isinstance(value, _DefaultValue):
        return default
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"a timeout must be a number of seconds or None, not {value!r}")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class AiohttpRequest(BaseRequest):
    """``telegram.request.BaseRequest`` on aiohttp; arguments as for ``HTTPXRequest``.

    ``connection_pool_size`` connections at most; a request that finds them all busy waits up to
    ``pool_timeout`` and then fails with ``TimedOut`` without being sent. ``proxy`` is an
    ``http://`` or ``https://`` URL (aiohttp has no SOCKS); without one, ``HTTPS_PROXY`` /
    ``HTTP_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY`` from the environment apply, as with httpx.
    Only HTTP/1.1 (aiohttp's client has no HTTP/2).
    """

    __slots__ = (
        "_connect_timeout",
        "_env_proxies",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxy",
        "_read_timeout",
        "_session",
        "_slots",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        proxy: str | None = None,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        if proxy is not None and urlsplit(proxy).scheme not in PROXY_SCHEMES:
            raise ValueError(f"proxy must be an http:// or https:// URL, not {proxy!r}")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxy = proxy
        self._env_proxies: dict[str, str | None] = {}
        self._session: aiohttp.ClientSession | None = None
        # The pool limit lives here rather than in aiohttp's connector, whose `connect` timeout
        # would lump the wait for a free connection together with connecting.
        self._slots = asyncio.Semaphore(connection_pool_size)

    @property
    def read_timeout(self) -> float | None:
        """See :attr:`BaseRequest.read_timeout`."""
        return self._read_timeout

    @property
    def connection_pool_size(self) -> int:
        return self._pool_size

    @property
    def proxy(self) -> str | None:
        return self._proxy

    async def initialize(self) -> None:
        """See :meth:`BaseRequest.initialize`; a request that was shut down can start again."""
        if self._session is not None and not self._session.closed:
            return
        # asyncio's locks belong to the loop they first wait in; a restart may bring another.
        self._slots = asyncio.Semaphore(self._pool_size)
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0),
            # Every request sets its own timeouts; no overall cap, as with httpx.
            timeout=aiohttp.ClientTimeout(total=None),
            headers={"User-Agent": self.USER_AGENT},
            # The Bot API sets no cookies; skipping the jar saves work on every request.
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def shutdown(self) -> None:
        """See :meth:`BaseRequest.shutdown`."""
        if self._session is None or self._session.closed:
            log.debug("This AiohttpRequest is already shut down. Returning.")
            return
        await self._session.close()

    def _proxy_for(self, url: str) -> str | None:
        if self._proxy is not None:
            return self._proxy
        origin = _origin(url)
        if origin not in self._env_proxies:
            self._env_proxies[origin] = _environment_proxy(url)
        return self._env_proxies[origin]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See :meth:`BaseRequest.do_request`."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        has_files = request_data is not None and request_data.contains_files
        default_write = self._media_write_timeout if has_files else self._write_timeout
        data = _with_write_timeout(_body(request_data), _timeout(write_timeout, default_write))
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_timeout(connect_timeout, self._connect_timeout),
            sock_read=_timeout(read_timeout, self._read_timeout),
        )
        pool_wait = _timeout(pool_timeout, self._pool_timeout)

        slots = self._slots
        if slots.locked():
            try:
                async with asyncio.timeout(pool_wait):
                    await slots.acquire()
            except TimeoutError:
                raise TimedOut(_POOL_TIMEOUT_MESSAGE) from None
        else:
            await slots.acquire()
        try:
            async with session.request(
                method,
                url,
                data=data,
                timeout=timeout,
                proxy=self._proxy_for(url),
                allow_redirects=False,
            ) as response:
                return response.status, await response.read()
        except TimeoutError:
            # aiohttp's timeout errors name the URL, and with it the bot token.
            raise TimedOut() from None
        except aiohttp.ClientError as exc:
            message = str(exc).replace(url, _origin(url))
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {message}") from None
        finally:
            slots.release()


def _environment_proxy(url: str) -> str | None:
    """The proxy the environment sets for ``url`` (httpx's ``trust_env``), if aiohttp can use it."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    if parts.hostname and urllib.request.proxy_bypass(parts.hostname):
        return None
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if proxy and urlsplit(proxy).scheme not in PROXY_SCHEMES:
        log.warning("ignoring the environment's %s proxy: aiohttp supports only http(s)", proxy)
        return None
    return proxy or None


def make_request(transport: str, **options: Any) -> BaseRequest:
    """A ``BaseRequest`` of ``transport`` ("aiohttp" or "httpx") with ``HTTPXRequest``'s options."""
    if transport == "aiohttp":
        return AiohttpRequest(**options)
    if transport == "httpx":
        return HTTPXRequest(**options)
    raise ValueError(f"unknown transport {transport!r}; expected one of {', '.join(TRANSPORTS)}")


def reply_pool_size(transport: str, concurrency: int) -> int:
    """Connections for replies when ``concurrency`` updates are handled at once.

    Measured through the sandbox at 100 ms latency (bench/throughput.py): httpx served 2.6x
    the updates/s with a pool of 3/4 of the concurrency than with one as large, as httpcore's
    pool bookkeeping churns; aiohttp has no such cost, and a connection for every handler
    plus a few for the outbox and jobs means no handler waits for one.
    """
    if transport == "httpx":
        return max(8, min(concurrency * 3 // 4, 256))
    return min(concurrency + 8, 256)


def build_requests(settings: Settings, concurrency: int) -> tuple[BaseRequest, BaseRequest]:
    """(replies, long poll): PTB's default timeouts, a reply pool for ``concurrency`` handlers,
    one connection for the long poll, and the configured proxy."""
    proxy = settings.proxy_url
    transport = settings.http_transport
    replies = make_request(
        transport, connection_pool_size=reply_pool_size(transport, concurrency), proxy=proxy
    )
    updates = make_request(
        transport,
        connection_pool_size=1,
        read_timeout=GET_UPDATES_READ_TIMEOUT,
        proxy=proxy,
    )
    return replies, updates
