"""storage.redaction: what marks a text as a person's, and how it reads once scrubbed."""

from __future__ import annotations

import pytest

from storage.redaction import Identity

PERSON = Identity.of(
    7731904265,
    "erased user #3",
    names=["Ioana Popescu", "Dan"],
    usernames=["@Ioana_RO"],
    emails=["ioana.popescu@example.ro"],
    phones=["+40744913527"],
    texts=["A note long enough to be recognised anywhere", "short"],
    others=[("Carpathian Code SRL", "an erased company")],
)


@pytest.mark.parametrize(
    "text",
    [
        "promote 7731904265",
        '{"from_chat_id": 7731904265}',
        "Telegram: @ioana_ro",
        "https://t.me/IOANA_RO",
        "Email: Ioana.Popescu@Example.RO",
        "Phone: +40 744 913 527",
        "Phone: 0744-913-527",
        "Phone: (0744) 913 527",
        "<b>Ioana\nPopescu</b>",
        "Their note: A note long enough to be  recognised anywhere",
        "Deleted: carpathian  code SRL",
    ],
)
def test_strong_marks_are_found(text: str) -> None:
    assert PERSON.in_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "77319042651 and 17731904265",  # longer numbers
        "Dan Brown's session",  # a single word of a name is weak
        "Ioana alone",
        "@ioana_ro_2",
        "+40 744 913 5270",
        "short",
        "Carpathian Code",
    ],
)
def test_weak_or_partial_marks_are_not(text: str) -> None:
    assert not PERSON.in_text(text)


def test_values_and_scrub() -> None:
    assert PERSON.in_value({"a": [1, {"b": 7731904265}]})
    assert not PERSON.in_value({"a": True, "b": 7731904266})
    assert PERSON.scrub("promote 7731904265 Ioana_RO") == "promote erased user #3"
    assert (
        PERSON.scrub("Dan met Ioana Popescu of Carpathian Code SRL")
        == "erased user #3 met erased user #3 of an erased company"
    )
    assert PERSON.scrub("rep-left:1:7731904265:t", label="erased-3") == "rep-left:1:erased-3:t"
