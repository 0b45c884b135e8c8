"""Companies CSV files through the chat and the CLI, as a careless organiser would use them:
re-imports never override what a rep decided, big files are refused before the download,
long reports stay one message plus a file, and exports defuse spreadsheet formulas."""

from __future__ import annotations

import csv
import io

from bot.sandbox import Sandbox, SandboxUser, SentMessage
from tests.harness import ADMIN_ID, REPO_ROOT, BotHarness

SAMPLE = REPO_ROOT / "data" / "sample_companies.csv"
HEADER = (
    "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
    "contact_email,telegram_username\n"
)
# Text a spreadsheet would run as a formula, and text that only looks like one: a phone
# number, a discount, an apostrophe the person typed themselves.
FORMULAS = (
    '"-Minus Soft",PK,Lahore,Software development & product engineering,'
    '"+40 722 000 111 hotline; -5% on QA testing outsourcing for Romanian firms",'
    '"=SUM(A1) is no formula here; we seek RPA automation partners",'
    "Deliver services as a subcontractor,11-50,,\"'quoted' Ana\",ana@minus.example,\n"
)


def rows_of(message: SentMessage) -> list[dict[str, str]]:
    assert message.content is not None
    return list(csv.DictReader(io.StringIO(message.content.decode("utf-8"))))


async def document(user: SandboxUser) -> SentMessage:
    return await user.expect(lambda m: m.kind == "document")


async def test_exports_defuse_every_formula_start_and_import_back_unchanged(
    sandbox: Sandbox, running: BotHarness
) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    await org.send_document("c.csv", SAMPLE.read_bytes() + FORMULAS.encode(), caption="/import")
    await org.expect("(34 new, 0 updated); rejected 0 rows.")
    before = await running.services.companies.by_name("-Minus Soft", "Pakistan")
    assert before is not None

    await org.send("/export")
    exported = await document(org)
    row = next(r for r in rows_of(exported) if r["id"] == str(before.id))
    assert row["name"] == "'-Minus Soft"
    assert row["offers"].startswith("'+40 722 000 111")
    assert row["seeks"].startswith("'=SUM(A1)")
    assert row["contact_name"] == "''quoted' Ana"
    # No cell of the file starts like a formula (OWASP: = + - @ tab carriage return).
    for cells in csv.reader(io.StringIO(exported.content.decode())):  # type: ignore[union-attr]
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells

    # The exported file, sent back as it is, changes nothing: every apostrophe comes off.
    await org.send_document("back.csv", exported.content or b"", caption="/import")
    await org.expect("(0 new, 34 updated); rejected 0 rows.")
    after = await running.services.companies.by_name("-Minus Soft", "Pakistan")
    assert after is not None
    assert (after.name, after.offers, after.seeks, after.contact_name) == (
        before.name,
        before.offers,
        before.seeks,
        "'quoted' Ana",
    )

    await org.send("/exportmatches 3")
    matches = rows_of(await document(org))
    mine = [r for r in matches if "Minus Soft" in r["company"]]
    assert mine and all(r["company"] == "'-Minus Soft" for r in mine)
    theirs = [r for r in matches if "Minus Soft" in r["match"]]
    assert all(r["match"] == "'-Minus Soft" for r in theirs)
