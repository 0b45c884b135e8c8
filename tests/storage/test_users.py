"""The users repository: first/last seen, roles, time zone, blocking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.db import Database
from storage.users import ORGANISER, UserRepository

T0 = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def users(db: Database) -> UserRepository:
    return UserRepository(db)


async def test_seen_creates_then_updates(users: UserRepository) -> None:
    await users.seen(1, first_name="A", last_name=None, username="a", language_code="en", now=T0)
    later = T0 + timedelta(hours=1)
    await users.seen(1, first_name="B", last_name="C", username=None, language_code="ro", now=later)
    user = await users.get(1)
    assert user is not None
    assert (user.first_name, user.last_name, user.username) == ("B", "C", None)
    assert user.first_seen == T0.isoformat() and user.last_seen == later.isoformat()
    assert user.display_name == "B C"
    assert await users.count() == 1


async def test_block_and_return(users: UserRepository) -> None:
    await users.seen(2, first_name="A", last_name=None, username=None, language_code=None, now=T0)
    await users.set_active(2, False, now=T0)
    user = await users.get(2)
    assert user is not None and not user.is_active and user.blocked_at == T0.isoformat()
    assert await users.active_ids() == []
    await users.seen(2, first_name="A", last_name=None, username=None, language_code=None, now=T0)
    assert await users.active_ids() == [2]


async def test_roles_timezone_username(users: UserRepository) -> None:
    await users.seen(3, first_name="A", last_name=None, username="Org", language_code=None, now=T0)
    assert await users.set_role(3, ORGANISER)
    assert not await users.set_role(99, ORGANISER)
    with pytest.raises(ValueError):
        await users.set_role(3, "king")
    await users.set_timezone(3, "Asia/Karachi")
    [user] = await users.with_username("@org")
    assert user.role == ORGANISER and user.timezone == "Asia/Karachi"
    assert [u.telegram_id for u in await users.organisers()] == [3]
    assert await users.delete(3) and await users.get(3) is None
