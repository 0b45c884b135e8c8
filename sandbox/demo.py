"""``python -m bot demo``: a scripted rehearsal of the forum against the local sandbox.

No token, no network: the sandbox plays Telegram and the people, the real bot answers, and
the transcript is printed. Every feature adds its scene here, so the demo always rehearses
everything the bot can do. Exit code 0 means every scene got the answers it expected.

The countries, zones, sectors and intents the people press are read from the forum file the
bot runs with (``FORUM_CONFIG``), so the demo rehearses whichever forum that is; the sample
companies it imports are those of the forum that ships.
"""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from bot.forum import Forum
from bot.runtime.local import LocalBot, local_settings
from bot.runtime.status import read_status, render
from sandbox import Sandbox
from sandbox.demo_languages import ro_rep, scene_languages, subscribe_both, ur_rep
from sandbox.demo_script import Demo, DemoClock, register
from sandbox.mailbox import Mailbox
from storage.backup import backup_database

ORGANISER_ID = 100
FIRST_REP_ID = 201  # Ana, of a company from the forum's first country
SECOND_REP_ID = 301  # Imran, of one from the second
CLAIMANT_ID = 401


def with_meeting_block(data: bytes, title: str = "B2B networking") -> bytes:
    """The agenda with ``title`` as a block of 20-minute 1:1 meeting slots, 10 at a time."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    rows = list(reader)
    for row in rows:
        if row["title"] == title:
            row.update(kind="meetings", slot_minutes="20", tables="10")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


async def scene_welcome(demo: Demo) -> None:
    demo.scene("Welcome")
    ana = demo.person(FIRST_REP_ID, "Ana", "ana_softro")
    await demo.send(ana, "/start", "Welcome")
    await demo.press(ana, "ℹ️ Help", "Commands")
    imran = demo.person(SECOND_REP_ID, "Imran", "imran_lhr")
    await demo.send(imran, "/help", "Commands")
    await demo.send(imran, "/cancel", "nothing to cancel")
    org = demo.person(ORGANISER_ID, "Organiser")
    await demo.send(org, "/help", "Commands (organiser)")


async def scene_agenda(demo: Demo) -> None:
    """The sample programme, moved to start 15 minutes and a few seconds from now, so the
    default 15-minute reminder arrives during the demo."""
    import asyncio
    from datetime import UTC, timedelta

    from bot.domain.agenda_files import SAMPLE_AGENDA, shifted_csv

    demo.scene("Agenda, time zones and reminders")
    org = demo.person(ORGANISER_ID, "Organiser")
    sample = await asyncio.to_thread(SAMPLE_AGENDA.read_bytes)
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=15, seconds=4)
    demo.say("Organiser > [sends sample_agenda.csv with the caption /agenda_import]")
    # B2B networking becomes a block of 1:1 meeting slots (the meetings scene books one).
    agenda = with_meeting_block(shifted_csv(sample, first))
    await org.send_document("sample_agenda.csv", agenda, caption="/agenda_import")
    demo._show(org, await org.expect("Agenda imported"))
    ana = demo.person(FIRST_REP_ID, "Ana", "ana_softro")
    ana_side, imran_side = demo.forum.countries
    await demo.send(ana, "/timezone", "Tap a city")
    await demo.press(ana, ana_side.zone_label, "Your time zone is now")
    await demo.send(ana, "/agenda", "Agenda")
    await demo.press(ana, "🔔 Subscribe to all", "Subscribed to all")
    imran = demo.person(SECOND_REP_ID, "Imran", "imran_lhr")
    await demo.send(imran, f"/timezone {imran_side.timezone}", "Your time zone is now")
    await demo.send(imran, "/agenda", "Agenda")
    listing = imran.last
    first_button = listing.buttons()[0][0] if listing else "Opening remarks"
    await demo.press(imran, first_button, "Not subscribed")
    await demo.press(imran, "🔔 Subscribe", "Subscribed: reminders")
    await demo.send(imran, "/reminders", "Reminders")
    await demo.press(imran, "▫️ at start", "at start")
    await demo.press(imran, "Done", "Saved")
    await subscribe_both(demo)
    demo.say("… waiting for the 15-minute reminders …")
    for person in (ana, imran, ro_rep(demo), ur_rep(demo)):
        # A reminder is a new message starting with ⏰ (the /reminders menu is edited).
        reminder = await person.expect(
            lambda m: (m.text or "").startswith("⏰") and not m.edits, timeout=20
        )
        demo._show(person, reminder)
    await demo.send(ana, "/ics", "Open the file")


async def scene_matches(demo: Demo) -> None:
    """The two companies registered above see each other first and get introduced."""
    demo.scene("Matches and a double opt-in introduction")
    ana = demo.person(FIRST_REP_ID, "Ana", "ana_softro")
    imran = demo.person(SECOND_REP_ID, "Imran", "imran_lhr")
    await demo.send(imran, "/matches", "Match 1 of")
    await demo.send(ana, "/matches", "Match 1 of")
    await demo.press(ana, "🤝 Request introduction", "Add a short note")
    await demo.send(ana, "Hi! We'd love to discuss QA for our RPA projects.", "request was sent")
    demo._show(imran, await imran.expect("Introduction request", timeout=10))
    await demo.press(imran, "✅ Accept", "You accepted")
    demo._show(imran, await imran.expect("Introduction made", timeout=10))
    demo._show(ana, await ana.expect("Introduction made", timeout=10))
    await demo.send(ana, "/intros", "Introductions of")
    org = demo.person(ORGANISER_ID, "Organiser")
    await demo.send(org, "/matchstats", "Matching and introductions")


async def scene_registration(demo: Demo) -> None:
    """A company of each of the forum's countries registers in the conversation; the
    organiser imports the sample companies and exports them all."""
    from bot.domain.company_files import SAMPLE_COMPANIES

    demo.scene("Company registration and profiles")
    forum = demo.forum
    first, second = (forum.flag_and_name(c.code) for c in forum.countries)
    sectors = [s.label for s in forum.sectors]
    # Ana wants what the forum's first intent says; Imran offers what complements it.
    wants = forum.intents[0]
    meets = forum.intent(wants.complements[0]) if wants.complements else wants
    offers = meets.label if meets else wants.label
    ana = demo.person(FIRST_REP_ID, "Ana", "ana_softro")
    await register(
        demo,
        ana,
        [
            ("press", "📝 Register my company", "Step 1 of 12"),
            ("send", "SoftRo Automation", "Step 2 of 12"),
            ("press", first, "Step 3 of 12"),
            ("send", "Cluj-Napoca", "Step 4 of 12"),
            ("tick", sectors[-1], ""),
            ("tick", sectors[0], ""),
            ("press", "✅ Done (2 chosen)", "Step 5 of 12"),
            ("send", "RPA consulting and UiPath automation for bank back offices", "Step 6"),
            ("send", "A partner for QA testing outsourcing; resellers in South Asia", "Step 7"),
            ("tick", wants.label, ""),
            ("press", "✅ Done (1 chosen)", "Step 8 of 12"),
            ("press", "51–200", "Step 9 of 12"),
            ("send", "softro.example", "Contact person"),
            ("send", "Ana Pop", "Contact email"),
            ("send", "ana@softro", "not an email"),
            ("send", "ana@softro.example", "Phone"),
            ("send", "+40 722 000 111", "Step 11 of 12"),
            ("press", "✅ I agree", "Step 12 of 12"),
            ("press", "✅ Confirm", "is registered"),
        ],
    )
    imran = demo.person(SECOND_REP_ID, "Imran", "imran_lhr")
    await register(
        demo,
        imran,
        [
            ("send", "/register", "Step 1 of 12"),
            ("send", "Lahore QA Works", "Step 2 of 12"),
            ("press", second, "Step 3 of 12"),
            ("send", "Lahore", "Step 4 of 12"),
            ("tick", sectors[1 % len(sectors)], ""),
            ("tick", sectors[0], ""),
            ("press", f"✅ Done ({min(2, len(sectors))} chosen)", "Step 5 of 12"),
            ("send", "Software testing and QA automation teams for banks, outsourced to us", "6"),
            ("send", "/back", "Step 5 of 12"),
            ("send", "Software testing and QA automation teams for banks, outsourced to us", "6"),
            ("send", "Automation know-how: RPA for our banking clients, products to resell", "7"),
            ("tick", offers, ""),
            ("press", "✅ Done (1 chosen)", "Step 8 of 12"),
            ("press", "201–1000", "Step 9 of 12"),
            ("send", "https://lahoreqa.example", "Contact person"),
            ("send", "Imran Ali", "Contact email"),
            ("send", "imran@lahoreqa.example", "Phone"),
            ("send", "/skip", "Step 11 of 12"),
            ("press", "✅ I agree", "Step 12 of 12"),
            ("press", "✏️ Edit a field", "Which field"),
            ("press", "Phone", "international format"),
            ("send", "+92 300 111 2222", "Step 12 of 12"),
            ("press", "✅ Confirm", "is registered"),
        ],
    )
    await demo.send(ana, "/profile", "Reps in Telegram")
    await demo.press(ana, "👥 Invite a colleague", "Send this link")
    org = demo.person(ORGANISER_ID, "Organiser")
    demo.say("Organiser > [sends sample_companies.csv with the caption /import]")
    sample = await asyncio.to_thread(SAMPLE_COMPANIES.read_bytes)
    await org.send_document("sample_companies.csv", sample, caption="/import")
    demo._show(org, await org.expect("Imported"))
    demo.say("Organiser > /export")
    await org.send("/export")
    exported = await org.expect(lambda m: m.kind == "document")
    rows = (exported.content or b"").decode("utf-8").count("\n") - 1
    demo.say(f"    bot → Organiser: [{exported.filename}, {rows} companies]")


async def scene_broadcast(demo: Demo) -> None:
    """The organiser announces to everyone and reads the delivery report."""
    demo.scene("Organiser broadcast and delivery report")
    services = demo.bot.services
    services.broadcasts.progress_interval = 0.5
    org = demo.person(ORGANISER_ID, "Organiser")
    ana = demo.person(FIRST_REP_ID, "Ana", "ana_softro")
    await demo.send(org, "/broadcast", "Send me the message")
    from datetime import UTC

    from bot.domain.timefmt import times

    opens = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    await demo.send(
        org,
        f"The B2B matchmaking room opens at {times(opens, demo.forum.zone_labels())}. "
        "See you there!",
        "Who should get it?",
    )
    await demo.press(org, "Everyone", "That is the preview")
    await demo.press(org, "✅ Send now", "is going out")
    report = await org.expect(
        lambda m: "Delivery report" in (m.text or "") and not m.edits, timeout=30
    )
    demo._show(org, report)
    got = await ana.expect("matchmaking room", timeout=10)
    demo.say(f"    (Ana received the announcement: {got.text!r})")
    if demo.claimant is not None:
        got = await demo.claimant.expect("matchmaking room", timeout=10)
        demo.say(
            f"    (Bilal, who claimed his company from the e-mail, received it too: {got.text!r})"
        )
    await demo.send(org, "/broadcasts", "Broadcasts")


async def scene_invitations(demo: Demo) -> None:
    """The imported companies get their claim links by e-mail (to a local SMTP server), and
    one of them takes its company over in Telegram from the link."""
    import re

    demo.scene("Claim invitations by e-mail")
    org = demo.person(ORGANISER_ID, "Organiser")
    await demo.send(org, "/stats", "Forum dashboard")
    await demo.send(org, "/invite_unclaimed", "Claim invitations")
    send = next(b for row in (org.last.buttons() if org.last else []) for b in row if "Send" in b)
    await demo.press(org, send, "Sending")
    demo._show(org, await org.expect("Claim invitations sent", timeout=60))
    assert demo.mailbox is not None
    mail = demo.mailbox.messages[0]
    body = mail.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    attachments = [(a.get_filename(), len(a.get_content())) for a in mail.iter_attachments()]
    demo.say(f"    [local SMTP server: {len(demo.mailbox.messages)} e-mails received]")
    demo.say(f"    To: {mail['To']}")
    demo.say(f"    Subject: {mail['Subject']}")
    for line in text.splitlines()[:6]:
        demo.say(f"    | {line}")
    demo.say(f"    attachments: {attachments}")
    link = re.search(r"\?start=(claim_[\w-]+)", text)
    assert link is not None, text
    bilal = demo.person(CLAIMANT_ID, "Bilal", "bilal_claims")
    await demo.send(bilal, f"/start {link.group(1)}", "You now represent")
    # Consent comes from the rep: the claimed company is matched only once Bilal agrees.
    demo._show(bilal, await bilal.expect("until you, its rep, agree"))
    await demo.press(bilal, "✅ I agree", "is now matchable")
    demo.claimant = bilal


async def scene_directory(demo: Demo) -> None:
    """Ana looks up a company she heard at the plenary: not in her top 5, in the directory."""
    demo.scene("The company directory")
    ana = demo.person(FIRST_REP_ID, "Ana", "ana_softro")
    await demo.send(ana, "/companies security", "Companies from")
    listing = ana.last
    first = listing.buttons()[0][0] if listing and listing.buttons() else ""
    if first.startswith("🔎"):
        await demo.press(ana, first, "Offers")


async def scene_report(demo: Demo) -> None:
    """What the forum produced: the organisers' workbook."""
    demo.scene("The organisers' report")
    org = demo.person(ORGANISER_ID, "Organiser")
    demo.say("Organiser > /report")
    await org.send("/report")
    report = await org.expect(lambda m: m.kind == "document", timeout=20)
    demo.say(f"    bot → Organiser: [{report.filename}, {len(report.content or b'')} bytes]")


