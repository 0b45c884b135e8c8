"""CSV parsing of company imports: line numbers, reasons, case-insensitive lists; countries,
sectors and intents as the forum file names them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.company_files import COLUMNS, ImportReport, decode, parse
from bot.domain.problems import Invalid, Problem
from bot.forum import load_forum

REPO = Path(__file__).resolve().parents[2]
FORUM = load_forum(REPO / "data" / "forum.toml")
SECOND = load_forum(REPO / "tests" / "data" / "forum_de_vn.toml")
SECTORS = ["Fintech", "Cybersecurity", "Telecom"]
HEADER = ",".join(COLUMNS) + "\n"
ROW = (
    "Alpha,RO,,fintech,Offers enough text,Seeks enough text,joint VENTURE,1-10,,Ana,a@a.example,\n"
)


def test_good_row_normalised() -> None:
    rows, bad = parse(HEADER + ROW, FORUM)
    assert bad == []
    row = rows[0]
    assert row.line == 2
    assert row.fields["country"] == "RO" and row.fields["size"] == "1–10"
    assert row.sectors == ["fintech"] and row.partnerships == ["joint_venture"]
    assert row.fields["consent"] == 1 and row.fields["city"] is None


def test_another_forum_reads_its_own_names_codes_and_labels() -> None:
    rows, bad = parse(
        HEADER
        + ROW.replace("RO", "vietnam").replace("joint VENTURE", "Research cooperation")
        + ROW.replace("Alpha", "Beta").replace("RO", "DE").replace("joint VENTURE", "deliver")
        + ROW.replace("Alpha", "Gamma").replace("joint VENTURE", "cooperate"),
        SECOND,
    )
    assert [(r.fields["country"], r.sectors, r.partnerships) for r in rows] == [
        ("VN", ["fintech"], ["cooperate"]),
        ("DE", ["fintech"], ["deliver"]),
    ]
    assert english(bad) == [
        (4, "country: The country must be Germany or Vietnam (or DE / VN), not “RO”.")
    ]


def test_line_numbers_count_multiline_fields_and_skip_blank_lines() -> None:
    multiline = (
        'Beta,PK,,Telecom,"Offers\nover two lines",Seeks enough text,R&D collaboration,'
        "1000+,,Bob,b@b.example,\n"
    )
    text = HEADER + multiline + "\n" + ROW.replace("Alpha", "Gamma").replace("RO", "XX")
    rows, bad = parse(text, FORUM)
    assert [r.line for r in rows] == [2]
    assert bad[0][0] == 5 and bad[0][1].column == "country"


def english(bad: list[tuple[int, Problem]]) -> list[tuple[int, str]]:
    return [(line, problem.english()) for line, problem in bad]


def test_reasons_are_plain_text() -> None:
    _, bad = parse(HEADER + ROW.replace("fintech", "Fintech;Quantum"), FORUM)
    assert english(bad) == [(2, "Unknown sector “Quantum”")]
    _, bad = parse(HEADER + ROW.replace("Alpha", ""), FORUM)
    assert english(bad) == [(2, "name is empty")]
    too_many = ";".join(SECTORS * 2)
    _, bad = parse(HEADER + ROW.replace("fintech", too_many), FORUM)
    assert bad == []  # duplicates collapse to three distinct sectors


def test_bad_header_and_encoding() -> None:
    with pytest.raises(Invalid, match="lacks the column"):
        parse("name,country\n", FORUM)
    with pytest.raises(Invalid, match="empty"):
        parse("", FORUM)
    with pytest.raises(Invalid, match="UTF-8"):
        decode(b"\xff\xfe\x00")
    assert decode("\ufeffname".encode()) == "name"


def test_report_lines() -> None:
    report = ImportReport(created=2, updated=1, rejected=[(4, Problem("bad", column="size"))])
    assert report.lines() == [
        "Imported 3 companies (2 new, 1 updated); rejected 1 row.",
        "line 4: size: bad",
    ]


def test_formula_cells_are_defused_and_import_back() -> None:
    from bot.domain.spreadsheet import from_spreadsheet, spreadsheet_safe

    assert spreadsheet_safe('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)" and spreadsheet_safe(7) == 7
    formula = ROW.replace("Alpha", "'=1+2")
    rows, bad = parse(HEADER + formula, FORUM)
    assert bad == [] and rows[0].fields["name"] == "=1+2"
    assert from_spreadsheet("'plain") == "'plain"


@pytest.mark.parametrize(
    "value",
    [
        "-2+3+cmd|' /C calc'!A0",  # OWASP's example: a minus runs a formula too
        "- dash lists",
        "-5% for resellers",
        "+40 722 000 111",
        "=1+2",
        "@SUM(A1)",
        "\t=1+2",
        "\r=1+2",
        "'=1+2",  # an apostrophe the person typed stays theirs
        "'-",
        "''",
    ],
)
def test_every_owasp_formula_start_is_defused_and_round_trips(value: str) -> None:
    from bot.domain.spreadsheet import from_spreadsheet, spreadsheet_safe

    cell = spreadsheet_safe(value)
    assert isinstance(cell, str) and cell.startswith("'") and cell[1:] == value
    assert from_spreadsheet(cell) == value


@pytest.mark.parametrize("value", ["plain", "Ana-Maria", "40 722 000 111", "", "a=b"])
def test_ordinary_text_is_left_alone(value: str) -> None:
    from bot.domain.spreadsheet import from_spreadsheet, spreadsheet_safe

    assert spreadsheet_safe(value) == value and from_spreadsheet(value) == value


def test_demo_agenda_csv_is_spreadsheet_safe_and_reads_back() -> None:
    from datetime import UTC, datetime

    from bot.domain.agenda_files import parse_agenda, shifted_csv

    agenda = (
        "title,start,end,speakers,track,description,link\n"
        '"-Opening",2025-11-20T10:00+02:00,2025-11-20T10:30+02:00,"@host",,"=cmd",\n'
    )
    shifted = shifted_csv(agenda.encode(), datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    assert "'-Opening" in shifted.decode() and "'=cmd" in shifted.decode()
    (item,) = parse_agenda(shifted, "a.csv")
    assert (item.title, item.speakers, item.description) == ("-Opening", "@host", "=cmd")
