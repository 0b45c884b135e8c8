"""The introductions repository on a real SQLite file: creation, the daily limit inside the
transaction, mutual requests, compare-and-set decisions, exclusions and digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import Database
from storage.introductions import CreateOutcome, IntroductionRepository
from tests.support.storage import bare_company

NOW = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)


async def make(db: Database, name: str, country: str) -> int:
    return await bare_company(db, name, country, now=NOW)


async def ask(
    repo: IntroductionRepository, a: int, b: int, *, at: datetime = NOW, limit: int = 10
) -> CreateOutcome:
    return await repo.create(
        a,
        b,
        requested_by=1,
        note="hi",
        reasons=["both in Fintech"],
        now=at,
        expires_at=at + timedelta(days=7),
        daily_limit=limit,
        day_start=at - timedelta(days=1),
    )


async def test_create_exists_mutual_and_decide(db: Database) -> None:
    repo = IntroductionRepository(db)
    ro, pk = await make(db, "Ro", "RO"), await make(db, "Pk", "PK")
    first = await ask(repo, ro, pk)
    assert first.kind == "created" and first.introduction is not None
    assert first.introduction.reasons == ("both in Fintech",)
    assert (await ask(repo, ro, pk)).kind == "exists"
    mutual = await ask(repo, pk, ro)
    assert mutual.kind == "mutual" and mutual.introduction is not None
    assert (
        mutual.introduction.state == "accepted" and mutual.introduction.id == first.introduction.id
    )
    assert not await repo.decide(first.introduction.id, "declined", by=2, now=NOW)  # once only
    assert await repo.excluded_pairs() == {(min(ro, pk), max(ro, pk))}
    assert (await repo.counts())["accepted"] == 1


async def test_daily_limit_counts_last_24_hours(db: Database) -> None:
    repo = IntroductionRepository(db)
    ro = await make(db, "Ro", "RO")
    targets = [await make(db, f"Pk{i}", "PK") for i in range(3)]
    assert (await ask(repo, ro, targets[0], limit=2)).kind == "created"
    assert (await ask(repo, ro, targets[1], limit=2, at=NOW + timedelta(hours=1))).kind == "created"
    refused = await ask(repo, ro, targets[2], limit=2, at=NOW + timedelta(hours=2))
    assert refused.kind == "limit" and refused.sent_today == 2
    assert refused.oldest_today == NOW.isoformat()
    later = await ask(repo, ro, targets[2], limit=2, at=NOW + timedelta(hours=24, minutes=1))
    assert later.kind == "created"


async def test_expiry_reminders_dismissals_digests(db: Database) -> None:
    repo = IntroductionRepository(db)
    ro, pk, other = (
        await make(db, "Ro", "RO"),
        await make(db, "Pk", "PK"),
        await make(db, "Pk2", "PK"),
    )
    created = await ask(repo, ro, pk)
    assert created.introduction is not None
    intro_id = created.introduction.id
    assert await repo.expired(NOW + timedelta(days=6)) == []
    assert [i.id for i in await repo.expired(NOW + timedelta(days=7))] == [intro_id]
    assert await repo.mark_reminded(intro_id, NOW)
    assert not await repo.mark_reminded(intro_id, NOW)
    assert await repo.dismiss(ro, other, NOW)
    assert not await repo.dismiss(ro, other, NOW)
    assert await repo.is_dismissed(other, ro)
    assert (min(ro, other), max(ro, other)) in await repo.excluded_pairs()
    assert await repo.digest_sent_at(ro) is None
    await repo.set_digest_sent(ro, NOW)
    await repo.set_digest_sent(ro, NOW + timedelta(days=1))
    assert await repo.digest_sent_at(ro) == (NOW + timedelta(days=1)).isoformat()
