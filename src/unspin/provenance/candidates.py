"""Candidates from shared anchors: which stored articles a new one may copy or be copied by.

Anchors (:attr:`unspin.provenance.fingerprint.Fingerprint.anchors`) are a content-defined
sample of an article's word and stable-token shingles plus its names and numbers. Two
articles sharing enough of one kind are a candidate pair, to be verified by alignment:

* **word** anchors survive cuts, added paragraphs and house style (wire copies, press
  releases, a brief inside a longer article);
* **stable** anchors (function words, names, numbers in order) survive a spinner swapping
  half the content words;
* **name** anchors (names and numbers, any order) survive a language model rewording
  every sentence.

An anchor held by more than :data:`ANCHOR_MAX_DF` articles (a common phrase, a frequent
name, an outlet's footer) is skipped: it says nothing about copying and would make
every lookup scan a long list. Candidates are ranked by their estimated containment (the
share of the smaller side's anchors of that kind that are shared), best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unspin.provenance.fingerprint import Fingerprint, anchor_kind

__all__ = [
    "ANCHOR_MAX_DF",
    "AnchorMatch",
    "anchor_counts",
    "anchor_pairs",
    "anchor_score",
    "buckets",
]

# Anchors held by more articles than this are skipped. At 100 the ECB+ dev set (772
# articles, 35 topics) keeps every name of a topic's event; a 100,000-article store
# drops the names and phrases of the day (bench/provenance_speed.py).
ANCHOR_MAX_DF = 100
# A pair is a candidate when it shares at least this many anchors of a kind (word,
# stable, name) and at least that share of the smaller side's anchors of that kind.
# Set on the ECB+ dev pairs (reuse_pairs_dev.jsonl), the SpinBot dev pairs and the
# llm_rewrites dev set (bench/real_copies.py): every wire-copy pair shares >= 20 % of
# its word anchors and >= 28 % of its stable ones, 64 of 65 SpinBot pairs >= 29 % of
# their stable ones; of the 8,277 independent same-topic pairs 87 share >= 20 % of their
# stable anchors (5 % let 1,632 through) and under 1 % share >= 9.5 % of their word
# anchors. Word 15 %: one shared sentence of a 15-sentence article is no candidate (at
# 5 % the 20,000 sentence mixes of bench/provenance_speed.py verified 194,206 pairs).
# Names 5 and 60 %: every llm_rewrites dev rewrite shares 89-97 % of the smaller side's
# names and numbers with its source; at 30 % adding the 772 ECB+ dev articles to 1,000
# others verified 3,827 candidates instead of 1,361 (bench/add_speed.py).
MIN_SHARED = (2, 2, 5)
# Pair codes counted per step by :func:`anchor_pairs` (about 32 MiB of int64).
_PAIR_CHUNK = 4_000_000
MIN_CONTAINMENT = (0.15, 0.2, 0.6)


def anchor_counts(anchors: npt.NDArray[np.int64]) -> tuple[int, int, int]:
    """How many anchors of each kind (word, stable, name) a fingerprint holds."""
    kinds = anchor_kind(anchors)
    return int((kinds == 1).sum()), int((kinds == 2).sum()), int((kinds == 3).sum())


@dataclass(frozen=True, slots=True)
class AnchorMatch:
    """Why a pair is a candidate: its estimated containment, and whether text is shared.

    Attributes:
        score: the best kind's share of the smaller side's anchors that are shared.
        textual: word or stable anchors qualify (a copy of word runs is possible); when
            False only names and numbers do, and only a rewrite is worth checking.
    """

    score: float
    textual: bool


def anchor_score(
    shared: Sequence[int], own_a: Sequence[int], own_b: Sequence[int]
) -> AnchorMatch | None:
    """Whether a pair is a candidate from its shared anchors, and how strong.

    Args:
        shared: anchors the two share, by kind (word, stable, name).
        own_a, own_b: each side's anchors by kind.

    Returns:
        The :class:`AnchorMatch`, or None when no kind qualifies.
    """
    best: float | None = None
    textual = False
    for k in range(3):
        smaller = min(own_a[k], own_b[k])
        if shared[k] < MIN_SHARED[k] or not smaller:
            continue
        share = shared[k] / smaller
        if share >= MIN_CONTAINMENT[k]:
            textual = textual or k < 2
            best = share if best is None else max(best, share)
    return AnchorMatch(best, textual) if best is not None else None


def buckets(
    keys: npt.NDArray[np.int64], owner: npt.NDArray[np.int64]
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.intp], npt.NDArray[np.intp]
]:
    """``keys`` and their ``owner`` sorted by key, with each run of one key's
    ``[start, end)``: the buckets of a batch's keys, found with one sort."""
    order = np.argsort(keys, kind="stable")
    keys, owner = keys[order], owner[order]
    edges = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [len(keys)]))
    return keys, owner, starts, ends


