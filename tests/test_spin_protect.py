"""Words restoration never changes: numbers, magnitudes, negations, pronouns, names, quotes."""

from __future__ import annotations

import re

import pytest

from unspin.spin.protect import is_fact_word, protected_words, quoted_regions, safe_swap

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def _protected(text: str) -> tuple[set[str], set[str]]:
    ms = list(_WORD.finditer(text))
    p = protected_words(text, [m.group() for m in ms], [m.start() for m in ms])
    fixed = {m.group() for m, f in zip(ms, p.fixed, strict=True) if f}
    quoted = {m.group() for m, q in zip(ms, p.quoted, strict=True) if q}
    return fixed, quoted


@pytest.mark.parametrize(
    "word",
    ["billion", "Million", "fifty", "percent", "not", "never", "without", "don't", "isn't",
     "she's", "You're", "they'll", "her", "themselves"],
)  # fmt: skip
def test_fact_words(word: str) -> None:
    assert is_fact_word(word)


@pytest.mark.parametrize("word", ["pastor", "gathering", "contract", "shipbuilder", "nation"])
def test_content_words_are_not_fact_words(word: str) -> None:
    assert not is_fact_word(word)


@pytest.mark.parametrize(
    ("written", "original"),
    [("billion", "million"), ("she's", "you're"), ("never", "always"), ("unlikely", "likely"),
     ("likely", "unlikely"), ("inactive", "active"), ("thousand", "hundred"), ("not", "now")],
)  # fmt: skip
def test_unsafe_swaps(written: str, original: str) -> None:
    assert not safe_swap(written, original)


@pytest.mark.parametrize(
    ("written", "original"),
    [("gathering", "conference"), ("pastor", "minister"), ("expense", "cost"), ("same", "same")],
)
def test_safe_swaps(written: str, original: str) -> None:
    assert safe_swap(written, original)


@pytest.mark.parametrize(
    ("text", "words"),
    [("a six-month delay", {"six", "month"}), ("the 61-year-old man", {"year", "old"}),
     ("a magnitude-5.2 quake", {"magnitude"}), ("a five-storey block", {"five", "storey"})],
)  # fmt: skip
def test_every_word_of_a_compound_with_a_number_is_fixed(text: str, words: set[str]) -> None:
    fixed, _ = _protected(text)
    assert fixed == words


def test_a_compound_without_a_number_is_judged() -> None:
    fixed, _ = _protected("a well-known author and state-of-the-art tools")
    assert fixed == set()


def test_words_joined_to_a_figure_are_fixed() -> None:
    fixed, _ = _protected("They signed a $3-billion deal with the 50-member alliance today.")
    assert {"billion", "member"} <= fixed
    assert not {"signed", "deal", "alliance", "today"} & fixed


def test_a_capitalised_word_written_twice_is_a_name() -> None:
    fixed, _ = _protected("Harper spoke first. Later Harper left, and Young arrived.")
    assert "Harper" in fixed
    assert "Young" not in fixed  # once only: judged like any other word


@pytest.mark.parametrize(
    "text",
    ['He said "send compassionate help now" to them.', "He said \u201csend compassionate help now\u201d to them."],
    ids=["straight", "curly"],
)  # fmt: skip
def test_quoted_words(text: str) -> None:
    _, quoted = _protected(text)
    assert quoted == {"send", "compassionate", "help", "now"}


def test_an_unpaired_quotation_mark_quotes_nothing() -> None:
    assert quoted_regions('He said "send help\nand left.') == []
