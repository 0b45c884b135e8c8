"""/timezone by city, country or IANA name, and the closest names offered as buttons when
what was typed is not known."""

from __future__ import annotations

from sandbox import Sandbox
from tests.support.flows import answer, press
from tests.support.harness import BotHarness


async def zone_of(fb: BotHarness, user_id: int) -> str | None:
    record = await fb.services.users.get(user_id)
    return record.timezone if record else None


async def test_a_city_sets_its_zone(sandbox: Sandbox, fb: BotHarness) -> None:
    u = sandbox.user(1201, "Sana")
    for typed, zone in (
        ("Karachi", "Asia/Karachi"),
        ("Dubai", "Asia/Dubai"),
        ("London", "Europe/London"),
        ("new york", "America/New_York"),
        ("  sao   paulo ", "America/Sao_Paulo"),
        ("Lahore, Pakistan", "Asia/Karachi"),  # no zone is named after Lahore; its country
        ("Romania", "Europe/Bucharest"),
        ("asia/tokyo", "Asia/Tokyo"),
    ):
        await answer(u, "/timezone", "Tap a city")
        await u.send(typed)
        await u.expect(f"Your time zone is now {zone}")
        assert await zone_of(fb, 1201) == zone
    await answer(u, "/timezone Dubai", "Your time zone is now Asia/Dubai")
    await answer(u, "/timezone new york", "Your time zone is now America/New_York")


async def test_closest_names_are_offered_when_nothing_matches(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    u = sandbox.user(1202, "Ion")
    await answer(u, "/timezone", "Tap a city")
    await u.send("Karachii")
    offer = await u.expect("Did you mean")
    assert "don't know the time zone “Karachii”" in (offer.text or "")
    assert offer.buttons() == [["Karachi · Asia/Karachi"]]
    await press(u, "Karachi · Asia/Karachi", "Your time zone is now Asia/Karachi")
    assert await zone_of(fb, 1202) == "Asia/Karachi"
    # In one go, with a typo in the IANA name.
    await u.send("/timezone Europe/Londn")
    offer = await u.expect("Did you mean")
    assert ["London · Europe/London"] in offer.buttons()
    await press(u, "London · Europe/London", "Your time zone is now Europe/London")
    # A country with several zones offers them.
    await u.send("/timezone United States")
    offer = await u.expect("Did you mean")
    assert ["New York · America/New_York"] in offer.buttons()
    # Nothing close: the usual help, nothing changed.
    await answer(u, "/timezone", "Tap a city")
    wrong = await answer(u, "Mars/Olympus Mons", "don't know the time zone")
    assert "Did you mean" not in wrong and "Dubai" in wrong
    assert await zone_of(fb, 1202) == "Europe/London"
