"""Sentence embeddings of company profiles: the model, and the vectors kept per company.

The model is WordLlama's ``l2_supercat`` (256 dimensions, static token embeddings pooled
over a text; MIT licence), whose weights and tokenizer ship inside the ``wordllama`` wheel
that ``pyproject.toml`` installs. It is loaded from those installed files only:
``WordLlama.load()`` looks for the tokenizer in a folder the wheel does not have and then
downloads it, so this module builds the model from the files itself and never touches the
network. About 0.5 s to load the first time (0.1 s once the files are cached), ~30 MB in
memory (the float16 matrix as shipped, 16 MB, and the tokenizer), ~0.1 ms per text on one core.

:class:`ProfileVectors` gives the matcher profiles with their vectors: it reads the stored
ones, computes (once per profile change) the missing or stale ones a page at a time and
stores them. The model is held by a :class:`ModelSlot` only while it computes: let go
afterwards, loaded again at the next profile change. If the model cannot be loaded the
matcher still runs on words alone, and the error is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bot.domain.matching import Profile
from bot.domain.matching.vectors import (
    TextVectors,
    from_rows,
    pack,
    text_key,
    texts_to_embed,
    unpack,
)
from storage.companies import CompanyRecord
from storage.embeddings import EmbeddingRepository, StoredEmbedding

MODEL_PACKAGE = "wordllama"
MODEL_CONFIG = "l2_supercat"
MODEL_DIMS = 256
MODEL_NAME = f"wordllama-{MODEL_CONFIG}-{MODEL_DIMS}"

log = logging.getLogger(__name__)
T = TypeVar("T")

# The texts are short: tokenizing them on a thread pool gains nothing here, and its
# per-thread allocations stayed resident (~40 MB for 10,000 profiles).
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class ModelUnavailable(RuntimeError):
    """The embedding model's files are missing or unreadable."""


@dataclass(frozen=True)
class ModelFiles:
    weights: Path
    tokenizer: Path


@contextlib.contextmanager
def _logging_kept() -> Iterator[None]:
    """wordllama calls ``logging.basicConfig()`` when imported: the process's logging (the
    bot's own, or none at all in the demo) is put back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def model_files(package: str = MODEL_PACKAGE) -> ModelFiles:
    """Where the installed package keeps the model's weights and tokenizer."""
    try:
        with _logging_kept():
            root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise ModelUnavailable(f"the {package!r} package is not installed") from exc
    files = ModelFiles(
        weights=Path(str(root / "weights" / f"{MODEL_CONFIG}_{MODEL_DIMS}.safetensors")),
        tokenizer=Path(str(root / "tokenizers" / f"{MODEL_CONFIG}_tokenizer_config.json")),
    )
    for path in (files.weights, files.tokenizer):
        if not path.is_file():
            raise ModelUnavailable(f"the model file {path} is missing")
    return files


class Embedder:
    """Texts to unit vectors with the packaged model: each text's tokens' rows averaged, as
    ``wordllama``'s own inference does (the tests compare the two)."""

    def __init__(self, files: ModelFiles, name: str = MODEL_NAME) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        try:
            with safe_open(str(files.weights), framework="np") as weights:
                matrix = weights.get_tensor("embedding.weight")
            tokenizer = Tokenizer.from_file(str(files.tokenizer))
        except Exception as exc:  # a truncated or foreign file: say which
            raise ModelUnavailable(f"cannot read the model from {files}: {exc}") from exc
        self.name = name
        self.dims = int(matrix.shape[1])
        # Kept in half precision as shipped (16 MB; wordllama widens it to 32 MB): a row widens
        # exactly, so the sums below are the same.
        self._weights = matrix
        tokenizer.enable_padding()
        tokenizer.no_truncation()
        # This tokenizer has no pre-tokenizer, so its BPE cache holds whole texts (10,000 of
        # them, ~25 MB that stayed resident); a text is embedded once per change anyway.
        tokenizer.model._resize_cache(0)
        self._tokenizer = tokenizer

    def embed(self, texts: Sequence[str], batch: int = 64) -> np.ndarray[Any, Any]:
        """One unit row per text (a zero row for a text with no tokens)."""
        rows = np.zeros((len(texts), self.dims), dtype=np.float32)
        for first in range(0, len(texts), batch):
            rows[first : first + batch] = self._pooled(list(texts[first : first + batch]))
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        out: np.ndarray[Any, Any] = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
        return out

    def _pooled(self, texts: list[str]) -> np.ndarray[Any, Any]:
        """The mean of each text's token rows (padding masked out)."""
        encoded = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        ids = np.array([e.ids for e in encoded], dtype=np.int32)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        np.clip(ids, 0, self._weights.shape[0] - 1, out=ids)
        counts = np.maximum(mask.sum(axis=1, keepdims=True), 1.0).astype(np.float32)
        summed = np.sum(self._weights[ids] * mask[..., np.newaxis], axis=1, dtype=np.float32)
        pooled: np.ndarray[Any, Any] = summed / counts
        return pooled

    def vectors(self, offers: str, seeks: str) -> TextVectors:
        return from_rows(self.embed(texts_to_embed(offers, seeks)), offers, seeks)


def load_model() -> Embedder:
    """The packaged model, loaded anew."""
    return Embedder(model_files())


# The model loaded once per process, for the evaluations and the tests; the bot holds it
# through a ModelSlot only while it computes.
default_embedder = functools.cache(load_model)


