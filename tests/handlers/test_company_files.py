"""Companies CSV files through the chat and the CLI, as a careless organiser would use them:
re-imports never override what a rep decided, big files are refused before the download,
long reports stay one message plus a file, and exports defuse spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sandbox import Sandbox, SandboxUser, SentMessage
from tests.support.flows import answer, press, register
from tests.support.harness import ADMIN_ID, REPO_ROOT, BotHarness, bot_env, run_cli

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
    before = await running.services.companies.by_name("-Minus Soft", "PK")
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
    after = await running.services.companies.by_name("-Minus Soft", "PK")
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


def sample_row(name: str) -> str:
    """The sample file's line for ``name`` (with its newline)."""
    return next(
        line for line in SAMPLE.read_text("utf-8").splitlines(True) if line.startswith(name)
    )


async def claim(rep: SandboxUser, org: SandboxUser, name: str) -> None:
    """``rep`` takes over the imported company ``name`` with its claim link."""
    await org.send("/export")
    row = next(r for r in rows_of(await document(org)) if r["name"] == name)
    payload = row["claim_link"].split("?start=")[1]
    await answer(rep, f"/start {payload}", "You now represent")


async def test_reimport_never_overrides_a_reps_company(
    sandbox: Sandbox, running: BotHarness, db_path: Path
) -> None:
    """A rep claimed one imported company (then paused it and changed its email) and
    registered another without consent; the organiser re-imports an older file over both."""
    org = sandbox.user(ADMIN_ID, "Org")
    await org.send_document("sample.csv", SAMPLE.read_bytes(), caption="/import")
    await org.expect("(33 new, 0 updated)")
    claimed_row = sample_row("Carpathian Code SRL")
    unclaimed_row = sample_row("Dunărea Security Labs")

    ioana = sandbox.user(5101, "Ioana")
    await claim(ioana, org, "Carpathian Code SRL")
    await answer(ioana, "/profile", "Carpathian Code SRL")
    await ioana.press("⏸ Pause matching")
    await ioana.expect(lambda m: "▶️ Resume matching" in str(m.buttons()))
    await press(ioana, "✏️ Edit", "Which field")
    await ioana.press("Email")
    await answer(ioana, "ioana.new@carpathiancode.example", "Saved: Contact email")

    bilal = sandbox.user(5102, "Bilal")
    await register(bilal, "Quetta QA Guild", country="🇵🇰 Pakistan", agree=False)
    quetta_row = (
        '"Quetta QA Guild",PK,Quetta,Software development & product engineering,'
        '"QA testing and test automation for European software houses",'
        '"Romanian clients who outsource QA and regression testing",'
        "Deliver services as a subcontractor,11-50,,Someone Else,other@quetta.example,\n"
    )
    services = running.services
    before = {
        name: await services.companies.by_name(name, country)
        for name, country in (("Carpathian Code SRL", "RO"), ("Quetta QA Guild", "PK"))
    }

    reimport = (
        HEADER
        + claimed_row.replace("ioana@carpathiancode.example", "old@carpathiancode.example")
        + quetta_row
        + unclaimed_row.replace("Managed SOC", "Round-the-clock SOC")
        + FORMULAS
    )
    await org.send_document("older.csv", reimport.encode(), caption="/import")
    report = (await org.expect("Imported")).text or ""
    assert (
        "Imported 2 companies (1 new, 1 updated); 2 not changed (managed by their reps); "
        "rejected 0 rows." in report
    )
    assert "line 2: Carpathian Code SRL is managed by its rep; not changed" in report
    assert "line 3: Quetta QA Guild is managed by its rep; not changed" in report

    for (name, country), was in zip(
        (("Carpathian Code SRL", "RO"), ("Quetta QA Guild", "PK")),
        before.values(),
        strict=True,
    ):
        now = await services.companies.by_name(name, country)
        assert now == was, f"{name} was changed by the import"
    carpathian = before["Carpathian Code SRL"]
    assert carpathian is not None and carpathian.paused
    assert carpathian.contact_email == "ioana.new@carpathiancode.example"
    quetta = before["Quetta QA Guild"]
    assert quetta is not None and not quetta.consent and not quetta.matchable
    # A company nobody claimed is still the organisers' to update.
    dunarea = await services.companies.by_name("Dunărea Security Labs", "RO")
    assert dunarea is not None and dunarea.offers.startswith("Round-the-clock SOC")
    await answer(org, "/audit", "2 managed by their reps (older.csv)")

    # The command line follows the same rule: it is enforced where the rows are stored.
    await running.stop()
    older = db_path.parent / "older.csv"
    older.write_text(reimport, encoding="utf-8")
    code, out, _ = await run_cli(
        "import-companies", str(older), env=bot_env(sandbox, db_path), cwd=db_path.parent
    )
    assert code == 0, out
    assert "(0 new, 2 updated); 2 not changed (managed by their reps)" in out
    assert "line 3: Quetta QA Guild is managed by its rep; not changed" in out
    await running.start()
    for (name, country), was in zip(
        (("Carpathian Code SRL", "RO"), ("Quetta QA Guild", "PK")),
        before.values(),
        strict=True,
    ):
        assert await running.services.companies.by_name(name, country) == was


async def test_oversized_csv_is_refused_before_download(
    sandbox: Sandbox, running: BotHarness
) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    big = HEADER.encode() + b"x" * (5 * 1024 * 1024)
    await org.send_document("big.csv", big, caption="/import")
    refused = (await org.expect("Nothing was imported")).text or ""
    assert sandbox.calls_of("getFile") == [], "the file was fetched before its size was checked"
    assert "5.0 MB; the limit is 5 MB" in refused
    assert await running.services.companies.all() == []


async def test_five_hundred_bad_rows_are_one_message_and_one_file(
    sandbox: Sandbox, running: BotHarness
) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    bad = "".join(
        f"Company number {i},France,,Fintech,Offers long enough text,Seeks long enough text,"
        f"Joint venture,1–10,,Person {i},p{i}@example.org,\n"
        for i in range(500)
    )
    before = len(sandbox.messages(ADMIN_ID))
    await org.send_document("bad.csv", (HEADER + bad).encode(), caption="/import")
    report = await org.expect("rejected 500 rows")
    full = await document(org)
    await sandbox.wait_idle()
    sent = sandbox.messages(ADMIN_ID)[before:]
    assert [m.kind for m in sent] == ["text", "document"], [m.kind for m in sent]
    assert len(report.text or "") < 4096
    assert "line 2: country" in (report.text or "") and "file below" in (report.text or "")
    lines = (full.content or b"").decode().splitlines()
    assert sum(line.startswith("line ") for line in lines) == 500
    assert lines[-1].startswith("line 501: country")
