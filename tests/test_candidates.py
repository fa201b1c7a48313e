"""Candidate pairs by shared anchors (unspin.provenance.candidates)."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance_samples import (
    HEAVY_ORIGINAL,
    HEAVY_SPUN,
    ORIGINAL,
    SAME_STORY,
    UNRELATED,
    edit,
    spin,
)
from real_copy_samples import HOUSE_STYLE, REWRITE, SPUN_HEAVY, WIRE_A, WIRE_B, WIRE_C
from unspin.provenance.candidates import ANCHOR_MAX_DF, anchor_counts, anchor_pairs, anchor_score
from unspin.provenance.fingerprint import anchor_kind, fingerprints
from unspin.provenance.index import _best_per_later

TEXTS = [
    ORIGINAL,
    SAME_STORY,
    UNRELATED,
    edit(ORIGINAL),
    spin(ORIGINAL, 0.5, seed=3)[0],
    HOUSE_STYLE,
    REWRITE,
    SPUN_HEAVY,
    WIRE_A,
    WIRE_B,
    WIRE_C,
]


def _reference() -> dict[tuple[int, int], tuple[float, bool]]:
    """anchor_score on every pair, one at a time (the definition the batch path keeps)."""
    fps = fingerprints(TEXTS)
    df = Counter(k for fp in fps for k in fp.anchors.tolist())
    out = {}
    for i, j in itertools.combinations(range(len(fps)), 2):
        shared = np.intersect1d(fps[i].anchors, fps[j].anchors)
        shared = shared[[2 <= df[int(k)] <= ANCHOR_MAX_DF for k in shared]]
        kinds = anchor_kind(shared)
        counts = [int((kinds == k).sum()) for k in (1, 2, 3)]
        match = anchor_score(counts, anchor_counts(fps[i].anchors), anchor_counts(fps[j].anchors))
        if match is not None:
            out[(i, j)] = (round(match.score, 9), match.textual)
    return out


def test_batch_anchor_pairs_equal_the_pairwise_definition() -> None:
    fast = {
        (i, j): (round(m.score, 9), m.textual)
        for i, j, m in anchor_pairs(fingerprints(TEXTS), max_bucket=200)
    }
    assert fast == _reference()


def test_copies_are_candidates_and_the_unrelated_article_is_not() -> None:
    pairs = {(i, j): m for i, j, m in anchor_pairs(fingerprints(TEXTS), max_bucket=200)}
    for copy in (3, 4, 5, 7, 8, 10):  # edited, spun, house style, heavy spin, wire copies
        assert (0, copy) in pairs and pairs[(0, copy)].textual
    assert (0, 6) in pairs  # the rewrite, through its names and numbers
    assert not any(2 in pair for pair in pairs)


def test_pairs_sharing_too_few_anchors_are_no_candidates() -> None:
    fps = fingerprints([HEAVY_ORIGINAL, UNRELATED, HEAVY_SPUN])
    assert len(np.intersect1d(fps[0].anchors, fps[2].anchors)) == 1  # shared, but one only
    assert anchor_pairs(fps, max_bucket=200) == []


@given(
    st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from([0.2, 0.5, 0.5, 0.9])),
        max_size=80,
    ),
    st.integers(1, 4),
)
@settings(max_examples=150, deadline=None)
def test_each_later_article_keeps_its_best_anchor_pairs_as_a_plain_sort_does(
    rows: list[tuple[int, int, float]], k: int
) -> None:
    n = 12
    pairs = {(min(a, b), max(a, b)): s for a, b, s in rows if a != b}  # one score a pair
    codes = np.array([i * n + j for i, j in sorted(pairs)], dtype=np.int64)
    scores = np.array([pairs[p] for p in sorted(pairs)], dtype=np.float64)
    keep = _best_per_later(codes, scores, n, k)
    ranked: dict[int, list[tuple[float, int]]] = {}
    for (i, j), s in pairs.items():
        ranked.setdefault(j, []).append((-s, i))  # ties: the earlier article first
    want = {(i, j) for j, r in ranked.items() for _, i in sorted(r)[:k]}
    assert {(int(c) // n, int(c) % n) for c in codes[keep]} == want
