"""E-mail addresses and phone numbers end to end, checked by email-validator and
phonenumbers: registration, editing and the CSV import refuse the same addresses, a phone is
read in the company's country, stored in E.164 and shown formatted, and numbers stored before
this (in any shape) still show."""

from __future__ import annotations

from sandbox import Sandbox
from tests.support.flows import answer, edit_field, note_prompt, press, refused, register
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import company, rep

HEADER = (
    "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
    "contact_email,telegram_username\n"
)


def row(name: str, email: str) -> str:
    return (
        f"{name},PK,Lahore,Fintech,Payments and cards for banks,Resellers in Romania please,"
        f"Joint venture,11-50,,Imran,{email},\n"
    )


async def test_registration_checks_email_and_reads_phone_in_the_companys_country(
    sandbox: Sandbox, running: BotHarness
) -> None:
    u = sandbox.user(3401, "Ana")
    await register(u, "Carpathian Code", email="ana@softro.example", phone="+40 721 234 567")
    await answer(u, "/profile", "Carpathian Code")
    await edit_field(u, "Email", "Edit · Contact email")
    await refused(u, ("a..b@x.ro", "ana@x"), "not an email address")
    await answer(u, "ana@EXÄMPLE.ro", "Saved: Contact email")
    await press(u, "Phone", "Edit · Phone")
    await refused(u, ("+1 000 000 0000", "0722 000"), "not a valid phone number")
    await answer(u, "0722 000 111", "Saved: Phone")
    record = await running.services.companies.by_rep(3401)
    assert record is not None
    assert record.contact_email == "ana@exämple.ro" and record.contact_phone == "+40722000111"
    await press(u, "✅ Done", "up to date")
    card = await answer(u, "/profile", "Carpathian Code")
    assert "Phone: +40 722 000 111" in card
    assert "Email: ana@exämple.ro" in card


async def test_a_pakistani_number_as_dialled_in_pakistan(
    sandbox: Sandbox, running: BotHarness
) -> None:
    u = sandbox.user(3402, "Imran")
    await register(u, "Lahore Code", country="🇵🇰 Pakistan", phone="0300 1234567")
    record = await running.services.companies.by_rep(3402)
    assert record is not None and record.contact_phone == "+923001234567"


async def test_csv_import_uses_the_same_email_check(sandbox: Sandbox, running: BotHarness) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    rows = row("Alpha", "a..b@x.ro") + row("Beta", "Imran@Exämple.PK") + row("Gamma", "g@h")
    await org.send_document("c.csv", (HEADER + rows).encode(), caption="/import")
    report = (await org.expect("Imported")).text or ""
    assert "rejected 2 rows" in report
    assert "line 2: contact_email: That is not an email address" in report
    assert "line 4: contact_email: That is not an email address" in report
    [beta] = await running.services.companies.all()
    assert beta.contact_email == "Imran@exämple.pk"


async def test_phones_stored_before_are_still_shown(sandbox: Sandbox, fb: BotHarness) -> None:
    ana = await rep(sandbox, 5101, "Ana", "ana_softro")
    imran = await rep(sandbox, 5201, "Imran", "imran_lhr")
    await company(fb, ana.id, "SoftRo Automation", "Romania", contact_phone="+40700000000")
    await company(fb, imran.id, "LahoreQA", "Pakistan", contact_phone="0300-123 4567 (office)")
    await ana.send("/profile")
    assert "Phone: +40 700 000 000" in ((await ana.expect("SoftRo")).text or "")
    await imran.send("/profile")
    assert "Phone: 0300-123 4567 (office)" in ((await imran.expect("LahoreQA")).text or "")
    # The contact card after an introduction shows the number formatted too.
    await note_prompt(imran)
    await imran.press("📨 Send without a note")
    await ana.expect("Introduction request")
    await ana.press("✅ Accept")
    contacts = await imran.expect("Introduction made")
    assert "Phone: +40 700 000 000" in (contacts.text or "")
