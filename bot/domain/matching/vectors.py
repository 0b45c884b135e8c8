"""A profile's sentence embeddings, as the matcher reads them.

The vectors come from a model (see :mod:`bot.services.embeddings`, which loads it and stores what it
computes); this module only arranges them: which texts are embedded, in which order, and how
the rows are packed for storage. No model and no I/O here.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.domain.matching.text import quotable

StoredRows = np.ndarray[Any, np.dtype[np.float16]]
Rows = np.ndarray[Any, np.dtype[np.float32]]


@dataclass(frozen=True, eq=False, slots=True)
class TextVectors:
    """Unit vectors of a profile's whole ``offers`` and ``seeks`` (None for an empty text)
    and of each part a reason may quote (rows aligned with :func:`quotable`). Kept in half
    precision, as stored: the matcher widens what it computes with."""

    offers: StoredRows | None
    seeks: StoredRows | None
    offer_quotes: StoredRows
    seek_quotes: StoredRows


# Every pair joins the forum's two countries, so the words naming them and markets in general
# ("clients in Europe", "hospitals in <the other country>") say nothing about fit; in a static
# embedding they would make unrelated texts look alike. The countries' names (``places``, from
# the forum file) are matched as word starts, so their demonyms go too.
_MARKETS = (
    r"eu|europe|european|asia|asian|gulf|middle east|africa|cee|uk|us|usa|abroad|worldwide|"
    r"international|local"
)


@functools.lru_cache(maxsize=8)
def _markets(places: tuple[str, ...]) -> re.Pattern[str]:
    names = "".join(f"|{re.escape(p)}\\w*" for p in places if p)
    return re.compile(rf"\b(?:{_MARKETS}{names})\b", re.IGNORECASE)


def for_embedding(text: str, places: Sequence[str] = ()) -> str:
    """The text as the model reads it: without the names of markets and of ``places``."""
    return " ".join(_markets(tuple(places)).sub(" ", text).split())


def texts_to_embed(offers: str, seeks: str, places: Sequence[str] = ()) -> list[str]:
    """What to embed for a profile, in the order :func:`from_rows` reads the rows back."""
    return [for_embedding(t, places) for t in (offers, seeks, *quotable(offers), *quotable(seeks))]


def text_key(model: str, offers: str, seeks: str, places: Sequence[str] = ()) -> str:
    """Identifies the texts, the model and the way texts are prepared (a new version of
    :func:`texts_to_embed`, or other place names, get a new key, so stored rows are computed
    again)."""
    where = "\0".join(places)
    digest = hashlib.sha256(f"{model}\0v2\0{offers}\0{seeks}\0{where}".encode()).hexdigest()
    return digest[:32]


def _unit_rows(rows: np.ndarray[Any, Any]) -> Rows:
    rows = rows.astype(np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    out: Rows = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return out


def from_rows(rows: np.ndarray[Any, Any], offers: str, seeks: str) -> TextVectors:
    """Read back the rows of :func:`texts_to_embed` (in that order) as unit vectors."""
    n_offer, n_seek = len(quotable(offers)), len(quotable(seeks))
    if rows.shape[0] != 2 + n_offer + n_seek:
        raise ValueError(f"expected {2 + n_offer + n_seek} rows, got {rows.shape[0]}")
    unit = _unit_rows(rows).astype(np.float16)
    return TextVectors(
        offers=unit[0].copy() if offers.strip() else None,
        seeks=unit[1].copy() if seeks.strip() else None,
        offer_quotes=unit[2 : 2 + n_offer].copy(),
        seek_quotes=unit[2 + n_offer :].copy(),
    )


def pack(rows: np.ndarray[Any, Any]) -> bytes:
    """Rows as little-endian float16: half the size, and well within the model's precision."""
    return np.ascontiguousarray(rows, dtype="<f2").tobytes()


def unpack(blob: bytes, dims: int) -> StoredRows:
    rows: StoredRows = np.frombuffer(blob, dtype="<f2").reshape(-1, dims)
    return rows
