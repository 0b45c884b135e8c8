"""Which language each person reads: the one they chose with /language, else their Telegram
client's, else English.

Asked for every update and every notice, so the choices are kept in memory (loaded once,
then updated with each choice); a process restart reads them again from the database.
"""

from __future__ import annotations

from bot.domain.languages import LANGUAGES, language_for
from storage.users import UserRepository


class LanguageService:
    def __init__(self, users: UserRepository) -> None:
        self.users = users
        self._chosen: dict[int, str] | None = None

    async def _choices(self) -> dict[int, str]:
        if self._chosen is None:
            self._chosen = await self.users.languages()
        return self._chosen

    async def of(self, user_id: int | None, telegram_code: str | None = None) -> str:
        """The language to speak to this person. Without ``telegram_code`` (a notice to
        someone, not a reply) the code stored when they last wrote is used."""
        if user_id is None:
            return language_for(telegram_code)
        chosen = (await self._choices()).get(user_id)
        if chosen:
            return chosen
        if telegram_code is None:
            user = await self.users.get(user_id)
            telegram_code = user.language_code if user else None
        return language_for(telegram_code)

    async def choose(self, user_id: int, language: str) -> bool:
        """Keep a person's choice; False for a language we do not speak (or no such user)."""
        if language not in LANGUAGES:
            return False
        if not await self.users.set_language(user_id, language):
            return False
        (await self._choices())[user_id] = language
        return True

    def forget(self, user_id: int) -> None:
        """Drop a person's choice from memory (after their erasure)."""
        if self._chosen is not None:
            self._chosen.pop(user_id, None)
