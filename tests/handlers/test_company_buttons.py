"""The companies' buttons go through the callback-data codec: the choices a payload may
carry are exactly the domain's (sizes, profile fields), and the longest fit in 64 bytes."""

from __future__ import annotations

from typing import get_args

from bot.domain.profiles import FIELDS, SIZES
from handlers.callbacks import (
    ClaimConsent,
    CompanySize,
    DeleteMe,
    ProfileAct,
    ProfileField,
    RegCountry,
    RegField,
    RegToggle,
)
from handlers.callbacks.codec import MAX_BYTES

BIGGEST_ID = 2**63 - 1
LONGEST_KEY = "k" * 24  # bot.forum.KEY_PATTERN: at most 24 characters


def test_payload_choices_are_the_domains() -> None:
    assert get_args(CompanySize) == SIZES
    assert get_args(ProfileField) == FIELDS


def test_the_longest_payloads_fit_and_round_trip() -> None:
    payloads = [
        RegToggle("partnerships", LONGEST_KEY),
        RegCountry("VN"),
        RegField("contact_phone"),
        ProfileAct(BIGGEST_ID, "delete_yes"),
        ClaimConsent(BIGGEST_ID, True),
        DeleteMe(BIGGEST_ID, True),
    ]
    for payload in payloads:
        data = payload.pack()
        assert len(data.encode()) <= MAX_BYTES
        assert type(payload).unpack(data) == payload
