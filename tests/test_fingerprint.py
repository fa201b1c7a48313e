"""MinHash/LSH fingerprints, word and stable-token (unspin.provenance.fingerprint)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance_samples import ORIGINAL, SAME_STORY, UNRELATED, spin
from unspin.provenance.fingerprint import (
    _WORD_OR_STOP,
    STABLE,
    WORD,
    TokenTable,
    band_keys,
    fingerprint,
    fingerprints,
    minhash,
    minhash_reference,
    shingle_hashes,
    stable_tokens,
)


@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=40))
@settings(max_examples=50, deadline=None)
def test_vectorised_minhash_equals_the_reference(hashes: list[int]) -> None:
    arr = np.array(hashes, dtype=np.uint64)
    assert minhash(arr, WORD).tolist() == minhash_reference(hashes, WORD)


def test_minhash_estimates_jaccard() -> None:
    a = np.arange(0, 1000, dtype=np.uint64) * np.uint64(2654435761)
    b = np.arange(500, 1500, dtype=np.uint64) * np.uint64(2654435761)  # J = 1/3
    params = WORD.__class__(kind=0, k=5, bands=64, rows=8)
    est = float(np.mean(minhash(a, params) == minhash(b, params)))
    assert est == pytest.approx(1 / 3, abs=0.08)


def test_shingle_hashes_are_position_independent() -> None:
    h1 = shingle_hashes(["x", "y", "the", "storm", "hit"], 3)
    h2 = shingle_hashes(["the", "storm", "hit"], 3)
    assert h2[0] in h1


def test_stable_tokens_keep_function_words_numbers_and_names() -> None:
    marked = [
        ("The", True),
        ("storm", False),
        ("hit", False),
        ("Port", False),
        ("Allen", False),
        ("in", False),
        ("2024", False),
    ]
    assert stable_tokens(marked) == ["the", "port", "allen", "in", "2024"]


def test_fingerprints_are_deterministic() -> None:
    assert np.array_equal(fingerprint(ORIGINAL).keys, fingerprint(ORIGINAL).keys)
    assert fingerprint(ORIGINAL).keys.shape == (WORD.bands + STABLE.bands,)


def _shared(a: str, b: str, kind: slice) -> int:
    return int(np.sum(fingerprint(a).keys[kind] == fingerprint(b).keys[kind]))


WORD_BANDS = slice(0, WORD.bands)
STABLE_BANDS = slice(WORD.bands, WORD.bands + STABLE.bands)


@pytest.mark.parametrize("rate", [0.3, 0.5])
def test_spun_copy_keeps_stable_bands_but_breaks_word_bands(rate: float) -> None:
    spun, _ = spin(ORIGINAL, rate, seed=2)
    assert _shared(ORIGINAL, spun, STABLE_BANDS) >= 5
    assert _shared(ORIGINAL, spun, WORD_BANDS) <= _shared(ORIGINAL, spun, STABLE_BANDS)


@pytest.mark.parametrize("other", [UNRELATED, SAME_STORY], ids=["unrelated", "same-story"])
def test_independent_texts_share_no_band(other: str) -> None:
    assert _shared(ORIGINAL, other, slice(None)) == 0


def test_band_keys_of_a_batch_match_single_keys() -> None:
    sigs = np.stack(
        [minhash(shingle_hashes(t.lower().split(), 5), WORD) for t in (ORIGINAL, UNRELATED)]
    )
    batch = band_keys(sigs, WORD)
    assert np.array_equal(batch[1], band_keys(sigs[1], WORD))


def test_texts_too_short_for_a_kind_index_no_keys_of_it() -> None:
    fp = fingerprints(["", "storm rain flood"])
    assert fp[0].index_keys.size == 0
    assert fp[1].word_shingles == 1 and fp[1].stable_shingles == 0
    assert fp[1].index_keys.size == WORD.bands


# The word pattern of unspin.text.tokenize before fingerprinting sped it up (possessive
# quantifiers); the fast one must split every string the same way.
_REFERENCE_TOKENS = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:\.[^\W\d_])+|\w+(?:['\-]\w+)*|[.!?]")


@given(st.text(alphabet="aZé9_.,:'-!? 中1x\n", max_size=30))
@settings(max_examples=300, deadline=None)
def test_fast_token_pattern_splits_like_the_reference(text: str) -> None:
    assert _WORD_OR_STOP.findall(text) == _REFERENCE_TOKENS.findall(text)


def _reference_keys(text: str) -> np.ndarray:
    """Band keys computed text by text from the plain definitions (no batching)."""
    words, marked, start = [], [], True
    for tok in _REFERENCE_TOKENS.findall(text):
        if tok in ".!?":
            start = True
            continue
        words.append(tok.lower())
        marked.append((tok, start))
        start = False
    parts = []
    for params, tokens in ((WORD, words), (STABLE, stable_tokens(marked))):
        shingles = set(shingle_hashes(tokens, params.k).tolist())
        sig = np.array(minhash_reference(shingles, params), dtype=np.uint64)
        parts.append(band_keys(sig, params))
    return np.concatenate(parts)


def test_batched_fingerprints_equal_the_plain_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    import unspin.provenance.fingerprint as fp_module

    monkeypatch.setattr(fp_module, "_BATCH", 3)  # cross batch boundaries
    monkeypatch.setattr(fp_module, "_BLOCK", 64)  # and MinHash block boundaries
    texts = [ORIGINAL, "", spin(ORIGINAL, 0.3, seed=4)[0], "storm rain flood", "The. A"]
    texts += [UNRELATED, SAME_STORY, "Mr. Diaz said 3.5 % of U.S. homes; well-known!", "..", ""]
    table = TokenTable()
    batch = fingerprints(texts, table)
    for text, fp in zip(texts, batch, strict=True):
        assert np.array_equal(fp.keys, _reference_keys(text)), text[:40]
        assert np.array_equal(fingerprint(text, table).keys, fp.keys)


_WORDS = st.lists(
    st.sampled_from(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "a",
            "storm",
            "Helen",
            "Ortiz",
            "said",
            "river",
            "300",
            "bridge",
            "council",
            "on",
            "Monday",
            "harbour",
            "people",
            "rain",
            "boats",
            "town",
            "water",
            "2024",
            "library",
        ]
    ),
    min_size=30,
    max_size=120,
)


@given(_WORDS, _WORDS, _WORDS)
@settings(max_examples=60, deadline=None)
def test_anchors_of_a_passage_survive_inside_a_longer_text(
    before: list[str], passage: list[str], after: list[str]
) -> None:
    # Content-defined sampling: a passage keeps its word and name anchors wherever it
    # stands (away from its two edges, where shingles straddle the new context).
    from unspin.provenance.fingerprint import anchor_kind

    alone = fingerprint(" ".join(passage))
    inside = fingerprint(" ".join(before + ["."] + passage + ["."] + after))
    core = fingerprint(" ".join(passage[5:-5]))
    kept = core.anchors[np.isin(anchor_kind(core.anchors), (1, 3))]
    assert set(kept.tolist()) <= set(inside.anchors.tolist())
    assert np.array_equal(np.unique(alone.anchors), alone.anchors), "sorted and distinct"


def test_anchor_kinds_are_in_the_low_bits() -> None:
    from unspin.provenance.fingerprint import anchor_kind

    fp = fingerprint(ORIGINAL)
    kinds = set(anchor_kind(fp.anchors).tolist())
    assert kinds == {1, 2, 3}
