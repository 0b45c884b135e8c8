"""Builders the scheduler tests share: the meeting slots of one block."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.scheduler import Slot

START = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)


def slots(*tables: int) -> list[Slot]:
    """Slots 1, 2, ... of 20 minutes in time order from ``START``, with the given tables each."""
    return [
        Slot(k, START + timedelta(minutes=20 * k), START + timedelta(minutes=20 * k + 20), 1, n)
        for k, n in enumerate(tables, 1)
    ]