async def scene_operations(demo: Demo) -> None:
    """What the person running the bot sees meanwhile: `python -m bot status` and a backup
    taken while the bot runs (the same functions the commands call)."""
    demo.scene("Operations: status and an online backup")
    database = demo.bot.settings.database_path
    await demo.bot.runtime.heartbeat.beat()
    status = await read_status(database, demo.bot.runtime.vitals.clock.now())
    demo.say("$ python -m bot status")
    for line in render(status).splitlines():
        demo.say(f"    {line}")
    if status.verdict != "healthy":
        raise AssertionError(f"the running demo bot is {status.verdict}")
    copy = database.with_name("backup.db")
    result = await asyncio.to_thread(backup_database, database, copy)
    demo.say(f"$ python -m bot backup {copy.name}")
    demo.say(f"    Backed up to {copy.name} ({result.size / 1024:.0f} KiB, integrity ok)")


async def scene_meetings(demo: Demo) -> None:
    """After the introduction: the organiser previews the scheduler's plan; Ana books a slot
    herself, Imran confirms; the demo moves the clock to the reminder and to the end of the
    meeting (restarting the bot each time), and Ana gives her feedback."""
    from bot.services.meetings import MeetingService

    demo.scene("1:1 meetings: scheduler, booking, reminder, feedback")
    org = demo.person(ORGANISER_ID, "Organiser")
    ana = demo.person(FIRST_REP_ID, "Ana", "ana_softro")
    imran = demo.person(SECOND_REP_ID, "Imran", "imran_lhr")
    await demo.send(org, "/schedule", "Meeting schedule — preview")
    await demo.press(org, "✖️ Cancel", "nothing was booked")
    await demo.press(ana, "📅 Book a meeting", "Book a meeting with")
    picker = ana.last
    first_slot = picker.buttons()[0][0] if picker else ""
    await demo.press(ana, first_slot, "Proposed to")
    demo._show(imran, await imran.expect("proposes a 1:1 meeting", timeout=10))
    await demo.press(imran, "✅ Confirm", "Booked")
    demo._show(ana, await ana.expect("Meeting booked", timeout=10))
    await demo.send(ana, "/meetings", "1:1 meetings of")
    (meeting,) = await MeetingService(demo.bot.services).calendar(ana.id)
    demo.say("… the demo moves the clock to 10 minutes before the meeting; the bot restarts …")
    demo.clock.jump_to(meeting.starts_at - timedelta(minutes=10, seconds=3))
    await demo.bot.restart()
    for person in (ana, imran):
        demo._show(person, await person.expect("⏰ Your meeting", timeout=15))
    demo.say("… and to the end of the meeting; the bot restarts again …")
    demo.clock.jump_to(meeting.ends_at + timedelta(seconds=1))
    await demo.bot.restart()
    demo._show(ana, await ana.expect("take place?", timeout=15))
    await demo.press(ana, "✅ Yes", "How useful")
    await demo.press(ana, "⭐⭐⭐⭐⭐", "Anything to add")
    await demo.send(ana, "Great call: we start a pilot in January.", "Noted")
    await demo.send(org, "/stats", "Forum dashboard")


