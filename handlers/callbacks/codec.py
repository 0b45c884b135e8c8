"""The callback-data codec: typed button payloads, packed and checked in one place.

Every inline button carries an instance of a :class:`CallbackData` subclass, declared like
aiogram's ``CallbackData``: a unique prefix and typed fields. The base makes each subclass a
frozen dataclass itself (declared with PEP 681's ``dataclass_transform``, which mypy reads)::

    class IntroAnswer(CallbackData, prefix="ia"):
        intro_id: int
        accept: bool

    IntroAnswer(17, True).pack()            # "ia:17:1"
    IntroAnswer.unpack("ia:17:1")           # IntroAnswer(intro_id=17, accept=True)
    CallbackQueryHandler(answer, pattern=IntroAnswer.filter())

A subclass without a prefix is a family's base: it declares the fields its buttons share
and is never packed itself. A button of two families packs the last-named family's fields
first (dataclass order), then the first's, then its own: ``class MeetingMove(OnSlot,
OnRevision)`` packs ``mv:<meeting>:<rev>:<block>:<start>``.

Packing refuses anything over Telegram's 64 bytes. Unpacking never trusts the client: a
wrong prefix, a missing or extra part, a number out of range or a choice not in its
``Literal`` raise :class:`InvalidCallback`, and the one "this menu has expired" handler
answers whatever no pattern accepted. Fields are ``int`` (0 ≤ n < 2**63, what SQLite can
bind), ``bool``, ``str`` (no ``:``) and ``Literal[...]`` of strings.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from typing import (
    Any,
    ClassVar,
    Literal,
    Self,
    Union,
    dataclass_transform,
    get_args,
    get_origin,
)

MAX_BYTES = 64
SEPARATOR = ":"
MAX_ID = 2**63 - 1
_PREFIXES: dict[str, type[CallbackData]] = {}


class InvalidCallback(ValueError):
    """Callback data that no button of ours could have sent (or that is out of date)."""


def _encode(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return ""
    return str(value)


def _decode(raw: str, kind: Any, name: str) -> object:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(kind) if a is not type(None)]
        if raw == "" and len(options) < len(get_args(kind)):
            return None
        if len(options) != 1:
            raise TypeError(f"{name}: only `X | None` unions are supported")
        return _decode(raw, options[0], name)
    if origin is Literal:
        if raw not in get_args(kind):
            raise InvalidCallback(f"{name}: {raw!r} is not one of {get_args(kind)}")
        return raw
    if kind is bool:
        if raw not in ("0", "1"):
            raise InvalidCallback(f"{name}: {raw!r} is not 0 or 1")
        return raw == "1"
    if kind is int:
        # isdigit() would take "²" and other Unicode digits; the ASCII check is exact.
        if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
            raise InvalidCallback(f"{name}: {raw!r} is not an id")
        number = int(raw)
        if number > MAX_ID:
            raise InvalidCallback(f"{name}: {raw!r} is out of range")
        return number
    if kind is str:
        return raw
    raise TypeError(f"{name}: unsupported callback field type {kind!r}")


@dataclass_transform(frozen_default=True)
class CallbackData:
    """Base class of every button payload; each subclass becomes a frozen dataclass."""

    prefix: ClassVar[str]
    _fields: ClassVar[tuple[tuple[str, Any], ...]]

    def __init_subclass__(cls, *, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True)(cls)
        if prefix is None:
            return  # a family's base: its buttons name their own prefixes
        if not prefix or SEPARATOR in prefix:
            raise ValueError(f"{cls.__name__}: a prefix is a non-empty text without ':'")
        if prefix in _PREFIXES:
            raise ValueError(
                f"{cls.__name__}: prefix {prefix!r} is taken by {_PREFIXES[prefix].__name__}"
            )
        _PREFIXES[prefix] = cls
        cls.prefix = prefix

    @classmethod
    def _field_types(cls) -> tuple[tuple[str, Any], ...]:
        cached = cls.__dict__.get("_fields")
        if cached is None:
            hints = typing.get_type_hints(cls)
            cached = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
            cls._fields = cached
        return cached

    def pack(self) -> str:
        parts = [self.prefix]
        for name, _ in self._field_types():
            value = _encode(getattr(self, name))
            if SEPARATOR in value:
                raise ValueError(f"{type(self).__name__}.{name}: {value!r} contains ':'")
            parts.append(value)
        data = SEPARATOR.join(parts)
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: object) -> Self:
        if not isinstance(data, str):
            raise InvalidCallback("callback data is not text")
        prefix, _, rest = data.partition(SEPARATOR)
        if prefix != cls.prefix:
            raise InvalidCallback(f"prefix {prefix!r} is not {cls.prefix!r}")
        fields = cls._field_types()
        raw = rest.split(SEPARATOR) if fields else ([] if rest == "" else [rest])
        if len(raw) != len(fields) or (not fields and data != cls.prefix):
            raise InvalidCallback(f"{cls.__name__} takes {len(fields)} part(s): {data!r}")
        values = {
            name: _decode(part, kind, name) for (name, kind), part in zip(fields, raw, strict=True)
        }
        return cls(**values)

    @classmethod
    def filter(cls, check: Callable[[Self], bool] | None = None) -> Callable[[object], bool]:
        """A ``CallbackQueryHandler`` pattern: data of this class that unpacks (and passes
        ``check``, e.g. ``lambda d: d.action == "stop"``)."""

        def accepts(data: object) -> bool:
            try:
                value = cls.unpack(data)
            except InvalidCallback:
                return False
            return check is None or check(value)

        return accepts


def registered() -> dict[str, type[CallbackData]]:
    """Every payload class by prefix (for tests that check the whole codec)."""
    return dict(_PREFIXES)
