"""The send plan: each batch starts early enough to be out by its due time at the rate, and
not earlier than needed (+5 %); batches due together are planned one after the other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.send_plan import SendPlan

DUE = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


def lead(plan: SendPlan, name: str, due: datetime = DUE) -> float:
    return (due - plan.start_of(name)).total_seconds()


def test_a_batch_starts_its_sending_time_early_and_no_earlier_than_needed_plus_ten_percent() -> (
    None
):
    plan = SendPlan(rate=25)
    plan.put("a", DUE, 5000)
    assert 200 <= lead(plan, "a") <= 200 * 1.1


def test_two_batches_due_together_are_planned_one_after_the_other() -> None:
    plan = SendPlan(rate=25)
    plan.put("a", DUE, 5000)
    moved = plan.put("b", DUE, 5000)
    assert set(moved) == {"a", "b"}  # the first one planned moves earlier
    leads = sorted([lead(plan, "a"), lead(plan, "b")])
    assert 200 <= leads[0] <= 220
    assert 400 <= leads[1] <= 440


def test_a_small_batch_due_just_before_a_big_one_goes_before_it() -> None:
    plan = SendPlan(rate=25)
    plan.put("big", DUE, 5000)
    plan.put("small", DUE - timedelta(seconds=30), 25)
    assert plan.start_of("small") + plan.needs(25) <= plan.start_of("big")
    assert lead(plan, "big") <= 220


def test_removing_a_batch_lets_the_earlier_ones_start_later() -> None:
    plan = SendPlan(rate=25)
    plan.put("a", DUE, 5000)
    plan.put("b", DUE + timedelta(seconds=1), 5000)
    assert lead(plan, "a") > 400
    moved = plan.remove("b")
    assert moved == {"a": plan.start_of("a")}
    assert lead(plan, "a") <= 220
    assert "b" not in plan and len(plan) == 1


def test_a_batch_far_apart_from_the_others_is_not_moved() -> None:
    plan = SendPlan(rate=25)
    plan.put("morning", DUE, 100)
    before = plan.start_of("morning")
    moved = plan.put("afternoon", DUE + timedelta(hours=4), 5000)
    assert moved == {"afternoon": plan.start_of("afternoon")}
    assert plan.start_of("morning") == before


def test_replacing_a_batch_replans_it() -> None:
    plan = SendPlan(rate=25)
    plan.put("a", DUE, 5000)
    plan.put("a", DUE, 50)
    assert len(plan) == 1 and lead(plan, "a") <= 2.2


def test_the_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SendPlan(rate=0)
