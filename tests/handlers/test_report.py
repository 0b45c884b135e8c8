"""/report and ``python -m bot report``: the workbook opened with openpyxl — its sheets,
headers, frozen header rows, filters and widths, the funnel's numbers against the
database, the native chart, text that looks like a formula kept as text, and an erased
rep's note gone from the next report."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from bot.clock import FakeClock
from bot.services.followups import FollowupService
from sandbox import Sandbox
from tests.support.flows import accepted_in_chat, answer, compose, document, is_report, press
from tests.support.harness import ADMIN_ID, BotHarness, bot_env, run_cli
from tests.support.matchkit import company, pair, rep
from tests.support.storage import bare_company

FORMULA = '=HYPERLINK("http://evil.example","click")'
STEPS = [
    "Registered in Telegram",
    "Consented to be matched",
    "Has a cross-border match",
    "Requested or received an introduction",
    "Introduction accepted",
    "Meeting booked",
    "Meeting held",
    "Follow-up: talks ongoing (or agreement)",
    "Follow-up: agreement signed",
]


async def _count(fb: BotHarness, sql: str) -> int:
    row = await fb.services.db.fetchone(sql)
    return int(row[0]) if row else 0


async def expected_funnel(fb: BotHarness) -> list[int]:
    """The funnel from the database, by other means than the service that computes it."""
    registered = "SELECT company_id FROM company_reps"
    matched = 0
    service = fb.services.matching
    for company_id in {int(r[0]) for r in await fb.services.db.fetchall(registered)}:
        record = await fb.services.companies.get(company_id)
        assert record is not None
        view = await service.matches_for(record)
        # /matches hides pairs already introduced; such a pair was a match all the same.
        introduced = await fb.services.introductions.for_company(company_id)
        matched += bool(view.matches or introduced)
    sides = (
        "SELECT requester_company_id AS c, state FROM introductions "
        "UNION ALL SELECT target_company_id, state FROM introductions"
    )
    return [
        await _count(fb, f"SELECT count(DISTINCT company_id) FROM ({registered})"),
        await _count(
            fb, f"SELECT count(*) FROM companies WHERE consent = 1 AND id IN ({registered})"
        ),
        matched,
        await _count(fb, f"SELECT count(DISTINCT c) FROM ({sides}) WHERE c IN ({registered})"),
        await _count(
            fb,
            f"SELECT count(DISTINCT c) FROM ({sides}) WHERE state = 'accepted' "
            f"AND c IN ({registered})",
        ),
        0,
        0,
        await _count(fb, "SELECT count(*) FROM followups WHERE answer IN ('ongoing', 'signed')"),
        await _count(fb, "SELECT count(*) FROM followups WHERE answer = 'signed'"),
    ]


async def test_the_report_workbook(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock, tmp_path: Path, db_path: Path
) -> None:
    services = fb.services
    ana, ro, imran, _pk = await pair(sandbox, fb)
    dan = await rep(sandbox, 5102, "Dan")
    await services.companies.add_rep(ro, dan.id, now=clock.now())
    eve = await rep(sandbox, 5103, "Eve")
    await company(fb, eve.id, "Paused Bucharest Soft", "Romania", paused=1)
    await bare_company(
        services.db,
        FORMULA,
        "PK",
        now=clock.now(),
        offers="+cmd|' /C calc'!A0 and more offers",
        seeks="@SUM(1,2) partners",
        contact_email="x@formula.example",
        source="import",
    )
    await accepted_in_chat(ana, imran)
    clock.advance(days=61)
    assert await FollowupService(services).run_due() == 2
    await dan.expect("What came of your contact")
    await imran.expect("What came of your contact")
    await press(dan, "Talks ongoing", "Would you add a short note")
    await answer(dan, "Dan's secret plan with LahoreQA", "your note is saved")
    await press(imran, "Agreement signed", "Would you add a short note")
    await press(imran, "No note", "Thank you.")
    admin = await rep(sandbox, ADMIN_ID, "Org")
    services.broadcasts.progress_interval = 0.2
    await compose(admin, "Thanks for <b>coming</b>")
    await press(admin, "Everyone", "That is the preview")
    await press(admin, "✅ Send now", "is going out")
    await admin.expect(is_report, timeout=20)

    content = await document(admin, "/report")
    assert admin.messages[-1].filename == f"forum-report-{clock.now():%Y-%m-%d}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Summary", "Companies", "Introductions", "Follow-ups", "Broadcasts"]

    summary = book["Summary"]
    assert summary["A1"].value == "Romania–Pakistan IT Forum 2025: what the forum produced"
    assert [c.value for c in summary[4][:3]] == [
        "Step (companies)",
        "Companies",
        "Share of registered",
    ]
    assert [summary.cell(row=r, column=1).value for r in range(5, 14)] == STEPS
    numbers = [summary.cell(row=r, column=2).value for r in range(5, 14)]
    assert numbers == await expected_funnel(fb)
    assert numbers == [3, 3, 2, 2, 2, 0, 0, 2, 1]  # the story above, for the reader
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "Summary!$B$5:$B$13" in chart
    assert "Summary!$A$5:$A$13" in chart

    companies = book["Companies"]
    headers = [c.value for c in companies[1]]
    assert headers[:3] == ["ID", "Company", "Country"]
    assert "Contact" not in " ".join(str(h) for h in headers)  # no contact person or e-mail
    assert companies.freeze_panes == "A2"
    assert companies.auto_filter.ref == f"A1:P{companies.max_row}"
    assert companies.column_dimensions["G"].width > 30  # offers: wide enough to read
    formula_row = next(r for r in companies.iter_rows(min_row=2) if r[1].value == FORMULA)
    assert formula_row[1].data_type == "s"  # text, not a formula
    assert formula_row[6].value == "+cmd|' /C calc'!A0 and more offers"
    assert formula_row[6].data_type == "s" and formula_row[7].data_type == "s"
    assert formula_row[14].value is None  # never invited

    intros = book["Introductions"]
    assert [c.value for c in intros[1]][:6] == [
        "ID", "Requested by", "Country", "Requested of", "Country ", "State",
    ]  # fmt: skip
    assert [c.value for c in intros[2]][1:6] == [
        "SoftRo Automation", "Romania", "LahoreQA", "Pakistan", "accepted",
    ]  # fmt: skip
    assert intros.freeze_panes == "A2" and intros.auto_filter.ref == "A1:J2"

    followups = {
        (r[1].value, r[5].value, r[6].value) for r in book["Follow-ups"].iter_rows(min_row=2)
    }
    assert followups == {
        ("SoftRo Automation", "Talks ongoing", "Dan's secret plan with LahoreQA"),
        ("LahoreQA", "Agreement signed", None),
    }
    broadcasts = book["Broadcasts"]
    row = [c.value for c in broadcasts[2]]
    assert row[1] == "Thanks for coming" and row[6] == row[7] == 5  # 5 users, all sent

    # Dan erases himself; the report written by the command line no longer has his note.
    await answer(dan, "/deleteme", "Are you sure")
    await press(dan, "🗑 Yes, delete everything", "Deleted")
    target = tmp_path / "report.xlsx"
    code, out, err = await run_cli(
        "report", str(target), env=bot_env(sandbox, db_path), cwd=tmp_path
    )
    assert code == 0, err
    assert f"Wrote the report to {target}" in out
    again = openpyxl.load_workbook(target)
    cells = [str(c.value) for ws in again.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if "secret plan" in c or "Dan" in c]
    answers = [(r[1].value, r[5].value) for r in again["Follow-ups"].iter_rows(min_row=2)]
    assert ("SoftRo Automation", "Talks ongoing") in answers  # the company's answer stays


async def test_report_is_for_organisers_only(sandbox: Sandbox, fb: BotHarness) -> None:
    eve = await rep(sandbox, 5301, "Eve")
    await answer(eve, "/report", "for the forum organisers only")
    assert not sandbox.calls_of("sendDocument")