class ModelSlot:
    """The model while some work needs it: loaded by the first user, let go when the last one
    is done, so it is not resident between bursts of profile changes, nor while the matching
    index is built from what it computed (a load takes ~0.1 s once the files are cached).

    The model is loaded and used in one thread of its own: each load then reuses the memory
    the last one freed, where loads in the shared pool's threads each left their allocations
    in another thread's arena (RSS grew by ~100 MB over 30 loads)."""

    def __init__(self, load: Callable[[], Embedder] = load_model) -> None:
        self._load = load
        self._model: Embedder | None = None
        self._users = 0
        self._lock = threading.Lock()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedding-model")
        self.loads = 0  # how many times it was loaded (the tests count them)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @contextlib.asynccontextmanager
    async def use(self) -> AsyncIterator[Embedder]:
        """The model, loaded if need be; :class:`ModelUnavailable` if it cannot be."""
        model = await self.run(self._acquire)
        try:
            yield model
        finally:
            with self._lock:
                self._users -= 1
                if not self._users:
                    self._model = None

    async def run(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``work(*args, **kwargs)`` in the model's thread."""
        call = functools.partial(work, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    def _acquire(self) -> Embedder:
        with self._lock:
            if self._model is None:
                self._model = self._load()
                self.loads += 1
            self._users += 1
            return self._model


# The bot's model, shared by every ProfileVectors of the process.
MODEL = ModelSlot()


def embed_profiles(
    embedder: Embedder,
    items: Sequence[tuple[str, str]],
    batch: int = 256,
    places: Sequence[str] = (),
) -> list[np.ndarray[Any, Any]]:
    """The rows of :func:`texts_to_embed` for many (offers, seeks), ``batch`` at a time."""
    out: list[np.ndarray[Any, Any]] = []
    for first in range(0, len(items), batch):
        texts: list[str] = []
        counts: list[int] = []
        for offers, seeks in items[first : first + batch]:
            found = texts_to_embed(offers, seeks, places)
            texts.extend(found)
            counts.append(len(found))
        rows, start = embedder.embed(texts), 0
        for count in counts:
            out.append(rows[start : start + count].copy())
            start += count
    return out


def profile_from_record(record: CompanyRecord, vectors: TextVectors | None = None) -> Profile:
    """What the matcher knows of a stored company (no contact details)."""
    return Profile(
        id=record.id,
        name=record.name,
        country=record.country,
        sectors=tuple(record.sectors),
        offers=record.offers or "",
        seeks=record.seeks or "",
        partnerships=tuple(record.partnerships),
        size=record.size,
        matchable=record.matchable,
        city=record.city,
        vectors=vectors,
    )


class ProfileVectors:
    """Profiles with their embeddings, computed once per profile change and stored."""

    def __init__(
        self,
        repo: EmbeddingRepository,
        models: ModelSlot = MODEL,
        model: str = MODEL_NAME,
        places: Sequence[str] = (),
        page: int = 500,
    ) -> None:
        self.repo = repo
        # Stored rows read at once by a ranking's read of every company, and profiles
        # embedded and stored at once when many are stale.
        self.page = page
        self.models = models  # loaded only when something is stale
        self.model = model
        # The forum's country names, left out of what is embedded (see vectors.for_embedding).
        self.places = tuple(places)

    async def profiles(self, records: Sequence[CompanyRecord], *, now: Any) -> list[Profile]:
        """``records`` as matcher profiles, each with its vectors when the model is there."""
        vectors = await self.vectors(records, now=now)
        return [profile_from_record(r, vectors.get(r.id)) for r in records]

    async def vectors(
        self, records: Sequence[CompanyRecord], *, now: Any
    ) -> dict[int, TextVectors]:
        found: dict[int, TextVectors] = {}
        by_id = {r.id: r for r in records}
        # A few companies (an introduction's two) are read alone; a ranking reads them all,
        # a page at a time, each decoded before the next is read.
        if len(records) <= 100:
            self._decode(by_id, (await self.repo.of(list(by_id))).values(), found)
        else:
            async for page in self.repo.pages(self.page):
                self._decode(by_id, page, found)
        stale = [r for r in records if r.id not in found]
        if not stale:
            return found
        try:
            async with self.models.use() as embedder:
                # A page at a time, each stored before the next is computed: the rows of
                # every stale profile are never held at once (~50 MB at 5,000 companies).
                for first in range(0, len(stale), self.page):
                    await self._compute(embedder, stale[first : first + self.page], found, now)
        except ModelUnavailable:
            log.exception("matching runs on words alone: the embedding model is unavailable")
        return found

    async def _compute(
        self,
        embedder: Embedder,
        stale: Sequence[CompanyRecord],
        found: dict[int, TextVectors],
        now: Any,
    ) -> None:
        """Embed and store ``stale``, their vectors decoded into ``found``."""
        rows = await self.models.run(
            embed_profiles, embedder, [(r.offers, r.seeks) for r in stale], places=self.places
        )
        fresh = []
        for r, r_rows in zip(stale, rows, strict=True):
            blob = pack(r_rows)
            # Read back what is stored, so this call and every later one score alike.
            found[r.id] = from_rows(unpack(blob, embedder.dims), r.offers, r.seeks)
            key = text_key(self.model, r.offers, r.seeks, self.places)
            fresh.append(StoredEmbedding(r.id, self.model, key, embedder.dims, blob))
        await self.repo.put_many(fresh, now=now)

    def _decode(
        self,
        records: dict[int, CompanyRecord],
        rows: Iterable[StoredEmbedding],
        found: dict[int, TextVectors],
    ) -> None:
        """The stored rows of ``records`` that are still current, decoded into ``found``."""
        for row in rows:
            r = records.get(row.company_id)
            if r is None or row.text_key != text_key(self.model, r.offers, r.seeks, self.places):
                continue
            # A ValueError: stored before the quotable parts were split otherwise (it is
            # computed again).
            with contextlib.suppress(ValueError):
                found[r.id] = from_rows(unpack(row.vectors, row.dims), r.offers, r.seeks)
