"""Word alignment: passages, substitutions, offsets (unspin.provenance.align)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance_samples import ORIGINAL, SAME_STORY, UNRELATED, spin
from unspin.provenance import align as align_module
from unspin.provenance.align import Alignment, align, word_tokens
from unspin.text import FUNCTION_WORDS

WORDS = st.sampled_from(
    [
        "the",
        "a",
        "of",
        "in",
        "river",
        "storm",
        "rain",
        "town",
        "mayor",
        "said",
        "council",
        "water",
        "bridge",
        "night",
        "homes",
        "300",
        "Ortiz",
    ]
)
TEXTS = st.lists(WORDS, min_size=1, max_size=80).map(" ".join)


@given(TEXTS)
@settings(max_examples=60, deadline=None)
def test_text_aligned_with_itself_has_no_substitutions(text: str) -> None:
    aln = align(text, text)
    assert aln.substitutions == ()
    assert aln.source_words == aln.copy_words == len(word_tokens(text))


@given(st.floats(min_value=0.05, max_value=0.5), st.integers(min_value=0, max_value=10_000))
@settings(max_examples=25, deadline=None)
def test_spinning_then_aligning_recovers_the_swapped_positions(rate: float, seed: int) -> None:
    spun, spans = spin(ORIGINAL, rate, seed)
    aln = align(ORIGINAL, spun)
    found = [(s.copy_start, s.copy_end) for s in aln.substitutions]
    recovered = sum(any(a < e and s < b for a, b in found) for s, e in spans)
    assert recovered >= 0.95 * len(spans)
    # every reported substitution is a real swap
    assert all(any(a < e and s < b for s, e in spans) for a, b in found)


def test_substitution_offsets_point_at_the_words_in_both_texts() -> None:
    src = "The storm hit the coast on Monday, officials said, and the river rose."
    cpy = "The tempest hit the shore on Monday, officials stated, and the river rose."
    aln = align(src, cpy)
    assert [(s.source, s.copy) for s in aln.substitutions] == [
        ("storm", "tempest"),
        ("coast", "shore"),
        ("said", "stated"),
    ]
    for s in aln.substitutions:
        assert src[s.source_start : s.source_end] == s.source
        assert cpy[s.copy_start : s.copy_end] == s.copy


def test_a_phrase_replacing_a_word_is_one_substitution() -> None:
    src = "Researchers trained a neural network on the data set and reported the results today."
    cpy = "Researchers trained a neural organization on the information set and reported the results today."
    subs = [(s.source, s.copy) for s in align(src, cpy).substitutions]
    assert ("network", "organization") in subs
    assert ("data", "information") in subs


def test_half_of_the_content_words_swapped_still_aligns() -> None:
    spun, spans = spin(ORIGINAL, 0.5, seed=3)
    aln = align(ORIGINAL, spun)
    assert aln.coverage > 0.95
    assert aln.reused > 0.95
    assert len(aln.substitutions) >= 0.95 * len(spans)


def test_a_dropped_paragraph_breaks_the_passage_and_lowers_coverage() -> None:
    paras = ORIGINAL.strip().split("\n\n")
    cut = "\n\n".join(paras[:2] + paras[3:])
    aln = align(ORIGINAL, cut)
    assert aln.reused == pytest.approx(1.0)
    assert 0.6 < aln.coverage < 0.9
    assert len(aln.passages) == 2
    assert aln.substitutions == ()


@pytest.mark.parametrize("other", [UNRELATED, SAME_STORY], ids=["unrelated", "same-story"])
def test_independent_texts_share_no_passage(other: str) -> None:
    aln = align(ORIGINAL, other)
    assert aln.coverage < 0.1
    assert aln.reused < 0.1


def test_swapped_alignment_reads_the_other_way() -> None:
    spun, _ = spin(ORIGINAL, 0.3, seed=1)
    aln = align(ORIGINAL, spun)
    back = aln.swapped()
    assert back.coverage == pytest.approx(aln.reused)
    assert [(s.source, s.copy) for s in back.substitutions] == [
        (s.copy, s.source) for s in aln.substitutions
    ]
    for s in back.substitutions:
        assert spun[s.source_start : s.source_end] == s.source


def test_empty_texts_align_to_nothing() -> None:
    aln = align("", "Some words here.")
    assert aln.passages == () and aln.coverage == 0.0 and aln.reused == 0.0


def _fresh(source: str, copy: str) -> Alignment:
    """The alignment with the thread's kept matcher dropped first (a new matcher)."""
    align_module._MATCHERS.matcher = align_module._MATCHERS.copy = None
    return align(source, copy)


@given(st.lists(TEXTS, min_size=2, max_size=5), TEXTS)
@settings(max_examples=60, deadline=None)
def test_sources_aligned_in_turn_to_one_copy_equal_fresh_alignments(
    sources: list[str], copy: str
) -> None:
    """The matcher kept for the copy (its index of the copy's words) gives each source
    the alignment a new matcher gives, whatever came before."""
    in_turn = [align(source, copy) for source in sources + sources[::-1]]
    assert in_turn == [_fresh(source, copy) for source in sources + sources[::-1]]


def test_a_kept_matcher_serves_only_its_own_copy() -> None:
    spun, _ = spin(ORIGINAL, 0.3, seed=2)
    first = align(ORIGINAL, spun)
    other = align(ORIGINAL, SAME_STORY)  # another copy: a new matcher
    assert align(ORIGINAL, spun) == first == _fresh(ORIGINAL, spun)
    assert other == _fresh(ORIGINAL, SAME_STORY)


@given(TEXTS, TEXTS)
@settings(max_examples=80, deadline=None)
def test_content_words_counted_inside_passages_and_swaps(source: str, copy: str) -> None:
    """The content words covered and swapped, counted word by word over the passages'
    and substitutions' words of the source (function words and numbers left out)."""
    aln = align(source, copy)
    words = word_tokens(source)

    def content_between(start: int, end: int) -> int:
        return sum(
            1
            for w, s, e in zip(words.lower, words.starts, words.ends, strict=True)
            if start <= s and e <= end and w not in FUNCTION_WORDS and not w[0].isdigit()
        )

    assert aln.source_content_covered == sum(
        content_between(p.source_start, p.source_end) for p in aln.passages
    )
    assert aln.source_content_substituted == sum(
        content_between(s.source_start, s.source_end) for s in aln.substitutions
    )
