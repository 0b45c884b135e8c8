"""Invisible and control characters end to end: an answer or an imported field that shows
nothing is refused (registration, edit and CSV import alike), controls are dropped from what
is stored, and a name that still carries bidi controls (stored before this check) reaches
nobody with them: not in match cards, introduction requests, broadcast audiences or exports."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from sandbox import Sandbox
from tests.support.flows import answer, choose, edit_field, note_prompt, organiser, press, register
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import company, rep

# Shows nothing: zero-width characters, bidi overrides and isolates, null and other controls,
# a soft hyphen and a byte-order mark, and these mixed with spaces.
INVISIBLE = (
    "\u200b\u200c\u200d",
    "\u202e\u202d\u2066\u2069",
    "\x00\x01\x7f",
    "\u00ad\ufeff \u2060",
    " \u200b \u202e \x00 ",
)
HEADER = (
    "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
    "contact_email,telegram_username\n"
)


def row(name: str, *, city: str = "Iași", offers: str = "Payments and cards for banks") -> str:
    return (
        f'"{name}",RO,"{city}",Fintech,"{offers}",Resellers in Pakistan please,Joint venture,'
        "11-50,,Ana,ana@alpha.example,\n"
    )


def bidi_free(text: str | None) -> bool:
    return not any(
        unicodedata.bidirectional(ch)
        in {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}
        for ch in text or ""
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 11, 19, 12, 0, tzinfo=UTC))


async def test_registration_refuses_answers_that_show_nothing(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    u = sandbox.user(3301, "Ana")
    await answer(u, "/register", "Step 1 of 12")
    for blank in INVISIBLE:
        text = await answer(u, blank, "no visible characters")
        assert "Step 1 of 12" in text
    # One visible letter among invisible ones is still too short for a name.
    await answer(u, "A\u200b\u200b\u202e", "at least 2 characters")
    await answer(u, "Valid Name", "Step 2 of 12")
    await press(u, "🇷🇴 Romania", "Step 3 of 12")
    await answer(u, "\u200b\u2067\u2069", "no visible characters")
    await answer(u, "Iași", "Step 4 of 12")
    await choose(u, ("Fintech",), "Step 5 of 12")
    await answer(u, "\u200b" * 20 + "\n\n" + "\u202e" * 20, "no visible characters")
    await answer(u, "/cancel", "Nothing was saved")


async def test_controls_are_dropped_from_what_is_stored(sandbox: Sandbox, fb: BotHarness) -> None:
    u = sandbox.user(3302, "Ana")
    await register(
        u,
        "\u202eAcme\u202c\x00  \u2066Soft\u2069",
        city="\u2067Cluj-Napoca\u2069",
        offers="Line one\x00 with\u202e a control\nline two",
        contact="Ioana\tPopescu\x07",
    )
    record = await fb.services.companies.by_rep(3302)
    assert record is not None
    assert record.name == "Acme Soft" and record.city == "Cluj-Napoca"
    assert record.offers == "Line one with a control\nline two"
    assert record.contact_name == "Ioana Popescu"
    # Editing a field goes through the same check.
    await answer(u, "/profile", "Acme Soft")
    await edit_field(u, "Name", "Edit · Company name")
    await answer(u, "\u202d\u200b", "no visible characters")


async def test_csv_import_refuses_invisible_fields_with_their_line(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    rows = [row(name) for name in ("\u200b\u202e\u2069", "Alpha\u200b\u202e Co")]
    rows.append(row("Beta Co", city="\u200b\u200d"))
    rows.append(row("Gamma Co", offers="\u00ad" * 30))
    rows.append(row("\u2067Delta\u2069 Co"))
    await org.send_document("c.csv", (HEADER + "".join(rows)).encode(), caption="/import")
    report = (await org.expect("Imported")).text or ""
    assert "Imported 2 companies (2 new, 0 updated); rejected 3 rows." in report
    assert "line 2: name: The company name is empty: it has no visible characters." in report
    assert "line 4: city: The city is empty" in report
    assert "line 5: offers: What you offer is empty" in report
    names = sorted(c.name for c in await fb.services.companies.all())
    # The zero-width space stays (it is not a control); the bidi controls are gone.
    assert names == ["Alpha\u200b Co", "Delta Co"]


async def test_names_stored_with_bidi_controls_are_shown_without(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    # Stored straight through the repository, as a row from before the check would be.
    mirrored = "\u202eSoftRo\u202c \u2067Automation\u2069"
    ana = await rep(sandbox, 5101, "Ana", "ana_softro")
    imran = await rep(sandbox, 5201, "Imran", "imran_lhr")
    await company(fb, ana.id, mirrored, "Romania", contact_name="\u202eAna\u202c Pop")
    await company(fb, imran.id, "LahoreQA", "Pakistan")
    # The match card Imran sees.
    await imran.send("/matches")
    card = await imran.expect("Match 1 of")
    assert "SoftRo Automation" in (card.text or "") and bidi_free(card.text)
    # The introduction request Imran gets, and the contact card after he accepts.
    await note_prompt(ana)
    await ana.send("Hello \u202efrom\u202c Cluj")
    request = await imran.expect("Introduction request")
    assert "SoftRo Automation" in (request.text or "") and bidi_free(request.text)
    await imran.press("✅ Accept")
    contacts = await imran.expect("Introduction made")
    assert "Ana Pop" in (contacts.text or "") and bidi_free(contacts.text)
    # The organisers' export.
    org = await organiser(sandbox)
    await org.send("/export")
    doc = await org.expect(lambda m: m.kind == "document")
    exported = (doc.content or b"").decode("utf-8")
    assert "SoftRo Automation" in exported and bidi_free(exported)


async def test_broadcast_audience_names_are_shown_without_bidi_controls(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    org = await organiser(sandbox)
    agenda = (
        "title,start,end,speakers,track,description,link\n"
        "\u202eKeynote\u202c \u2066AI\u2069,2025-11-20T10:00+02:00,2025-11-20T11:00+02:00,"
        ",Plenary,,\n"
    )
    await org.send_document("agenda.csv", agenda.encode(), caption="/agenda_import")
    await org.expect("imported")
    await answer(org, "/broadcast", "Send me the message")
    await answer(org, "Doors open at 9", "Who should get it?")
    await org.press("Subscribers of a session…")
    menu = await org.expect("Subscribers of which session?")
    assert bidi_free(str(menu.buttons())) and "Keynote AI" in str(menu.buttons())
    await org.press(next(b for r in menu.buttons() for b in r if "Keynote" in b))
    shown = await org.expect("Keynote AI")
    assert bidi_free(shown.text)
