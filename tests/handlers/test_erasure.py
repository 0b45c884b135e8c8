"""/deleteme end to end: after it, no byte of the person is left in the database file, its
-wal and -shm, in any table, in another user's /mydata or in the organisers' exports; the
audit log keeps their actions under a pseudonym ("erased user #N")."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sandbox import Sandbox
from storage.db import Database
from tests.support.flows import (
    answer,
    compose,
    document,
    edit_field,
    is_report,
    press,
    register,
    request_intro,
    started,
)
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import lahore_qa

# The person to erase, with values found nowhere else. Their Telegram id is > 2^31, as
# real ids are today, and stored as INTEGER in most tables.
RID = 7731904265
FIRST, LAST, USERNAME = "Zenobia", "Quillfeather", "Zq_Erasable_Rep"
CONTACT = "Xantippe Vorlăufer"
EMAIL = "xantippe.vorlaufer@quillmail.example"
PHONE = "+40 744 913 527"
NOTE = "Marmalade-orbit: let us build the Zeppelin bridge together"
COMPANY = "Nimbostratus Automation SRL"
TEXTS = (
    str(RID),
    FIRST,
    LAST,
    USERNAME,
    "Xantippe",
    "Vorlăufer",
    EMAIL,
    "Marmalade-orbit",
    "Zeppelin bridge",
    "Nimbostratus",
)
# The phone in any format: E.164, spaced, dashed, national.
PHONE_BYTES = re.compile(rb"744\D{0,3}913\D{0,3}527")


def variants(text: str) -> set[bytes]:
    """The byte forms a value can take in a SQLite file: UTF-8, lower-cased (the username
    index is on lower(username)), and JSON's \\u escapes."""
    forms = {text, text.lower(), text.casefold()}
    forms |= {json.dumps(f)[1:-1] for f in list(forms)}
    return {f.encode() for f in forms}


def leftovers(blob: bytes, where: str) -> list[str]:
    found = []
    lowered = blob.lower()
    for text in TEXTS:
        for needle in variants(text):
            at = lowered.find(needle.lower()) if needle.isascii() else blob.find(needle)
            if at >= 0:
                found.append(f"{where}: {text!r} at {at}: {blob[max(0, at - 40) : at + 60]!r}")
                break
    for match in PHONE_BYTES.finditer(blob):
        found.append(f"{where}: phone at {match.start()}: {match.group()!r}")
    return found


def scan_files(db_path: Path) -> list[str]:
    found = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            found += leftovers(path.read_bytes(), path.name)
    return found


async def references(db: Database, value: int) -> list[str]:
    """Every table and column that holds the integer anywhere (as a value or inside text)."""
    found = []
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (table,) in tables:
        for column in await db.fetchall(f"PRAGMA table_info({table})"):
            name = column[1]
            row = await db.fetchone(
                f'SELECT count(*) FROM {table} WHERE "{name}" = ? '
                f'OR instr(CAST("{name}" AS TEXT), ?) > 0',
                (value, str(value)),
            )
            if row and row[0]:
                found.append(f"{table}.{name}: {row[0]} row(s)")
    return found


