"""The callback-data codec: exact packing, strict unpacking, the 64-byte limit."""

from __future__ import annotations

import dataclasses
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.callbacks import DirCard, MeetingMove, MeetingPick
from handlers.callbacks.codec import CallbackData, InvalidCallback, registered


class Answer(CallbackData, prefix="t_ans"):
    intro_id: int
    accept: bool


class Pick(CallbackData, prefix="t_pick"):
    action: Literal["add", "drop"]
    key: str
    page: int | None = None


class Bare(CallbackData, prefix="t_bare"):
    pass


def test_pack_is_prefix_and_fields() -> None:
    assert Answer(17, True).pack() == "t_ans:17:1"
    assert Pick("add", "cyber").pack() == "t_pick:add:cyber:"
    assert Bare().pack() == "t_bare"


def test_unpack_round_trips() -> None:
    assert Answer.unpack("t_ans:17:0") == Answer(17, False)
    assert Pick.unpack("t_pick:drop:ai:3") == Pick("drop", "ai", 3)
    assert Pick.unpack("t_pick:drop:ai:") == Pick("drop", "ai", None)
    assert Bare.unpack("t_bare") == Bare()


@pytest.mark.parametrize(
    "data",
    [
        "t_ans:99999999999999999999999:1",  # beyond what SQLite can bind
        "t_ans:9223372036854775808:1",  # 2**63
        "t_ans:-1:1",
        "t_ans:１７:1",  # full-width digits
        "t_ans:²:1",
        "t_ans:17:2",
        "t_ans:17",
        "t_ans:17:1:extra",
        "other:17:1",
        "t_ans",
        "",
        None,
    ],
)
def test_forged_data_is_refused(data: object) -> None:
    with pytest.raises(InvalidCallback):
        Answer.unpack(data)
    assert Answer.filter()(data) is False


def test_literal_choices_are_checked() -> None:
    with pytest.raises(InvalidCallback):
        Pick.unpack("t_pick:delete:ai:")
    assert Bare.filter()("t_bare:x") is False


def test_filter_with_a_check() -> None:
    accepting = Answer.filter(lambda d: d.accept)
    assert accepting("t_ans:3:1") is True
    assert accepting("t_ans:3:0") is False


def test_over_64_bytes_is_refused_when_packing() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Pick("add", "x" * 60).pack()


def test_a_separator_inside_a_value_is_refused() -> None:
    with pytest.raises(ValueError, match="contains ':'"):
        Pick("add", "a:b").pack()


def test_a_prefix_is_unique() -> None:
    with pytest.raises(ValueError, match="taken"):

        class Again(CallbackData, prefix="t_ans"):
            x: int


@given(st.integers(min_value=0, max_value=2**63 - 1), st.booleans())
def test_any_id_round_trips(number: int, flag: bool) -> None:
    packed = Answer(number, flag).pack()
    assert len(packed.encode()) <= 64
    assert Answer.unpack(packed) == Answer(number, flag)


def test_a_declared_class_is_a_frozen_dataclass() -> None:
    """No decorator: the base makes each subclass a frozen dataclass, compared by value."""
    answer = Answer(17, True)
    assert dataclasses.is_dataclass(answer)
    assert answer == Answer(17, True)
    assert hash(answer) == hash(Answer(17, True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.intro_id = 18  # type: ignore[misc]


class _OnThing(CallbackData):
    thing: int


class ThingRate(_OnThing, prefix="t_rate"):
    stars: int


def test_a_family_base_gives_its_fields_first_and_takes_no_prefix() -> None:
    assert ThingRate(4, 5).pack() == "t_rate:4:5"
    assert ThingRate.unpack("t_rate:4:5") == ThingRate(thing=4, stars=5)
    assert _OnThing not in registered().values()
    assert registered()["t_rate"] is ThingRate


class _OnSlot(CallbackData):
    block: int
    start: int


class ThingMove(_OnSlot, _OnThing, prefix="t_move"):
    pass


def test_a_button_of_two_families_packs_the_last_named_family_first() -> None:
    assert ThingMove(4, 7, 900).pack() == "t_move:4:7:900"
    assert ThingMove.unpack("t_move:4:7:900") == ThingMove(thing=4, block=7, start=900)


def test_the_product_buttons_of_two_families_pack_as_before() -> None:
    """Messages already sent carry these bytes: sharing fields must not reorder them."""
    assert DirCard(9, "o", "ai", 3, 2).pack() == "dc:9:o:ai:3:2"
    assert DirCard(9, "o", "ai", 3, 2).back().pack() == "dl:o:ai:3:2"
    assert MeetingMove(5, 2, 11, 29000000).pack() == "mv:5:2:11:29000000"
    assert MeetingPick(8, 11, 29000000).pack() == "mp:8:11:29000000"
