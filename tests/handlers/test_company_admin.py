"""Organisers' /import (CSV document with the caption) and /export in chat, the claim links
of imported companies, and the CLI import/export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sandbox import Sandbox
from tests.support.flows import answer
from tests.support.harness import ADMIN_ID, REPO_ROOT, BotHarness, bot_env, run_cli

SAMPLE = REPO_ROOT / "data" / "sample_companies.csv"
HEADER = (
    "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
    "contact_email,telegram_username\n"
)
GOOD = (
    '"Alpha <b>&</b> Co",RO,Iași,fintech;CYBERSECURITY,"Payments, cards & more",'
    "Resellers in Pakistan please,Joint venture,11-50,alpha.example,Ana,ana@alpha.example,"
    "@alpha_ro\n"
)
BAD_ROWS = (
    "Beta,France,,Fintech,Offers long text,Seeks long text,Joint venture,1–10,,Bob,b@b.example,\n"
    "Gamma,PK,,Quantum,Offers long text,Seeks long text,Joint venture,1–10,,Gob,g@g.example,\n"
    "Delta,PK,,Fintech,short,Seeks enough text,Joint venture,1–10,,Dob,d@d.example,\n"
    "Epsilon,PK,,Fintech,Offers long text,Seeks long text,Joint venture,huge,,Eob,e@e.example,\n"
    "Zeta,PK,,Fintech,Offers long text,Seeks long text,Joint venture,1–10,,Zob,not-email,\n"
)


async def test_import_good_and_bad_rows_then_reimport(
    sandbox: Sandbox, running: BotHarness
) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    await org.send_document("companies.csv", (HEADER + GOOD + BAD_ROWS).encode(), caption="/import")
    report = (await org.expect("Imported")).text
    assert "Imported 1 company (1 new, 0 updated); rejected 5 rows." in report
    assert "line 3: country" in report
    assert "line 4: Unknown sector “Quantum”" in report
    assert "line 5: offers" in report
    assert "line 6: size" in report
    assert "line 7: contact_email" in report
    companies = await running.services.companies.all()
    assert len(companies) == 1
    alpha = companies[0]
    assert alpha.name == "Alpha <b>&</b> Co" and alpha.country == "RO"
    assert alpha.sectors == ("cyber", "fintech") and alpha.size == "11–50"
    assert alpha.matchable and alpha.source == "import" and alpha.telegram_username == "alpha_ro"
    # Re-import of the same company (same name and country, other case) updates it.
    changed = GOOD.replace("Payments, cards & more", "Only payments now").replace(
        "Alpha <b>&</b> Co", "ALPHA <b>&</b> CO"
    )
    await org.send_document("again.csv", (HEADER + changed).encode(), caption="/import")
    await org.expect("(0 new, 1 updated)")
    companies = await running.services.companies.all()
    assert len(companies) == 1 and companies[0].offers == "Only payments now"
    # Both imports are organiser actions, so both are in the audit log.
    await org.send("/audit")
    log = (await org.expect("import companies")).text
    assert "1 imported, 5 rejected (companies.csv)" in log
    assert "1 imported, 0 rejected (again.csv)" in log


async def test_import_refuses_bad_files_and_non_organisers(
    sandbox: Sandbox, running: BotHarness
) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    await org.send_document("x.csv", b"name,country\nA,RO\n", caption="/import")
    await org.expect("lacks the column(s) city")
    await org.send_document("x.csv", b"\xff\xfe\x00bad", caption="/import")
    await org.expect("not UTF-8")
    await answer(org, "/import", "caption /import")
    rep = sandbox.user(4101, "Rep")
    await rep.send_document("c.csv", SAMPLE.read_bytes(), caption="/import")
    await rep.expect("for the forum organisers")
    await answer(rep, "/export", "for the forum organisers")
    assert await running.services.companies.all() == []


async def test_sample_import_export_and_claim(sandbox: Sandbox, running: BotHarness) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    await org.send_document("sample.csv", SAMPLE.read_bytes(), caption="/import")
    await org.expect("Imported 33 companies (33 new, 0 updated); rejected 0 rows.")
    await org.send("/export")
    doc = await org.expect(lambda m: m.kind == "document")
    assert doc.filename and doc.filename.endswith(".csv") and doc.content
    rows = list(csv.DictReader(io.StringIO(doc.content.decode())))
    assert len(rows) == 33
    assert list(rows[0]) == [
        "id", "name", "country", "city", "sectors", "offers", "seeks", "partnerships", "size",
        "website", "contact_name", "contact_email", "telegram_username", "reps", "claim_link",
        "created_at",
    ]  # fmt: skip
    countries = {r["country"] for r in rows}
    assert countries == {"Romania", "Pakistan"}
    first = rows[0]
    link = re.fullmatch(r"https://t\.me/\w+\?start=(claim_[\w-]+)", first["claim_link"])
    assert link, first["claim_link"]
    # The rep takes the imported company over in Telegram.
    rep = sandbox.user(4102, "Ioana")
    await answer(rep, f"/start {link.group(1)}", "You now represent")
    company = await running.services.companies.by_rep(4102)
    assert company is not None and company.name == first["name"]
    await org.send("/export")
    doc = await org.expect(lambda m: m.kind == "document")
    rows = list(csv.DictReader(io.StringIO(doc.content.decode())))  # type: ignore[union-attr]
    claimed = next(r for r in rows if r["id"] == first["id"])
    assert claimed["reps"] == "1" and claimed["claim_link"] == ""
    # The same claim link does not work twice.
    other = sandbox.user(4103, "Other")
    await answer(other, f"/start {link.group(1)}", "not valid")


async def test_cli_import_and_export(sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    env = bot_env(sandbox, db)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD + BAD_ROWS, encoding="utf-8")
    code, out, _ = await run_cli("import-companies", str(bad), env=env, cwd=tmp_path)
    assert code == 0
    assert "Imported 1 company (1 new, 0 updated); rejected 5 rows." in out
    assert "line 4: Unknown sector “Quantum”" in out
    code, out, _ = await run_cli("import-companies", str(SAMPLE), env=env, cwd=tmp_path)
    assert "Imported 33 companies (33 new, 0 updated)" in out
    target = tmp_path / "out.csv"
    code, out, _ = await run_cli("export", "companies", str(target), env=env, cwd=tmp_path)
    assert code == 0 and "Exported 34 companies" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 34
    assert all(r["claim_link"].startswith("https://t.me/") for r in rows)
    code, out, _ = await run_cli(
        "import-companies", str(tmp_path / "nope.csv"), env=env, cwd=tmp_path
    )
    assert code == 1 and "cannot read" in out
