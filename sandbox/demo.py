"""``python -m bot demo``: a scripted rehearsal of the forum against the local sandbox.

No token, no network: the sandbox plays Telegram and the people, the real bot answers, and
the transcript is printed. Every feature adds its scene here, so the demo always rehearses
everything the bot can do. Exit code 0 means every scene got the answers it expected.
"""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.clock import Clock
from bot.runtime.local import LocalBot, local_settings
from sandbox import Sandbox, SandboxUser, SentMessage

ORGANISER_ID = 100
ROMANIAN_REP_ID = 201
PAKISTANI_REP_ID = 301


class DemoClock(Clock):
    """Real time, which the demo moves forward to reach a meeting and its end without
    waiting for them (the bot is restarted after each jump: it plans its timers anew from
    the database, as after any restart)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return super().now() + self.offset

    def jump_to(self, moment: datetime) -> None:
        self.offset += moment - self.now()


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


@dataclass
class Demo:
    sandbox: Sandbox
    bot: LocalBot
    quiet: bool = False
    clock: DemoClock = field(default_factory=DemoClock)
    lines: list[str] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    def say(self, line: str) -> None:
        self.lines.append(line)
        if not self.quiet:
            print(line, flush=True)

    def scene(self, title: str) -> None:
        self.say(f"\n=== {title} ===")

    def person(self, user_id: int, name: str, username: str | None = None) -> SandboxUser:
        self.names[user_id] = name
        return self.sandbox.user(user_id, name, username=username)

    async def send(self, user: SandboxUser, text: str, expect: str) -> str:
        self.say(f"{self.names[user.id]} > {text}")
        await user.send(text)
        return self._show(user, await user.expect(expect))

    async def press(self, user: SandboxUser, button: str, expect: str) -> str:
        self.say(f"{self.names[user.id]} [presses {button}]")
        await user.press(button)
        return self._show(user, await user.expect(expect))

    def _show(self, user: SandboxUser, message: SentMessage) -> str:
        text = message.text or ""
        if message.kind != "text":
            self.say(f"    bot → {self.names[user.id]}: [{message.kind}]")
        for line in text.splitlines() or [""]:
            self.say(f"    bot → {self.names[user.id]}: {line}")
        buttons = message.buttons()
        if buttons:
            self.say("    buttons: " + " | ".join(" / ".join(row) for row in buttons))
        return text


async def scene_welcome(demo: Demo) -> None:
    demo.scene("Welcome")
    ana = demo.person(ROMANIAN_REP_ID, "Ana", "ana_softro")
    await demo.send(ana, "/start", "Welcome")
    await demo.press(ana, "ℹ️ Help", "Commands")
    imran = demo.person(PAKISTANI_REP_ID, "Imran", "imran_lhr")
    await demo.send(imran, "/help", "Commands")
    await demo.send(imran, "/cancel", "nothing to cancel")
    org = demo.person(ORGANISER_ID, "Organiser")
    await demo.send(org, "/help", "Commands (organiser)")


async def scene_agenda(demo: Demo) -> None:
    """The sample programme, moved to start 15 minutes and a few seconds from now, so the
    default 15-minute reminder arrives during the demo."""
    import asyncio
    from datetime import UTC, datetime, timedelta

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
    ana = demo.person(ROMANIAN_REP_ID, "Ana", "ana_softro")
    await demo.send(ana, "/timezone", "Tap a city")
    await demo.press(ana, "Bucharest", "Your time zone is now")
    await demo.send(ana, "/agenda", "Agenda")
    await demo.press(ana, "🔔 Subscribe to all", "Subscribed to all")
    imran = demo.person(PAKISTANI_REP_ID, "Imran", "imran_lhr")
    await demo.send(imran, "/timezone Asia/Karachi", "Your time zone is now")
    await demo.send(imran, "/agenda", "Agenda")
    listing = imran.last
    first_button = listing.buttons()[0][0] if listing else "Opening remarks"
    await demo.press(imran, first_button, "Not subscribed")
    await demo.press(imran, "🔔 Subscribe", "Subscribed: reminders")
    await demo.send(imran, "/reminders", "Reminders")
    await demo.press(imran, "▫️ at start", "at start")
    await demo.press(imran, "Done", "Saved")
    demo.say("… waiting for the 15-minute reminders …")
    for person in (ana, imran):
        demo._show(person, await person.expect("starts in", timeout=20))
    await demo.send(ana, "/ics", "Open the file")


async def scene_matches(demo: Demo) -> None:
    """The two companies registered above see each other first and get introduced."""
    demo.scene("Matches and a double opt-in introduction")
    ana = demo.person(ROMANIAN_REP_ID, "Ana", "ana_softro")
    imran = demo.person(PAKISTANI_REP_ID, "Imran", "imran_lhr")
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


def _ticked(button: str) -> Callable[[SentMessage], bool]:
    return lambda message: f"✓ {button}" in str(message.buttons())


async def _register(demo: Demo, user: SandboxUser, answers: list[tuple[str, str, str]]) -> None:
    """Walk the registration: each answer is ("send"|"press"|"tick", text or button,
    expected); "tick" toggles a multi-select button, which changes only the keyboard."""
    for how, value, expect in answers:
        if how == "send":
            await demo.send(user, value, expect)
        elif how == "press":
            await demo.press(user, value, expect)
        else:
            demo.say(f"{demo.names[user.id]} [ticks {value}]")
            await user.press(value)
            await user.expect(_ticked(value))


async def scene_registration(demo: Demo) -> None:
    """One Romanian and one Pakistani company register in the conversation; the organiser
    imports the sample companies and exports them all."""
    from bot.domain.company_files import SAMPLE_COMPANIES

    demo.scene("Company registration and profiles")
    ana = demo.person(ROMANIAN_REP_ID, "Ana", "ana_softro")
    await _register(
        demo,
        ana,
        [
            ("press", "📝 Register my company", "Step 1 of 12"),
            ("send", "SoftRo Automation", "Step 2 of 12"),
            ("press", "🇷🇴 Romania", "Step 3 of 12"),
            ("send", "Cluj-Napoca", "Step 4 of 12"),
            ("tick", "RPA & automation", ""),
            ("tick", "Fintech", ""),
            ("press", "✅ Done (2 chosen)", "Step 5 of 12"),
            ("send", "RPA consulting and UiPath automation for bank back offices", "Step 6"),
            ("send", "A partner for QA testing outsourcing; resellers in South Asia", "Step 7"),
            ("tick", "Outsource work to a partner", ""),
            ("tick", "Find resellers / distributors", ""),
            ("press", "✅ Done (2 chosen)", "Step 8 of 12"),
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
    imran = demo.person(PAKISTANI_REP_ID, "Imran", "imran_lhr")
    await _register(
        demo,
        imran,
        [
            ("send", "/register", "Step 1 of 12"),
            ("send", "Lahore QA Works", "Step 2 of 12"),
            ("press", "🇵🇰 Pakistan", "Step 3 of 12"),
            ("send", "Lahore", "Step 4 of 12"),
            ("tick", "Software development & product engineering", ""),
            ("tick", "Fintech", ""),
            ("press", "✅ Done (2 chosen)", "Step 5 of 12"),
            ("send", "Software testing and QA automation teams for banks, outsourced to us", "6"),
            ("send", "/back", "Step 5 of 12"),
            ("send", "Software testing and QA automation teams for banks, outsourced to us", "6"),
            ("send", "Automation know-how: RPA for our banking clients, products to resell", "7"),
            ("tick", "Deliver services as a subcontractor", ""),
            ("tick", "Resell or distribute products", ""),
            ("press", "✅ Done (2 chosen)", "Step 8 of 12"),
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
    if services.broadcaster is not None:
        services.broadcaster.progress_interval = 0.5
    org = demo.person(ORGANISER_ID, "Organiser")
    ana = demo.person(ROMANIAN_REP_ID, "Ana", "ana_softro")
    await demo.send(org, "/broadcast", "Send me the message")
    await demo.send(
        org,
        "The B2B matchmaking room opens at 14:00 Bucharest · 17:00 Karachi. See you there!",
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
    await demo.send(org, "/broadcasts", "Broadcasts")


async def scene_meetings(demo: Demo) -> None:
    """After the introduction: the organiser previews the scheduler's plan; Ana books a slot
    herself, Imran confirms; the demo moves the clock to the reminder and to the end of the
    meeting (restarting the bot each time), and Ana gives her feedback."""
    from bot.services.meetings import MeetingService

    demo.scene("1:1 meetings: scheduler, booking, reminder, feedback")
    org = demo.person(ORGANISER_ID, "Organiser")
    ana = demo.person(ROMANIAN_REP_ID, "Ana", "ana_softro")
    imran = demo.person(PAKISTANI_REP_ID, "Imran", "imran_lhr")
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


# The forum's story in order; the demo ends with the meetings it produced.
SCENES: list[Callable[[Demo], Awaitable[None]]] = [
    scene_welcome,
    scene_registration,
    scene_matches,
    scene_agenda,
    scene_broadcast,
    scene_meetings,
]


async def run_demo(*, quiet: bool = False) -> int:
    with tempfile.TemporaryDirectory(prefix="forumbridge-demo-") as folder:
        async with Sandbox() as sandbox:
            settings = local_settings(
                sandbox.token,
                sandbox.base_url,
                sandbox.base_file_url,
                Path(folder) / "demo.db",
                admin_ids=frozenset({ORGANISER_ID}),
                log_level="WARNING",
            )
            clock = DemoClock()
            bot = LocalBot(settings, clock=clock)
            await bot.start()
            demo = Demo(sandbox, bot, quiet=quiet, clock=clock)
            try:
                for scene in SCENES:
                    await scene(demo)
            finally:
                await bot.stop()
    print(f"\nDemo finished: {len(SCENES)} scene(s), {len(demo.lines)} transcript lines.")
    return 0
