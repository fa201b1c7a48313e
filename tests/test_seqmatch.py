"""The compiled sequence matcher (CyDifflib) gives what the standard library's gives: the
word alignment of provenance, the spin learner and the text diff rest on it."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin import seqmatch
from unspin.seqmatch import STDLIB, SequenceMatcher

# A few words, many repeats: the case where longest-match ties and recursion order matter.
_WORDS = st.lists(st.sampled_from(["the", "a", "storm", "tempest", "said", ",", "city"]))


def _same(a: list[str], b: list[str], autojunk: bool) -> None:
    ours = SequenceMatcher(None, a, b, autojunk=autojunk)
    ref = STDLIB(None, a, b, autojunk=autojunk)
    assert [tuple(m) for m in ours.get_matching_blocks()] == [
        tuple(m) for m in ref.get_matching_blocks()
    ]
    assert ours.get_opcodes() == ref.get_opcodes()
    assert ours.ratio() == ref.ratio()


def test_the_compiled_matcher_is_installed() -> None:
    """cydifflib is a default dependency: a missing one is a set-up bug, not a fallback."""
    assert seqmatch._compiled is not None
    assert SequenceMatcher is not STDLIB


@settings(max_examples=400, deadline=None)
@given(_WORDS, _WORDS, st.booleans())
def test_same_blocks_opcodes_and_ratio_as_difflib(a: list[str], b: list[str], aj: bool) -> None:
    _same(a, b, aj)


def test_same_blocks_on_news_length_texts() -> None:
    """Long word lists (200+ words, where autojunk's popular words start to count), of
    our own making: a text, a lightly swapped copy, and two unrelated shuffles."""
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(300)] + ["the"] * 40 + ["of"] * 25 + [","] * 30
    for _ in range(20):
        a = [rng.choice(vocab) for _ in range(rng.randint(150, 700))]
        b = [w if rng.random() > 0.4 else rng.choice(vocab) for w in a]
        rng.shuffle(c := list(a))
        for other in (b, c, a[::-1]):
            _same(a, other, False)
            _same(a, other, True)
