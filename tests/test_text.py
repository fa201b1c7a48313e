"""Normalisation, ids, tokens and sentences (unit + property tests)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from unspin.ingest.clean import _CONTROL_IN_WORDS
from unspin.text import (
    WordSwaps,
    article_id,
    normalize,
    normalize_paragraphs,
    quoted_spans,
    sentence_spans,
    tokenize,
    word_spans,
    word_swaps,
    words,
)


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_normalize_leaves_no_double_spaces_or_edges(text: str) -> None:
    out = normalize(text)
    assert "  " not in out
    assert out == out.strip()


def test_normalize_unifies_quotes_dashes_and_spaces() -> None:
    assert normalize("“Hi” — it’s\u00a0here") == '"Hi" - it\'s here'


@given(st.lists(st.text(alphabet="abcdef XYZ", min_size=1, max_size=30), min_size=1, max_size=6))
def test_article_id_ignores_case_whitespace_and_paragraphing(paras: list[str]) -> None:
    joined = "\n\n".join(paras)
    reflowed = "\n".join("  " + p.upper() + "  " for p in paras)
    if not normalize_paragraphs(joined):
        return
    assert article_id(joined) == article_id(reflowed)


def test_article_id_changes_with_words() -> None:
    assert article_id("The council voted on Tuesday.") != article_id("The council voted on Monday.")
    assert len(article_id("x")) == 20


@given(st.text(max_size=400))
def test_token_offsets_point_into_the_text(text: str) -> None:
    for tok in tokenize(text):
        assert text[tok.start : tok.end] == tok.text


# The token pattern before its quantifiers were made possessive (backtracking); the fast
# one must split every string the same way.
_BACKTRACKING_TOKENS = re.compile(
    r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:\.[^\W\d_])+(?=\.)?|\w+(?:['\-]\w+)*|[^\w\s]"
)


@given(st.text(alphabet="aZé9_.,:'-!? 中1x\nİ", max_size=40))
@settings(max_examples=400, deadline=None)
def test_possessive_token_pattern_matches_the_backtracking_one(text: str) -> None:
    assert [(t.text, t.start, t.end) for t in tokenize(text)] == [
        (m.group(), m.start(), m.end()) for m in _BACKTRACKING_TOKENS.finditer(text)
    ]


def test_tokenize_keeps_numbers_and_contractions() -> None:
    assert words("It's 3.5% of the U.S. budget, 1,000 people.") == [
        "it's",
        "3.5",
        "of",
        "the",
        "u.s",
        "budget",
        "1,000",
        "people",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("First para\nSecond para.", ["First para", "Second para."]),
        ("It cost 3.5 million. Done.", ["It cost 3.5 million.", "Done."]),
    ],
)
def test_sentence_split(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


@given(st.text(max_size=500))
def test_sentence_spans_are_ordered_and_inside(text: str) -> None:
    last = 0
    for start, end in sentence_spans(text):
        assert last <= start < end <= len(text)
        last = end


@given(st.text(alphabet=st.sampled_from('ab "\n.'), max_size=80))
def test_quoted_spans_lie_between_quote_marks_within_a_paragraph(text: str) -> None:
    spans = quoted_spans(text)
    assert spans == sorted(spans)
    for start, end in spans:
        assert 0 < start <= end <= len(text)
        assert text[start - 1] == '"'
        assert '"' not in text[start:end] and "\n" not in text[start:end]


def test_quoted_spans_of_a_news_sentence() -> None:
    text = 'She said: "We will rebuild." Then: "It will take\na year.'
    assert [text[s:e] for s, e in quoted_spans(text)] == ["We will rebuild.", "It will take"]


def test_an_unclosed_quote_runs_on_only_into_a_paragraph_that_continues_it() -> None:
    # The news convention: a quote running into the next paragraph leaves its paragraph
    # open and opens the next one with a quote mark.
    text = 'He said: "We will rebuild. It will take a year.\n"And we will not leave."'
    spans = [text[s:e] for s, e in quoted_spans(text)]
    assert spans == ["We will rebuild. It will take a year.", "And we will not leave."]
    # A stray mark in a one-paragraph text quotes its sentence, not the rest of the text.
    text = 'Some said "it was over. The council met on Monday. It voted to reopen the pier.'
    assert [text[s:e] for s, e in quoted_spans(text)] == ["it was over."]


_WORDS = st.lists(
    st.sampled_from(["aid", "help", "the", "we", "send", "now", "region"]), max_size=12
)


@given(_WORDS)
def test_word_swaps_of_a_sequence_with_itself_keep_every_word(words: list[str]) -> None:
    assert word_swaps(words, words) == WordSwaps((), len(words))


@given(_WORDS, st.integers(min_value=0, max_value=11))
def test_a_cut_word_is_not_a_swap(words: list[str], k: int) -> None:
    if words:
        k %= len(words)
        assert word_swaps(words, words[:k] + words[k + 1 :]) is None


def test_word_swaps_gives_the_swapped_stretches() -> None:
    a = ["we", "will", "send", "humanitarian", "aid", "to", "the", "region"]
    b = ["we", "will", "send", "compassionate", "help", "to", "the", "region"]
    assert word_swaps(a, b) == WordSwaps(((3, 5, 3, 5),), 6)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_word_spans_are_the_word_tokens_lower_cased(text: str) -> None:
    words_ = [t for t in tokenize(text) if t.is_word]
    assert word_spans(text) == (
        [t.text.lower() for t in words_],
        [t.start for t in words_],
        [t.end for t in words_],
    )


def test_word_spans_of_a_sentence() -> None:
    text = "The U.S. storm's toll: 1,000 (well-known) _x İstanbul."
    lower, starts, ends = word_spans(text)
    assert lower == ["the", "u.s", "storm's", "toll", "1,000", "well-known", "i̇stanbul"]
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)][-1] == "İstanbul"


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_normalize_keeps_the_words_of_ascii_without_word_controls(text: str) -> None:
    # ingest.clean.classify_line counts such a line's words before normalising it.
    assume(not _CONTROL_IN_WORDS.search(text))
    assert normalize(text).split() == text.split()


def test_a_word_of_control_characters_vanishes_when_normalised() -> None:
    # Why classify_line leaves lines holding such characters to the full check.
    line = "a \x08 b"
    assert len(line.split()) == 3
    assert normalize(line).split() == ["a", "b"]


def test_every_whitespace_character_stays_a_word_separator() -> None:
    spaces = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and chr(c).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        assert normalize(f"one{space}two").split() == ["one", "two"], hex(ord(space))
