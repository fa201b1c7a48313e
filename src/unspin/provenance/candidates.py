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
from typing import Any

import numpy as np
import numpy.typing as npt

from unspin.provenance.fingerprint import Fingerprint, anchor_kind
from unspin.workers import thread_map

__all__ = [
    "ANCHOR_MAX_DF",
    "AnchorMatch",
    "anchor_counts",
    "anchor_pair_codes",
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
# Pair codes built per step by :func:`_bucket_pairs` (bounds its temporaries: about
# 32 MiB of int64 each).
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


def _bucket_pairs(
    owner: npt.NDArray[np.signedinteger[Any]],
    first: npt.NDArray[np.intp],
    size: npt.NDArray[np.intp],
    n: int,
) -> npt.NDArray[np.signedinteger[Any]]:
    """Every pair of members of the buckets ``owner[first:first + size]`` as codes
    ``i * n + j``, ``i < j`` (members sorted, distinct), with repeats, in ``owner``'s
    dtype.

    Buckets of one size at a time: their members as rows of a matrix, every pair of a
    row from one set of upper-triangle indices (no Python loop over the buckets).
    """
    out = np.empty(int((size * (size - 1) // 2).sum()), dtype=owner.dtype)
    at = 0
    for m in np.unique(size).tolist():
        ii, jj = np.triu_indices(m, k=1)
        rows = first[size == m]
        step = max(1, _PAIR_CHUNK // len(ii))
        for k in range(0, len(rows), step):
            members = owner[rows[k : k + step, None] + np.arange(m)]
            block = members[:, ii] * n + members[:, jj]
            out[at : at + block.size] = block.ravel()
            at += block.size
    return out


def anchor_pairs(fps: Sequence[Fingerprint], max_bucket: int) -> list[tuple[int, int, AnchorMatch]]:
    """Every candidate pair among ``fps`` by shared anchors: ``(i, j, match)``, i < j
    (:func:`anchor_pair_codes` as Python objects)."""
    n = len(fps)
    code, share, text = anchor_pair_codes(fps, max_bucket)
    return [
        (i, j, AnchorMatch(best, t))
        for i, j, best, t in zip(
            (code // n).tolist(), (code % n).tolist(), share.tolist(), text.tolist(), strict=True
        )
    ]


def anchor_pair_codes(
    fps: Sequence[Fingerprint], max_bucket: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Every candidate pair among ``fps`` by shared anchors, as arrays: each pair's code
    ``i * len(fps) + j`` (i < j; ascending), its :class:`AnchorMatch` score and whether
    it shares text (word or stable anchors), not only names and numbers.

    One sort over all anchors of the batch. An anchor pairs each holder with the holders
    before it only while at most :data:`ANCHOR_MAX_DF` (or ``max_bucket``) came before,
    as the store's lookup reads it for each new article in turn (it skips an anchor held
    by more than that many stored articles): a bucket's pairs are those among its
    ``ANCHOR_MAX_DF + 1`` earliest members. Each kind's thresholds of
    :func:`anchor_score` depend on that kind's counts alone, so the kinds are counted one
    after the other: the pairs of that kind's buckets sorted once, the pairs sharing
    enough of it kept, and the few kept of the three kinds merged.
    """
    n = len(fps)
    none = (np.empty(0, np.int64), np.empty(0, np.float64), np.empty(0, bool))
    if n < 2:
        return none
    keys = np.concatenate([np.empty(0, np.int64), *(fp.anchors for fp in fps)])
    owner = np.repeat(np.arange(n, dtype=np.int64), [len(fp.anchors) for fp in fps])
    own = np.bincount(owner * 3 + anchor_kind(keys) - 1, minlength=3 * n).reshape(n, 3)
    keys, owner, starts, ends = buckets(keys, owner)
    # Pair codes in 32 bits when they fit (sorting them is the cost: twice as fast).
    owner = owner.astype(np.int32) if n * n <= np.iinfo(np.int32).max else owner
    # Each bucket's members are in batch order (a stable sort of keys owned in order):
    # its earliest ANCHOR_MAX_DF + 1 are those that met it at most ANCHOR_MAX_DF times.
    sizes = np.minimum(ends - starts, min(ANCHOR_MAX_DF, max_bucket) + 1)
    usable = sizes >= 2
    kinds = anchor_kind(keys[starts])

    def kind_pairs(
        k: int,
    ) -> tuple[npt.NDArray[np.signedinteger[Any]], npt.NDArray[np.float64]]:
        """The pairs sharing enough anchors of kind ``k`` and their shares."""
        pairs = _bucket_pairs(
            owner, starts[usable & (kinds == k + 1)], sizes[usable & (kinds == k + 1)], n
        )
        pairs.sort()
        run = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]]) if len(pairs) else pairs
        shared = np.diff(np.r_[run, len(pairs)])
        pairs = pairs[run]
        enough = shared >= MIN_SHARED[k]
        pairs, shared = pairs[enough], shared[enough]
        smaller = np.minimum(own[pairs // n, k], own[pairs % n, k])
        share = shared / np.maximum(smaller, 1)
        ok = (smaller > 0) & (share >= MIN_CONTAINMENT[k])
        return pairs[ok], share[ok]

    # The three kinds on threads (the sorts release the GIL).
    per_kind = thread_map(kind_pairs, range(3))
    codes = [c for c, _ in per_kind]
    shares = [s for _, s in per_kind]
    textual = [np.full(len(c), k < 2) for k, (c, _) in enumerate(per_kind)]
    if not sum(map(len, codes)):
        return none
    code = np.concatenate(codes).astype(np.int64)
    share, text = np.concatenate(shares), np.concatenate(textual)
    order = np.lexsort((-share, code))  # each pair's best kind first
    code, share, text = code[order], share[order], text[order]
    run = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    text = np.logical_or.reduceat(text, run)
    return code[run], share[run], text