async def test_deleteme_leaves_no_byte_of_the_person(
    sandbox: Sandbox, running: BotHarness, db_path: Path
) -> None:
    running.services.broadcasts.progress_interval = 0.3
    admin = await started(sandbox, ADMIN_ID, "Org")
    zen = await started(sandbox, RID, FIRST, last_name=LAST, username=USERNAME)
    await register(zen, COMPANY, contact=CONTACT, email=EMAIL, phone=PHONE)
    imran = await lahore_qa(sandbox, running, 5301, ("Resell or distribute products",))
    # An introduction with a note, accepted: contact cards go out in both directions.
    await request_intro(zen, NOTE)
    await imran.expect("Marmalade-orbit")
    await press(imran, "✅ Accept", "You accepted")
    card = await imran.expect(f"Introduction made: {COMPANY}")
    assert EMAIL in (card.text or "") and f"@{USERNAME}" in (card.text or "")
    await zen.expect("Introduction made: LahoreQA")
    # An organiser: promoted by username, then acting as one (a promotion and a broadcast).
    await answer(admin, f"/promote @{USERNAME.lower()}", "is now an organiser")
    await zen.expect("You are now an organiser")
    await answer(zen, "/promote 5301", "is now an organiser")
    await compose(zen, f"Greetings from {FIRST} <b>{LAST}</b>")
    await press(zen, "Everyone", "That is the preview")
    await zen.press("✅ Send now")
    await zen.expect(is_report, timeout=10)
    await imran.expect(f"Greetings from {FIRST} {LAST}")
    # Their own export, and the other side's, hold them (both sides said yes).
    assert EMAIL.encode() in await document(zen, "/mydata")
    assert EMAIL.encode() in await document(imran, "/mydata")
    await sandbox.wait_idle()

    await answer(zen, "/deleteme", "Are you sure")
    await press(zen, "🗑 Yes, delete everything", "Deleted")
    await sandbox.wait_idle()
    assert running.app is not None
    await running.app.update_persistence()  # what PTB would flush a moment later

    assert await references(running.services.db, RID) == []
    assert scan_files(db_path) == []
    # Nobody else's view of the data brings them back.
    assert leftovers(await document(imran, "/mydata"), "Imran's /mydata") == []
    assert leftovers(await document(admin, "/export"), "/export") == []
    audit = (await answer(admin, "/audit", "Audit log")).split("\n")
    assert leftovers("\n".join(audit).encode(), "/audit") == []
    # The pseudonym is the same in every row and is not the Telegram id.
    assert sum("erased user #1" in line for line in audit) == 3, audit
    promoted_by_admin = [line for line in audit if line.endswith("promote erased user #1")]
    assert promoted_by_admin and "Org" in promoted_by_admin[0]
    assert any("erased user #1: promote 5301" in line for line in audit), audit
    # The company went with its last rep, and its introductions with it.
    await answer(imran, "/intros", "No introductions yet")
    await running.stop()  # the last flush of persistence and the final checkpoint
    assert scan_files(db_path) == []


async def test_no_flush_brings_an_erased_user_back(sandbox: Sandbox, running: BotHarness) -> None:
    """PTB hands the persistence every user and chat an update or job touched, also after
    the erasure dropped them; nothing of theirs may be written back."""
    uid = 7731900001
    user = sandbox.user(uid, "Half", last_name="Registered", username="half_reg")
    await answer(user, "/register", "Step 1 of 12")
    await answer(user, "Zanzibar Draft Works", "Step 2 of 12")
    app = running.app
    assert app is not None
    await app.update_persistence()
    assert await references(running.services.db, uid)  # the draft and the conversation
    await answer(user, "/deleteme", "Are you sure")
    await press(user, "🗑 Yes, delete everything", "Deleted")
    await app.update_persistence()
    app.mark_data_for_update_persistence(chat_ids=uid, user_ids=uid)
    await app.update_persistence()
    assert await references(running.services.db, uid) == []
    # Their half-done registration does not resume: the next answer is not step 2's.
    await answer(user, "Kilimanjaro", "not sure what to do")


async def test_deleteme_of_a_colleague_keeps_the_company_without_them(
    sandbox: Sandbox, running: BotHarness, db_path: Path
) -> None:
    ana = await started(sandbox, 4101, "Ana")
    await register(ana, "Keepsake Soft SRL", contact="Ana Pop", email="ana@keepsake.example")
    await answer(ana, "/profile", "Reps in Telegram: 1")
    link = await press(ana, "👥 Invite a colleague", "Send this link")
    payload = re.search(r"start=(join_[\w-]+)", link)
    assert payload is not None
    bob = sandbox.user(RID, FIRST, last_name=LAST, username=USERNAME)
    await answer(bob, f"/start {payload.group(1)}", "You now represent")
    await ana.expect(f"{FIRST} {LAST} joined")
    # Bob edits the company's contact: from now on those fields are his.
    await answer(bob, "/profile", "Reps in Telegram: 2")
    await edit_field(bob, "Email", "Edit · Contact email")
    await answer(bob, EMAIL, "Saved: Contact email")
    await answer(bob, "/cancel", "Cancelled")

    await answer(bob, "/deleteme", "colleagues keep it")
    await press(bob, "🗑 Yes, delete everything", "Deleted")
    told = await ana.expect("erased their data")
    assert FIRST not in (told.text or "")
    company = await running.services.companies.by_rep(4101)
    assert company is not None and company.name == "Keepsake Soft SRL"
    assert await running.services.companies.reps(company.id) == [4101]
    assert company.contact_email is None and not company.matchable
    await sandbox.wait_idle()
    assert running.app is not None
    await running.app.update_persistence()
    assert await references(running.services.db, RID) == []
    assert scan_files(db_path) == []  # "Zenobia Quillfeather joined", sent to Ana, too
