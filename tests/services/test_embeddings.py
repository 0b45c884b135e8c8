"""The embedding model as the bot loads it (from the installed package, with the network cut
off), and the per-company vectors: computed once per profile change, stored, read back."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.domain.matching import Profile, Rules, rank
from bot.domain.matching.vectors import texts_to_embed
from bot.forum import load_forum
from bot.services.catalogue import sync_forum
from bot.services.embeddings import (
    MODEL_DIMS,
    Embedder,
    ModelSlot,
    ModelUnavailable,
    ProfileVectors,
    default_embedder,
    model_files,
)
from sandbox import Sandbox
from storage.companies import CompanyRepository
from storage.db import Database
from storage.embeddings import EmbeddingRepository, StoredEmbedding
from tests.support.flows import answer
from tests.support.harness import BotHarness
from tests.support.matchkit import pair
from tests.support.python import run_python
from tests.support.storage import bare_company

FORUM = load_forum(Path(__file__).resolve().parents[2] / "data" / "forum.toml")
RULES = Rules.of(FORUM)

NOW = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "embeddings.db")
    # The sectors and intents the companies below name, as the bot keeps them.
    await sync_forum(database, FORUM)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError("the network is not to be used")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_the_model_loads_from_the_installed_package_without_the_network(
    no_network: None,
) -> None:
    model = Embedder(model_files())  # a fresh load, not the cached one
    texts = [
        "Payroll software for SMEs, salary slips and tax filings",
        "Pay our 400 employees on time and file their taxes without spreadsheets",
        "Mobile puzzle games for children",
        "",
    ]
    rows = model.embed(texts)
    assert rows.shape == (4, MODEL_DIMS) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows[:3], axis=1), 1.0, atol=1e-5)
    assert not rows[3].any()  # nothing to embed: a zero row, not NaN
    # It carries meaning: payroll meets the payroll need, games do not.
    assert rows[0] @ rows[1] > 0.45 > 0.1 > rows[2] @ rows[1]
    assert model.embed([]).shape == (0, MODEL_DIMS)


def test_a_missing_model_is_reported_clearly() -> None:
    with pytest.raises(ModelUnavailable, match="not installed"):
        model_files("no_such_model_package")
    with pytest.raises(ModelUnavailable, match="missing"):
        model_files("json")  # a package without the model's files


async def _company(db: Database, name: str, country: str, offers: str, seeks: str) -> int:
    return await bare_company(
        db, name, country, now=NOW, offers=offers, seeks=seeks, contact_email="a@b.example"
    )


class Counting:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self.model = default_embedder()
        self.texts = 0
        self.name, self.dims = self.model.name, self.model.dims

    def __call__(self) -> Counting:
        return self

    def embed(self, texts: list[str]) -> np.ndarray[Any, Any]:
        self.texts += len(texts)
        return self.model.embed(texts)


async def test_vectors_are_computed_once_per_profile_change_and_stored(db: Database) -> None:
    shop = await _company(db, "Shop", "RO", "Retail chain", "Pay our staff and file their taxes")
    payroll = await _company(db, "Pay", "PK", "Payroll software and tax filings", "Clients")
    companies, store = CompanyRepository(db), EmbeddingRepository(db)
    model = Counting()
    vectors = ProfileVectors(store, models=ModelSlot(model))  # type: ignore[arg-type]

    first = await vectors.profiles(await companies.all(), now=NOW)
    assert model.texts > 0 and all(p.vectors is not None for p in first)
    assert set(await store.all()) == {shop, payroll}
    computed = model.texts

    again = await vectors.profiles(await companies.all(), now=NOW)
    assert model.texts == computed  # read back, not computed again
    for a, b in zip(first, again, strict=True):
        assert a.vectors is not None and b.vectors is not None
        # What the computing call used is exactly what later calls read.
        assert np.array_equal(a.vectors.offer_quotes, b.vectors.offer_quotes)
        assert a.vectors.seeks is not None and b.vectors.seeks is not None
        assert np.array_equal(a.vectors.seeks, b.vectors.seeks)
    assert [m.other.id for m in rank(again[0], again, RULES)] == [payroll]

    key_before = (await store.all())[shop].text_key
    await companies.update(shop, {"seeks": "Mobile games for our customers"}, now=NOW)
    await vectors.profiles(await companies.all(), now=NOW)
    # The edited company only: its offers, seeks and their quotable parts.
    assert model.texts == computed + len(
        texts_to_embed("Retail chain", "Mobile games for our customers")
    )
    assert (await store.all())[shop].text_key != key_before

    await companies.delete(shop)
    assert set(await store.all()) == {payroll}  # erased with the company


async def test_without_the_model_matching_runs_on_words(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await _company(db, "Shop", "RO", "Retail chain", "Payroll software")
    await _company(db, "Pay", "PK", "Payroll software", "Clients")

    def broken() -> Embedder:
        raise ModelUnavailable("the model file weights.safetensors is missing")

    vectors = ProfileVectors(EmbeddingRepository(db), models=ModelSlot(broken))
    with caplog.at_level(logging.ERROR, logger="bot.services.embeddings"):
        found = await vectors.profiles(await CompanyRepository(db).all(), now=NOW)
    assert [p.vectors for p in found] == [None, None]
    assert "words alone" in caplog.text and "is missing" in caplog.text
    shop, pay = found
    assert [m.other.id for m in rank(shop, found, RULES)] == [pay.id]  # the words still match
    assert await EmbeddingRepository(db).all() == {}


def test_profiles_without_vectors_compare_as_equal() -> None:
    # Vectors are not part of a profile's identity (numpy arrays do not compare).
    a = Profile(1, "A", "RO", offers="x")
    assert a == Profile(1, "A", "RO", offers="x")


def test_loading_the_model_leaves_the_process_logging_alone() -> None:
    """wordllama configures logging when imported; the demo (which sets up none) then printed
    every INFO line. Loading the model puts the logging back as it was."""
    script = (
        "import logging\n"
        "from bot.services.embeddings import default_embedder\n"
        "default_embedder()\n"
        "root = logging.getLogger()\n"
        "print(len(root.handlers), root.level)\n"
    )
    done = run_python(script)
    assert done.stdout.split() == ["0", str(logging.WARNING)], done.stderr


class Paged(EmbeddingRepository):
    """The store, remembering how many rows each read returned."""

    reads: list[int]

    async def of(self, company_ids: Any = None) -> dict[int, StoredEmbedding]:
        found = await super().of(company_ids)
        self.reads.append(len(found))
        return found

    async def pages(self, size: int = 500) -> AsyncIterator[list[StoredEmbedding]]:
        async for page in super().pages(size):
            self.reads.append(len(page))
            yield page


async def test_a_ranking_reads_the_stored_vectors_a_page_at_a_time(db: Database) -> None:
    """Every company's vectors (a ranking, the index's build) are read and decoded a page
    at a time, never every stored blob at once (issue 15, peak RSS)."""
    for i in range(130):
        await _company(db, f"C{i}", "RO" if i % 2 else "PK", f"Payroll software {i}", "Clients")
    companies, store = CompanyRepository(db), Paged(db)
    store.reads = []
    model = Counting()
    first = await ProfileVectors(store, models=ModelSlot(model)).profiles(  # type: ignore[arg-type]
        await companies.all(), now=NOW
    )
    computed, store.reads = model.texts, []
    again = await ProfileVectors(store, models=ModelSlot(model), page=50).profiles(  # type: ignore
        await companies.all(), now=NOW
    )
    assert model.texts == computed  # every one read back, none computed again
    assert store.reads == [50, 50, 30]
    for a, b in zip(first, again, strict=True):
        assert a.id == b.id and a.vectors is not None and b.vectors is not None
        assert np.array_equal(a.vectors.offer_quotes, b.vectors.offer_quotes)
    pages = [[row.company_id for row in page] async for page in store.pages(40)]
    assert [len(p) for p in pages] == [40, 40, 40, 10]
    assert [i for page in pages for i in page] == sorted(p.id for p in again)


def test_the_model_computes_what_wordllama_computes() -> None:
    """The bot pools the token rows itself, from the half-precision matrix as shipped (half the
    memory of wordllama's float32 copy): the vectors are the same, bit for bit."""
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    files = model_files()
    with safe_open(str(files.weights), framework="np") as weights:
        matrix = weights.get_tensor("embedding.weight")
    theirs = WordLlamaInference(matrix, Tokenizer.from_file(str(files.tokenizer)))
    texts = [
        t
        for n in range(150)  # more than one batch, of texts of many lengths
        for t in texts_to_embed(
            f"Payroll software {n}; salary slips, tax filings" + " and audits" * (n % 7),
            "Clients in retail (ü, 中文, 🤖)" if n % 2 else "",
        )
    ]
    rows = theirs.embed(texts)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    expected = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    assert np.array_equal(default_embedder().embed(texts), expected)


class Logged(EmbeddingRepository):
    """The store, logging each write in ``events`` (shared with the model's log)."""

    events: list[tuple[str, int]]

    async def put_many(self, rows: Any, *, now: datetime) -> None:
        rows = list(rows)
        self.events.append(("stored", len(rows)))
        await super().put_many(rows, now=now)


async def test_missing_vectors_are_computed_and_stored_a_page_at_a_time(db: Database) -> None:
    """Many stale profiles (the first start on an imported catalogue) are embedded a page at a
    time, each page stored before the next is embedded (issue 15, peak RSS)."""
    for i in range(130):
        await _company(db, f"C{i}", "RO" if i % 2 else "PK", f"Payroll software {i}", "Clients")
    store, model = Logged(db), Counting()
    store.events = []
    per_profile = len(texts_to_embed("Payroll software 1", "Clients"))

    def embed(texts: list[str]) -> np.ndarray[Any, Any]:
        store.events.append(("embedded", len(texts) // per_profile))
        return model.model.embed(texts)

    model.embed = embed  # type: ignore[method-assign]
    slot = ModelSlot(model)  # type: ignore[arg-type]
    found = await ProfileVectors(store, models=slot, page=50).profiles(
        await CompanyRepository(db).all(), now=NOW
    )
    assert all(p.vectors is not None for p in found)
    assert store.events == [
        ("embedded", 50),
        ("stored", 50),
        ("embedded", 50),
        ("stored", 50),
        ("embedded", 30),
        ("stored", 30),
    ]
    assert len(await store.all()) == 130


async def test_the_model_is_let_go_after_use_and_loaded_again_on_the_next_change(
    db: Database,
) -> None:
    """The model is loaded when a profile needs its vectors and let go when they are stored,
    so it is not resident while the matching index is built (issue 15, peak RSS)."""
    import gc
    import threading
    import weakref

    shop = await _company(db, "Shop", "RO", "Retail chain", "Pay our staff")
    await _company(db, "Pay", "PK", "Payroll software and tax filings", "Clients")
    companies = CompanyRepository(db)
    loaded: list[weakref.ref[Embedder]] = []
    threads: set[str] = set()

    class Model(Embedder):
        def embed(self, texts: Sequence[str], batch: int = 64) -> np.ndarray[Any, Any]:
            threads.add(threading.current_thread().name)
            return super().embed(texts, batch)

    def load() -> Embedder:
        threads.add(threading.current_thread().name)
        model = Model(model_files())
        loaded.append(weakref.ref(model))
        return model

    slot = ModelSlot(load)
    vectors = ProfileVectors(EmbeddingRepository(db), models=slot)
    first = await vectors.profiles(await companies.all(), now=NOW)
    assert all(p.vectors is not None for p in first)
    gc.collect()
    assert slot.loads == 1 and not slot.loaded
    assert loaded[0]() is None  # nothing else holds it

    await vectors.profiles(await companies.all(), now=NOW)
    assert slot.loads == 1  # every vector read back: not loaded at all

    await companies.update(shop, {"seeks": "Mobile games for our customers"}, now=NOW)
    again = await vectors.profiles(await companies.all(), now=NOW)
    assert slot.loads == 2 and not slot.loaded
    assert all(p.vectors is not None for p in again)
    # Loaded and used in one thread of its own, each load reusing what the last one freed.
    assert len(threads) == 1 and threads.pop().startswith("embedding-model")


async def test_the_bot_lets_the_model_go_once_the_vectors_are_stored(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    """Through the real bot: /matches computes the new companies' vectors with the process's
    model and lets it go; an edit loads it again for that company only."""
    from bot.services import embeddings

    ana, ro, _imran, _pk = await pair(sandbox, fb)
    loads = embeddings.MODEL.loads
    await answer(ana, "/matches", "Match 1 of 1")
    assert len(await fb.services.embeddings.all()) == 2  # computed and stored
    assert embeddings.MODEL.loads == loads + 1 and not embeddings.MODEL.loaded

    await fb.services.companies.update(ro, {"seeks": "QA testing partners"}, now=NOW)
    await answer(ana, "/matches", "Match 1 of 1")
    assert embeddings.MODEL.loads == loads + 2 and not embeddings.MODEL.loaded
