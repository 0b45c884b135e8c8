"""Each user's time zone: the one they chose (/timezone), or the event's until they choose.

Every time shown to a user is shown in the forum's two zones and this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.timefmt import find_zone, user_zone
from storage.users import UserRepository


@dataclass(frozen=True)
class UserZone:
    name: str  # an IANA zone name
    chosen: bool  # False: the event's zone, until the user chooses


class TimezoneService:
    def __init__(self, users: UserRepository, event_timezone: str) -> None:
        self.users = users
        self.event_timezone = event_timezone

    async def of(self, user_id: int) -> UserZone:
        user = await self.users.get(user_id)
        chosen = user.timezone if user else None
        name = user_zone(chosen, self.event_timezone)
        return UserZone(name, chosen == name)

    async def zone_of(self, user_id: int) -> str:
        """The zone to show the user."""
        return (await self.of(user_id)).name

    async def choose(self, user_id: int, typed: str) -> str | None:
        """Keep the zone the user means by ``typed`` (an IANA name, a city, a country with
        one zone); its canonical name, or None (nothing changed) when it is not known."""
        name = find_zone(typed)
        if name is not None:
            await self.users.set_timezone(user_id, name)
        return name