# The forum's story in order; the demo ends with the organisers' report and a look at the
# running bot's health.
SCENES: list[Callable[[Demo], Awaitable[None]]] = [
    scene_welcome,
    scene_languages,
    scene_registration,
    scene_invitations,
    scene_matches,
    scene_directory,
    scene_agenda,
    scene_broadcast,
    scene_meetings,
    scene_report,
    scene_operations,
]


async def run_demo(*, quiet: bool = False, forum: Forum | None = None) -> int:
    """Rehearse the forum of ``forum`` (the settings' default, data/forum.toml, if None)."""
    with tempfile.TemporaryDirectory(prefix="forumbridge-demo-") as folder:
        async with Sandbox() as sandbox, Mailbox() as mailbox:
            settings = local_settings(
                sandbox.token,
                sandbox.base_url,
                sandbox.base_file_url,
                Path(folder) / "demo.db",
                admin_ids=frozenset({ORGANISER_ID}),
                log_level="WARNING",
                smtp=mailbox.settings(),
                **({"forum": forum} if forum is not None else {}),
            )
            clock = DemoClock()
            bot = LocalBot(settings, clock=clock)
            await bot.start()
            demo = Demo(sandbox, bot, quiet=quiet, mailbox=mailbox, clock=clock)
            try:
                for scene in SCENES:
                    await scene(demo)
            finally:
                await bot.stop()
    print(f"\nDemo finished: {len(SCENES)} scene(s), {len(demo.lines)} transcript lines.")
    return 0