def anchor_pairs(fps: Sequence[Fingerprint], max_bucket: int) -> list[tuple[int, int, AnchorMatch]]:
    """Every candidate pair among ``fps`` by shared anchors: ``(i, j, match)``, i < j.

    One sort over all anchors of the batch; anchors held by more than
    :data:`ANCHOR_MAX_DF` fingerprints (or ``max_bucket``) are skipped, as the store's
    lookup skips them. The pairs of the buckets are counted a few million at a time
    (bounded memory), and the thresholds of :func:`anchor_score` applied to all of them
    at once.
    """
    n = len(fps)
    if n < 2:
        return []
    keys = np.concatenate([np.empty(0, np.int64), *(fp.anchors for fp in fps)])
    owner = np.repeat(np.arange(n, dtype=np.int64), [len(fp.anchors) for fp in fps])
    keys, owner, starts, ends = buckets(keys, owner)
    sizes = ends - starts
    usable = (sizes >= 2) & (sizes <= min(ANCHOR_MAX_DF, max_bucket))
    found: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
    chunk: list[npt.NDArray[np.int64]] = []
    pending = 0

    def flush() -> None:
        if chunk:
            found.append(np.unique(np.concatenate(chunk), return_counts=True))
            chunk.clear()

    # Buckets of one size at a time: their members as rows of a matrix, every pair of
    # a row from one set of upper-triangle indices (no Python loop over the buckets).
    first, size = starts[usable], sizes[usable]
    for m in np.unique(size).tolist():
        ii, jj = np.triu_indices(m, k=1)
        rows = first[size == m]
        step = max(1, _PAIR_CHUNK // len(ii))
        for k in range(0, len(rows), step):
            at = rows[k : k + step]
            members = owner[at[:, None] + np.arange(m)]
            a, b = members[:, ii], members[:, jj]
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            chunk.append(((lo * n + hi) * 4 + (keys[at] & 3)[:, None]).ravel())
            pending += a.size
            if pending >= _PAIR_CHUNK:
                flush()
                pending = 0
    flush()
    if not found:
        return []
    codes = np.concatenate([c for c, _ in found])
    counts = np.concatenate([k for _, k in found])
    order = np.argsort(codes, kind="stable")
    codes, counts = codes[order], counts[order]
    uniq, first = np.unique(codes, return_index=True)
    summed = np.add.reduceat(counts, first)
    pairs, inverse = np.unique(uniq // 4, return_inverse=True)
    shared = np.zeros((len(pairs), 3), dtype=np.int64)
    shared[inverse, uniq % 4 - 1] = summed
    own = np.array([anchor_counts(fp.anchors) for fp in fps], dtype=np.int64)
    i, j = pairs // n, pairs % n
    smaller = np.minimum(own[i], own[j])
    share = shared / np.maximum(smaller, 1)
    ok = (shared >= np.array(MIN_SHARED)) & (smaller > 0) & (share >= np.array(MIN_CONTAINMENT))
    keep = np.flatnonzero(ok.any(axis=1))
    best = np.where(ok, share, -1.0).max(axis=1)
    textual = ok[:, 0] | ok[:, 1]
    return [(int(i[k]), int(j[k]), AnchorMatch(float(best[k]), bool(textual[k]))) for k in keep]
