"""The organisers' meetings: /schedule's preview (meetings placed, total score, optimality
gap, pairs left out with reasons) then Apply or Cancel, the opt-in's mutual top-3 matches,
/meetings_all, the counts in /stats, the role check, and ``python -m bot schedule-meetings``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock
from bot.services.meeting_followup import MeetingFollowUp
from bot.services.meeting_schedule import MeetingScheduler
from handlers.callbacks import SchedulePlan
from sandbox import Sandbox
from storage.meeting_choices import MeetingChoices
from tests.support.flows import answer, organiser, press
from tests.support.harness import ADMIN_ID, REPO_ROOT, BotHarness, bot_env, run_cli
from tests.support.matchkit import company, pair, rep
from tests.support.meetkit import add_block, introduce, live_meetings

SLOT_1 = "12:00 Bucharest · 15:00 Karachi"
SLOT_2 = "12:20 Bucharest · 15:20 Karachi"


async def forum(sandbox: Sandbox, fb: BotHarness, start: datetime) -> dict[str, int]:
    """Two slots with one table each; SoftRo and CarpaCode both introduced to LahoreQA;
    SoftRo also to KarachiSoft, which blocked both slots."""
    await add_block(fb, start, slots=2, tables=1)
    ana, ro, imran, pk = await pair(sandbox, fb)
    carla = await rep(sandbox, 5102, "Carla")
    carpa = await company(fb, carla.id, "CarpaCode", "Romania")
    ravi = await rep(sandbox, 5202, "Ravi")
    karachi = await company(fb, ravi.id, "KarachiSoft Labs", "Pakistan")
    await introduce(fb, ana.id, pk, imran.id)
    await introduce(fb, carla.id, pk, imran.id)
    await introduce(fb, ana.id, karachi, ravi.id)
    choices = MeetingChoices(fb.services.db)
    for slot in await MeetingScheduler(fb.services).all_slots():
        await choices.set_available(karachi, slot.starts_at, False)
    return {"SoftRo": ro, "LahoreQA": pk, "CarpaCode": carpa, "KarachiSoft": karachi}


async def test_schedule_preview_then_apply_books_and_tells_both_sides(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    ids = await forum(sandbox, fb, clock.now() + timedelta(hours=2))
    org = await organiser(sandbox)
    await org.send("/schedule")
    preview = await org.expect("Meeting schedule — preview", timeout=20)
    text = preview.text or ""
    assert "Candidates: 3 accepted introductions and 0 mutual top-3 matches" in text
    assert "Placed: 2 meetings · total score" in text
    assert "Solver: optimal, optimality gap 0.00%" in text
    # LahoreQA meets both Romanian companies, one per slot (one table each).
    assert f"Thu 20 Nov {SLOT_1} — " in text and f"Thu 20 Nov {SLOT_2} — " in text
    assert "Left out (1)" in text
    assert "• SoftRo Automation ↔ KarachiSoft Labs (accepted): no common free slot" in text
    assert preview.buttons() == [["✅ Apply (2 meetings)", "✖️ Cancel"]]
    assert await live_meetings(fb) == []  # a preview books nothing

    await org.press("✅ Apply (2 meetings)")
    done = await org.expect("Schedule applied")
    assert "2 meetings booked" in (done.text or "")
    meetings = await live_meetings(fb)
    assert sorted((m.company_a, m.company_b) for m in meetings) == sorted(
        [
            tuple(sorted((ids["SoftRo"], ids["LahoreQA"]))),
            tuple(sorted((ids["CarpaCode"], ids["LahoreQA"]))),
        ]
    )
    assert {m.state for m in meetings} == {"confirmed"} and {m.source for m in meetings} == {
        "organisers"
    }
    assert len({m.starts_at for m in meetings}) == 2
    imran = sandbox.user(5201, "Imran")
    first = await sandbox.wait_for(imran.id, "The organisers booked a 1:1 meeting", timeout=5)
    assert first.buttons() == [["🔁 Another slot", "✖️ Decline"]]
    await sandbox.wait_for(5101, "The organisers booked a 1:1 meeting", timeout=5)
    await sandbox.wait_for(5102, "The organisers booked a 1:1 meeting", timeout=5)
    # Applied once: a second press (forged, the buttons are gone) books nothing more.
    plan_id = int((await fb.services.db.fetchall("SELECT id FROM meeting_plans"))[0][0])
    await org.press_data(done.message_id, SchedulePlan(plan_id, True).pack())
    await org.expect("already applied or cancelled")
    assert len(await live_meetings(fb)) == 2

    # A company can decline a meeting the organisers placed; the other side is told.
    await imran.press("✖️ Decline", message_id=first.message_id)
    await imran.expect("You declined the meeting")
    assert len(await live_meetings(fb)) == 1

    # The grid and the dashboard.
    grid = await answer(org, "/meetings_all", "All meetings")
    assert "B2B meetings — Thu 20 Nov" in grid
    assert f"{SLOT_1} — " in grid and "/1 tables" in grid
    assert grid.count("✅ ") == 2  # the legend and the one meeting left
    stats = await answer(org, "/stats", "Forum dashboard")
    assert "1:1 meetings: 1 confirmed · 0 proposed · 1 declined" in stats


async def test_cancel_a_preview_and_organisers_only(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    await forum(sandbox, fb, clock.now() + timedelta(hours=2))
    ana = sandbox.user(5101, "Ana")
    await answer(ana, "/schedule", "for the forum organisers only")
    await answer(ana, "/meetings_all", "for the forum organisers only")
    org = await organiser(sandbox)
    await org.send("/schedule")
    preview = await org.expect("Meeting schedule — preview", timeout=20)
    plan_id = int((await fb.services.db.fetchall("SELECT id FROM meeting_plans"))[0][0])
    # A rep who forges the Apply button gets the refusal; nothing is booked.
    await ana.press_data(preview.message_id, SchedulePlan(plan_id, True).pack())
    await sandbox.wait_idle()
    assert "organisers only" in str(sandbox.calls_of("answerCallbackQuery")[-1].params)
    assert await live_meetings(fb) == []
    await press(org, "✖️ Cancel", "Schedule preview cancelled; nothing was booked.")
    await org.press_data(preview.message_id, SchedulePlan(plan_id, True).pack())
    await org.expect("already applied or cancelled")
    assert await live_meetings(fb) == []


async def test_opted_in_companies_get_their_mutual_top_matches(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    await add_block(fb, clock.now() + timedelta(hours=2), slots=2, tables=3)
    ana, ro, imran, pk = await pair(sandbox, fb)
    # Not introduced; both tick "let the organisers book meetings for us" in /meetings.
    for user in (ana, imran):
        await answer(user, "/meetings", "The organisers may book meetings for you: off")
        await press(
            user,
            "🤖 Let the organisers book meetings for us",
            "The organisers may book meetings for you: on",
        )
    org = await organiser(sandbox)
    await org.send("/schedule")
    preview = await org.expect("Meeting schedule — preview", timeout=20)
    assert "Candidates: 0 accepted introductions and 1 mutual top-3 matches" in (preview.text or "")
    assert "SoftRo Automation ↔ LahoreQA (opt-in" in (preview.text or "")
    await press(org, "✅ Apply (1 meetings)", "Schedule applied")
    (meeting,) = await live_meetings(fb)
    assert {meeting.company_a, meeting.company_b} == {ro, pk}
    await ana.expect("The organisers booked a 1:1 meeting for you")
    # Once one side switches the opt-in off, no more meetings are placed for the pair.
    await ana.send("/meetings")
    await press(
        ana, "🤖 Stop organisers booking for us", "The organisers may book meetings for you: off"
    )
    again = await MeetingScheduler(fb.services).preview(ADMIN_ID, store=False)
    assert (again.accepted, again.opt_in, len(again.placed)) == (0, 0, 0)


async def test_cli_schedule_meetings(sandbox: Sandbox, fb: BotHarness, clock: FakeClock) -> None:
    """The CLI against the bot's database: --dry-run books nothing; without it the meetings
    are booked, and the running bot sends the notices. The CLI runs on real time, so the
    block is two hours from the real now."""
    await forum(
        sandbox, fb, datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=2)
    )
    env = bot_env(sandbox, fb.settings.database_path)
    code, out, err = await run_cli(
        "schedule-meetings", "--dry-run", env=env, cwd=REPO_ROOT, wait=90
    )
    assert code == 0, err
    assert "Placed 2 meetings" in out and "status optimal, optimality gap 0.000%" in out
    assert "left out: SoftRo Automation <-> KarachiSoft Labs (accepted): no common free slot" in out
    assert "Dry run: nothing was booked." in out
    assert await live_meetings(fb) == []
    code, out, err = await run_cli("schedule-meetings", env=env, cwd=REPO_ROOT, wait=90)
    assert code == 0, err
    assert "Booked 2 meetings" in out
    assert len(await live_meetings(fb)) == 2
    # The CLI queued the notices at the real time; the bot's clock catches up with it.
    clock.set(datetime.now(UTC))
    fb.sender.wake()
    await sandbox.wait_for(5201, "The organisers booked a 1:1 meeting", timeout=10)
    # The running bot's sweep gives the meetings the CLI wrote their timers.
    await MeetingFollowUp(fb.services).sweep()
    for meeting in await live_meetings(fb):
        assert f"meeting:{meeting.id}:end" in fb.services.timers.names("meeting:")
