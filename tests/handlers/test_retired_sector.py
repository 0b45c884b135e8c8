"""A sector and an intent removed from the forum file: the profiles that have them stay
readable (cards, matches, exports, the dashboard show their last label), and nothing offers
or accepts them any more (registration, the broadcast audiences, the CSV import)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.forum import load_forum
from sandbox import Sandbox
from tests.support.flows import answer, edit_field, press, register
from tests.support.harness import ADMIN_ID, REPO_ROOT, BotHarness, sandbox_settings
from tests.support.matchkit import lahore_qa, rep

SHIPPED = (REPO_ROOT / "data" / "forum.toml").read_text(encoding="utf-8")
RPA = (
    '[[sectors]]\nkey = "rpa"\nlabel = "RPA & automation"\nlabel_ro = "RPA și automatizare"\n'
    'label_ur = "آر پی اے اور آٹومیشن"\n\n'
)
RESELLERS = (
    '[[intents]]\nkey = "find_resellers"\nlabel = "Find resellers / distributors"\n'
    'label_ro = "Căutare de revânzători / distribuitori"\n'
    'label_ur = "ری سیلرز / ڈسٹری بیوٹرز تلاش کرنا"\n'
    'phrase = "want resellers"\nphrase_ro = "căutare de revânzători"\n'
    'phrase_ur = "ری سیلرز کی تلاش"\ncomplements = ["resell"]\n\n'
)


@pytest.fixture
def forum_files(tmp_path: Path) -> tuple[Path, Path]:
    """The shipped forum file, and the same without the RPA sector and the intent "Find
    resellers / distributors" (which "resell" no longer meets either)."""
    assert RPA in SHIPPED and RESELLERS in SHIPPED
    before, after = tmp_path / "forum.toml", tmp_path / "forum-later.toml"
    before.write_text(SHIPPED, encoding="utf-8")
    later = SHIPPED.replace(RPA, "").replace(RESELLERS, "")
    after.write_text(later.replace('complements = ["find_resellers"]', "complements = []"))
    return before, after


@pytest.fixture
def settings(sandbox: Sandbox, db_path: Path, forum_files: tuple[Path, Path]) -> Settings:
    return sandbox_settings(sandbox, db_path, forum=load_forum(forum_files[0]))


async def test_removed_sector_and_intent_stay_readable_and_are_no_longer_offered(
    sandbox: Sandbox, harness: BotHarness, forum_files: tuple[Path, Path]
) -> None:
    await harness.start()
    ana = await rep(sandbox, 8101, "Ana", "ana_softro")
    await register(
        ana,
        "SoftRo Automation",
        sectors=("Cybersecurity", "RPA & automation"),
        intents=("Find resellers / distributors", "Joint venture"),
    )
    imran = await lahore_qa(
        sandbox, harness, 8201, ("Resell or distribute products", "Joint venture")
    )

    # The organisers publish a new forum file without them; the bot restarts with it.
    await harness.stop()
    harness.settings = replace(harness.settings, forum=load_forum(forum_files[1]))
    await harness.start()
    forum = harness.services.forum
    assert forum.find_sector("RPA & automation") is None  # not offered, not accepted
    assert forum.sector_label("rpa") == "RPA & automation"  # but still readable

    # Her profile still reads as before.
    card = await answer(ana, "/profile", "SoftRo Automation")
    assert "Sectors: Cybersecurity, RPA & automation" in card
    assert "Partnerships: Joint venture, Find resellers / distributors" in card
    stored = await harness.services.companies.by_rep(8101)
    assert stored is not None and stored.sectors == ("cyber", "rpa")

    # Matching still reads both profiles: the shared retired sector is named by its label.
    match = await answer(imran, "/matches", "Match 1 of")
    assert "SoftRo Automation" in match and "Sectors: Cybersecurity, RPA & automation" in match
    assert "both in RPA & automation" in match
    assert "both want a joint venture" in match

    # Editing her sectors offers only what the file lists.
    await edit_field(ana, "Sectors", "Edit · Sectors")
    offered = [row[0] for row in (ana.last.buttons() if ana.last else [])]
    assert "RPA & automation" not in offered and "✓ Cybersecurity" in offered
    assert all("rpa" not in data for data in ana.last.button_data().values())  # type: ignore[union-attr]
    await answer(ana, "/cancel", "Cancelled")

    # Organisers: not an audience any more, unknown to the import, readable in the exports.
    org = await rep(sandbox, ADMIN_ID, "Org")
    await answer(org, "/broadcast", "Send me the message")
    await answer(org, "Hello", "Who should get it?")
    sectors = await press(org, "A sector…", "Which sector?")
    assert org.last is not None
    assert "RPA & automation" not in str(org.last.buttons()) and "Cybersecurity" in str(
        org.last.buttons()
    ), sectors
    await answer(org, "/cancel", "Cancelled")
    header = (
        "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
        "contact_email,telegram_username\n"
    )
    row = (
        "Robo SRL,RO,,RPA & automation,Offers long enough,Seeks long enough,Joint venture,"
        "11-50,,Ana,ana@robo.example,\n"
    )
    await org.send_document("c.csv", (header + row).encode(), caption="/import")
    report = (await org.expect("Imported")).text or ""
    assert "line 2: Unknown sector “RPA & automation”" in report
    await org.send("/export")
    exported = await org.expect(lambda m: m.kind == "document")
    rows = list(csv.DictReader(io.StringIO((exported.content or b"").decode())))
    softro = next(r for r in rows if r["name"] == "SoftRo Automation")
    assert softro["sectors"] == "Cybersecurity;RPA & automation"
    assert softro["country"] == "Romania"
    dashboard = await answer(org, "/stats", "Forum dashboard")
    assert "RPA & automation: 2" in dashboard
