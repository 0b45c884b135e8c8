"""The weighted terms of a text (:func:`bot.domain.matching.text.terms`) are shared between
profiles: at 10,000 companies each distinct stem and pair of stems is one string in memory,
not one per profile that names it (issue 15, peak RSS)."""

from __future__ import annotations

from bot.domain.matching import text


def test_the_same_terms_of_two_texts_are_one_string_each() -> None:
    first = text.terms("Mobile app development for banks")
    second = text.terms("We do mobile app development, and cloud backups")
    shared = first.keys() & second.keys()
    assert "mobil app" in shared and "app develop" in shared and "develop" in shared
    keys = {k: k for k in second}
    assert all(k is keys[k] for k in first if k in keys)
    assert first["mobil app"] == second["mobil app"]  # the weights are unchanged
