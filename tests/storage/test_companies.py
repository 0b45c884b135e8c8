"""The companies repository additions: registration writes, import upserts, links, the
user's data and its erasure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.companies import CompanyRepository
from storage.company_writes import IMPORT_CREATED, IMPORT_MANAGED, IMPORT_UPDATED, CompanyWrites
from storage.db import Database
from storage.erasure import erase_person
from storage.links import CLAIM, INVITE, LinkRepository
from storage.personal_data import personal_data
from storage.users import UserRepository
from tests.support.storage import open_synced

NOW = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
FIELDS = {
    "name": "Alpha",
    "country": "RO",
    "offers": "Offers enough",
    "seeks": "Seeks enough",
    "contact_email": "a@a.example",
    "consent": 1,
}


async def _user(db: Database, uid: int) -> None:
    await UserRepository(db).seen(
        uid, first_name="U", last_name=None, username=None, language_code=None, now=NOW
    )


async def test_register_once_per_rep_and_upsert_import(tmp_path: Path) -> None:
    db = await open_synced(tmp_path / "c.db")
    try:
        await _user(db, 1)
        writes = CompanyWrites(db)
        first = await writes.register(
            FIELDS, sectors=["fintech"], partnerships=["joint_venture"], rep_id=1, now=NOW
        )
        assert first is not None
        again = await writes.register(
            {**FIELDS, "name": "Other"}, sectors=["fintech"], partnerships=[], rep_id=1, now=NOW
        )
        assert again is None
        # The company has a rep: an import of the same name and country changes nothing.
        await writes.set_paused(first, True, now=NOW)
        cid, outcome = await writes.upsert_import(
            {**FIELDS, "name": "ALPHA", "offers": "Changed", "paused": 0},
            sectors=["telecom"],
            partnerships=["rnd"],
            now=NOW,
        )
        assert (cid, outcome) == (first, IMPORT_MANAGED)
        repo = CompanyRepository(db)
        record = await repo.get(cid)
        assert record is not None and record.offers == "Offers enough" and record.paused
        assert record.sectors == ("fintech",) and record.partnerships == ("joint_venture",)
        assert await repo.rep_counts() == {cid: 1}
        # A company nobody has claimed is the organisers' to update.
        imported, outcome = await writes.upsert_import(
            {**FIELDS, "name": "Beta"}, sectors=["fintech"], partnerships=[], now=NOW
        )
        assert outcome == IMPORT_CREATED
        again, outcome = await writes.upsert_import(
            {**FIELDS, "name": "BETA", "offers": "Changed"},
            sectors=["telecom"],
            partnerships=["rnd"],
            now=NOW,
        )
        assert (again, outcome) == (imported, IMPORT_UPDATED)
        beta = await repo.get(imported)
        assert beta is not None and beta.offers == "Changed" and beta.sectors == ("telecom",)
        assert await writes.set_paused(cid, False, now=NOW)
        assert await writes.set_paused(cid, True, now=NOW)
        assert not await writes.set_paused(cid, True, now=NOW)
    finally:
        await db.close()


async def test_links_one_time_and_expiry(tmp_path: Path) -> None:
    db = await open_synced(tmp_path / "l.db")
    try:
        cid = await CompanyRepository(db).create(FIELDS, sectors=[], partnerships=[], now=NOW)
        links = LinkRepository(db)
        invite = await links.create(cid, INVITE, now=NOW, ttl=timedelta(days=7))
        assert invite.payload.startswith("join_") and len(invite.payload) <= 64
        assert await links.use(invite.token, 5, now=NOW)
        assert not await links.use(invite.token, 6, now=NOW)
        late = await links.create(cid, INVITE, now=NOW, ttl=timedelta(days=7))
        assert not await links.use(late.token, 5, now=NOW + timedelta(days=8))
        claim = await links.create(cid, CLAIM, now=NOW)
        assert (await links.open_claims(now=NOW))[cid].token == claim.token
        await links.close_claims(cid, now=NOW)
        assert await links.open_claim(cid, now=NOW + timedelta(seconds=1)) is None
    finally:
        await db.close()


async def test_personal_data_and_erasure(tmp_path: Path) -> None:
    db = await open_synced(tmp_path / "e.db")
    try:
        for uid in (1, 2):
            await _user(db, uid)
        repo = CompanyRepository(db)
        cid = await repo.create(
            FIELDS, sectors=["fintech"], partnerships=["joint_venture"], now=NOW, rep_id=1
        )
        await repo.add_rep(cid, 2, now=NOW)
        data = await personal_data(db, 1)
        assert data["users"][0]["telegram_id"] == 1
        assert data["companies"][0]["name"] == "Alpha"
        assert {r["user_id"] for r in data["company_reps"]} == {1, 2}
        assert "ptb_user_data" not in data
        # Not the last rep: the membership goes, and the contact they may have typed.
        erased = await erase_person(db, 1, now=NOW)
        assert erased.user_row and erased.company_name == "Alpha" and not erased.company_deleted
        assert erased.colleagues == (2,) and erased.pseudonym == 1 and erased.swept == ()
        kept = await repo.get(cid)
        assert kept is not None and await repo.reps(cid) == [2]
        assert kept.contact_email is None and not kept.matchable
        # The last rep: the company goes too.
        erased = await erase_person(db, 2, now=NOW)
        assert erased.company_deleted and erased.pseudonym == 2
        assert await repo.get(cid) is None
        assert await UserRepository(db).count() == 0
    finally:
        await db.close()
