"""The follow-up survey on a controlled clock: FOLLOWUP_DAYS after an accepted
introduction each side is asked once, through the outbox; the first answer of a company
counts, with its optional note; nobody erased is asked; a crash between the question and
its record asks nobody twice; and the answers feed the funnel."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.services.followups import FollowupService
from sandbox import Sandbox, SandboxUser
from tests.support.flows import accepted_in_chat, alerted, answer, press
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import pair, rep

QUESTION = "What came of your contact with"


async def test_each_side_is_asked_once_and_answers_feed_the_funnel(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    ana, ro, imran, pk = await pair(sandbox, fb)
    services = fb.services
    dan = await rep(sandbox, 5102, "Dan")  # Ana's colleague
    eve = await rep(sandbox, 5202, "Eve")  # Imran's colleague, who erases herself
    await services.companies.add_rep(ro, dan.id, now=clock.now())
    await services.companies.add_rep(pk, eve.id, now=clock.now())
    await accepted_in_chat(ana, imran)
    await ana.expect("Introduction made")
    await answer(eve, "/deleteme", "Are you sure")
    await press(eve, "🗑 Yes, delete everything", "Deleted")

    survey = FollowupService(services)
    clock.advance(days=59, hours=23)
    assert await survey.run_due() == 0
    clock.advance(hours=1, minutes=1)
    assert await survey.run_due() == 2  # both sides, once each
    assert await survey.run_due() == 0
    question = await ana.expect(QUESTION)
    assert question.text is not None
    assert question.text.startswith("🗓 What came of your contact with LahoreQA?")
    assert "You were introduced 60 days ago." in question.text
    assert question.buttons() == [
        ["No contact since", "Talks ongoing"],
        ["Agreement signed", "Prefer not to say"],
    ]
    await dan.expect("What came of your contact with LahoreQA?")
    await imran.expect("What came of your contact with SoftRo Automation?")
    await sandbox.wait_idle()
    for person in (ana, dan, imran):
        assert len([m for m in person.messages if QUESTION in (m.text or "")]) == 1
    assert not [m for m in eve.messages if QUESTION in (m.text or "")]
    rows = await services.db.fetchall("SELECT chat_id FROM outbox WHERE kind = 'followup_ask'")
    assert sorted(r[0] for r in rows) == sorted([ana.id, dan.id, imran.id])

    # Dan answers for SoftRo, with a note; Ana's press then finds the answer given.
    await press(dan, "Talks ongoing", "Would you add a short note")
    await answer(dan, "We meet in Lahore in March <b>to sign</b>", "your note is saved")
    await ana.press("Agreement signed")
    await alerted(sandbox, "Your company already answered: Talks ongoing.")
    await press(imran, "Agreement signed", "Would you add a short note")
    await press(imran, "No note", "Thank you.")
    record = await survey.repo.get(1, ro)
    assert record is not None and record.answer == "ongoing" and record.answered_by == dan.id
    assert record.note == "We meet in Lahore in March <b>to sign</b>"
    other = await survey.repo.get(1, pk)
    assert other is not None and other.answer == "signed" and other.note == ""

    admin = await rep(sandbox, ADMIN_ID, "Org")
    stats = await answer(admin, "/stats", "Forum dashboard")
    assert "8. follow-up: talks ongoing (or agreement): 2 (100%)" in stats
    assert "9. follow-up: agreement signed: 1 (50%)" in stats

    # Dan erases himself: his note goes, SoftRo's answer stays.
    await answer(dan, "/deleteme", "Are you sure")
    await press(dan, "🗑 Yes, delete everything", "Deleted")
    record = await survey.repo.get(1, ro)
    assert record is not None and record.answer == "ongoing"
    assert record.note == "" and record.answered_by is None


async def surveyed(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> tuple[SandboxUser, int, SandboxUser, int]:
    """Ana (SoftRo) and Imran (LahoreQA) introduced in the chat and, 61 days on, both asked
    what came of it."""
    ana, ro, imran, pk = await pair(sandbox, fb)
    await accepted_in_chat(ana, imran)
    clock.advance(days=61)
    assert await FollowupService(fb.services).run_due() == 2
    return ana, ro, imran, pk


async def test_a_crash_between_question_and_record_asks_nobody_twice(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    ana, _ro, imran, _pk = await surveyed(sandbox, fb, clock)
    await ana.expect(QUESTION)
    await imran.expect(QUESTION)
    # As if the process died after queueing the questions, before recording them.
    await fb.services.db.execute("DELETE FROM followups")
    await fb.restart()
    survey = FollowupService(fb.services)
    assert await survey.run_due() == 2  # recorded now ...
    await sandbox.wait_idle()
    for person in (ana, imran):  # ... and asked only the once
        assert len([m for m in person.messages if QUESTION in (m.text or "")]) == 1
    assert "followups:due" in fb.services.timers.names("followups")


async def test_a_forged_answer_is_refused(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    ana, ro, _imran, pk = await surveyed(sandbox, fb, clock)
    question = await ana.expect(QUESTION)
    # Ana answers for the other company: refused, nothing saved.
    data = question.button_data()["Agreement signed"].replace(f":{ro}:", f":{pk}:")
    await ana.press_data(question.message_id, data)
    await alerted(sandbox, "This question is not for your company.")
    record = await FollowupService(fb.services).repo.get(1, pk)
    assert record is not None and record.answer is None
