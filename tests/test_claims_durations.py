"""Durations as written in real reports: qualifiers, compound adjectives, halves."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.claims import durations
from unspin.claims.durations import find_durations
from unspin.claims.numbers import interval


@pytest.mark.parametrize(
    ("text", "words", "minutes", "qualifier", "of"),
    [
        (
            "The call lasted greater than three hours.",
            "greater than three hours",
            180,
            "more",
            None,
        ),
        ("They had a more than 40-minute chat.", "more than 40-minute chat", 40, "more", "chat"),
        (
            "It was a more-than-two-hour meeting.",
            "more-than-two-hour meeting",
            120,
            "more",
            "meeting",
        ),
        ("It was a nearly-three-hour call.", "nearly-three-hour call", 180, "nearly", "call"),
        ("They spoke for nearly three hours.", "nearly three hours", 180, "nearly", None),
        ("The meeting lasted roughly 90 minutes.", "roughly 90 minutes", 90, "about", None),
        ("She held a 90-minute call.", "90-minute call", 90, "exact", "call"),
        (
            "They held a two-and-a-half-hour meeting.",
            "two-and-a-half-hour meeting",
            150,
            "exact",
            "meeting",
        ),
        ("The hearing took an hour and a half.", "an hour and a half", 90, "exact", None),
        ("The strike lasted a year and a half.", "a year and a half", 788400, "exact", None),
        (
            "The talks ran more than an hour-and-a-half.",
            "more than an hour-and-a-half",
            90,
            "more",
            None,
        ),
    ],
)
def test_durations_written_in_real_reports(
    text: str, words: str, minutes: float, qualifier: str, of: str | None
) -> None:
    (d,) = find_durations(text)
    assert text[d.start : d.end] == words
    assert d.minutes == pytest.approx(minutes)
    assert d.qualifier == qualifier
    assert d.of == of


def test_a_duration_is_a_range_by_its_qualifier() -> None:
    (more,) = find_durations("a more than 40-minute chat")
    low, high = interval(more.minutes, more.qualifier)
    assert low == 40 and high > 1000  # (40 min, open above)
    (nearly,) = find_durations("nearly three hours")
    low, high = interval(nearly.minutes, nearly.qualifier)
    assert 120 < low < 180 and high == 180  # just under three hours


def test_a_number_before_an_hour_is_not_read_twice() -> None:
    assert [d.minutes for d in find_durations("Two more-than-one-hour calls followed.")] == [60]


def test_a_function_word_after_a_compound_is_not_its_noun() -> None:
    (d,) = find_durations("It was a more-than-two-hour and tense meeting.")
    assert d.minutes == 120 and d.of is None


# Words and marks durations are written with, and some that only look like them.
_PIECES = [
    "more",
    "than",
    "nearly",
    "about",
    "roughly",
    "greater",
    "longer",
    "an",
    "a",
    "one",
    "An",
    "ONE",
    "half",
    "Half",
    "and",
    "long",
    "Long",
    "week",
    "weeks",
    "Week",
    "hour",
    "HOURS",
    "day",
    "days",
    "Monday",
    "month",
    "year",
    "decade",
    "minute",
    "second",
    "two",
    "three",
    "90",
    "2.5",
    "for",
    "lasted",
    "took",
    "ago",
    "-",
    "-than-",
    "-and-a-half",
    "-long",
    "call",
    "meeting",
    "\n",
    ",",
    ".",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_PIECES), st.sampled_from(["", " ", "  ", "-"])), max_size=14
    )
)
def test_skipping_a_pattern_a_text_cannot_match_changes_nothing(
    parts: list[tuple[str, str]],
) -> None:
    """The gates before each pattern are necessary conditions: with them or without, the
    same durations."""
    text = "".join(word + sep for word, sep in parts)
    gated = find_durations(text)
    with patch.dict(durations._GATES, clear=True):
        assert find_durations(text) == gated


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_PIECES),
            st.sampled_from(["", " ", "  ", "-"]),
            st.sampled_from(["", "lower", "upper", "title"]),
        ),
        max_size=14,
    )
)
def test_the_lower_cased_twins_find_the_same_durations(parts: list[tuple[str, str, str]]) -> None:
    """ASCII text is read lower-cased by case-sensitive twins of the patterns: the same
    durations as the patterns that ignore case read from the text itself."""
    text = "".join((getattr(word, case)() if case else word) + sep for word, sep, case in parts)
    twins = find_durations(text)
    with patch.object(durations, "_folded", lambda _text: None):
        assert find_durations(text) == twins


@pytest.mark.parametrize(
    "text",
    [
        "Talks Lasted More Than Three Hours.",
        "A MORE-THAN-TWO-HOUR MEETING ended.",
        "They met for An Hour and A Half.",
        "The Week-Long Summit and a Day-Long strike.",
        "It Took A Year.",
    ],
)
def test_durations_in_any_case_are_read_by_the_twins(text: str) -> None:
    twins = find_durations(text)
    with patch.object(durations, "_folded", lambda _text: None):
        assert find_durations(text) == twins
    assert twins
