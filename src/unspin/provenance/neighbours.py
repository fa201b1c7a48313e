"""Embedding neighbours: candidates that a heavy spin or a changed skeleton cannot hide.

A spinner that also rewrites function words ("Although" → "In spite of the fact that"),
names and numbers leaves no shared word run and few stable anchors; what it keeps is
what the paragraph is about. Each article gets a vector, the mean of the shipped static
model's token vectors (:mod:`unspin.embed`) over its **content words** only (function
words, numbers and punctuation dropped): over all tokens, every news article points the
same way (ECB+ dev articles of *different* topics reach the cosine of the weakest
SpinBot pair 39 % of the time; over content words 12 %, and the LSH bits below are
balanced instead of 98 % one-sided).

The index is approximate and bounded (random-hyperplane LSH, "SimHash"):
:data:`NEIGHBOUR_TABLES` tables of :data:`NEIGHBOUR_BITS` sign bits each; a new
article reads, in each of its buckets, the :data:`NEIGHBOUR_BUCKET_READ` latest stored
members (news copies follow their originals closely; this bounds the work per add
however large the store), re-ranks that union by the cosine of the stored float16
vectors, drops articles dated more than :data:`NEIGHBOUR_WINDOW_DAYS` apart, and keeps
at most :data:`NEIGHBOUR_MAX` with a cosine of at least :data:`NEIGHBOUR_MIN_COSINE`
that the fingerprints and anchors did not already propose.

Neighbours only propose: ECB+ articles of one event are as close as a spin and its
original, and the word alignment (:func:`unspin.provenance.relate.relate`) decides.
The batch path (:func:`neighbour_pairs`) and the Spark job find the same pairs as the
store's lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from unspin.provenance.rewrite import sentence_embedder
from unspin.text import FUNCTION_WORDS

__all__ = [
    "NEIGHBOUR_MAX",
    "NEIGHBOUR_MIN_COSINE",
    "best_neighbours",
    "day_of",
    "neighbour_keys",
    "neighbour_pairs",
    "neighbour_vectors",
]

# LSH: this many tables of this many sign bits. At a cosine of 0.6 a pair agrees on a
# bit with probability 1 - acos(0.6)/pi = 0.70, on a 6-bit bucket 0.12, in one of 24
# tables 0.96 (cosine 0.7: 0.99).
NEIGHBOUR_TABLES = 24
NEIGHBOUR_BITS = 6
# Each bucket is read for its latest this many stored members (seq order), so a lookup
# reads at most NEIGHBOUR_TABLES x NEIGHBOUR_BUCKET_READ vectors whatever the store size.
NEIGHBOUR_BUCKET_READ = 32
# Kept per new article, best cosine first, beside the band and anchor candidates: each
# costs one alignment (10-30 ms).
NEIGHBOUR_MAX = 2
# The cosine (content-word vectors) a neighbour needs. The SpinBot dev pairs: 0.57 at
# least, 0.68 for 95 % of them; ECB+ dev articles of different topics reach 0.6 for
# 7 % of pairs (bench/real_copies.py).
NEIGHBOUR_MIN_COSINE = 0.6
# Two dated articles further apart than this are no neighbours (a copy runs within
# weeks of its source; an anniversary piece a year later is a new story).
NEIGHBOUR_WINDOW_DAYS = 30
# Texts whose word vectors are gathered at once by :func:`neighbour_vectors`.
_ENCODE_CHUNK = 256
# The hyperplanes are fixed: the same text gets the same keys in every process.
_SEED = 20150303
_CONTENT = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _planes(dim: int) -> npt.NDArray[np.float32]:
    rng = np.random.default_rng(_SEED)
    return rng.standard_normal((dim, NEIGHBOUR_TABLES * NEIGHBOUR_BITS)).astype(np.float32)


def _content_words(text: str) -> list[str]:
    return [w for w in _CONTENT.findall(text) if w.lower() not in FUNCTION_WORDS]


def content_text(text: str) -> str:
    """``text``'s content words in order (function words, numbers, punctuation dropped)."""
    return " ".join(_content_words(text))


def neighbour_vectors(texts: Sequence[str]) -> npt.NDArray[np.float16]:
    """The content-word vectors of ``texts``, unit length, stored as float16 (a zero
    row for a text without content words).

    The mean of the static model's WordPiece vectors over the content words, as
    ``StaticEmbedder.encode`` of the content words would give (the model's
    pre-tokenizer splits on spaces first, so a text's pieces are its words' pieces),
    but each distinct word is tokenised once per process (:class:`_WordVectors`).
    """
    words = _word_vectors()
    if len(words) >= _WordVectors.MAX_WORDS:  # a long-running process reading the web
        words.clear()
    out = np.zeros((len(texts), words.dim), dtype=np.float32)
    for start in range(0, len(texts), _ENCODE_CHUNK):  # bounded gather of word rows
        chunk = texts[start : start + _ENCODE_CHUNK]
        ids: list[int] = []
        lengths = np.zeros(len(chunk), dtype=np.int64)
        for k, text in enumerate(chunk):
            found = [words.id(w) for w in _content_words(text)]
            ids.extend(found)
            lengths[k] = len(found)
        live = lengths > 0
        if not live.any():
            continue
        flat = np.asarray(ids, dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(lengths[live])[:-1]))
        sums = np.add.reduceat(words.sums()[flat], offsets, axis=0)
        pieces = np.add.reduceat(words.pieces()[flat], offsets)
        rows = np.flatnonzero(live) + start
        nonzero = pieces > 0
        out[rows[nonzero]] = sums[nonzero] / pieces[nonzero, None]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out.astype(np.float16)


class _WordVectors:
    """Each distinct word's summed WordPiece vector and piece count, computed once."""

    # The table is emptied, between batches, past this many words.
    MAX_WORDS = 500_000

    def __init__(self) -> None:
        self.model = sentence_embedder()
        self.dim = self.model.dim
        self.clear()

    def __len__(self) -> int:
        return len(self._pieces)

    def clear(self) -> None:
        self._ids: dict[str, int] = {}
        self._sums: list[npt.NDArray[np.float32]] = []
        self._pieces: list[int] = []
        self._sum_array = np.zeros((0, self.dim), dtype=np.float32)
        self._piece_array = np.zeros(0, dtype=np.float32)

    def id(self, word: str) -> int:
        key = word.lower()
        found = self._ids.get(key)
        if found is None:
            pieces = self.model.token_ids(key)
            vec = self.model.embeddings[pieces].sum(axis=0) if len(pieces) else None
            found = self._ids[key] = len(self._pieces)
            self._sums.append(vec if vec is not None else np.zeros(self.dim, np.float32))
            self._pieces.append(len(pieces))
        return found

    def sums(self) -> npt.NDArray[np.float32]:
        if len(self._sum_array) != len(self._sums):
            self._sum_array = np.asarray(self._sums, dtype=np.float32).reshape(-1, self.dim)
        return self._sum_array

    def pieces(self) -> npt.NDArray[np.float32]:
        if len(self._piece_array) != len(self._pieces):
            self._piece_array = np.asarray(self._pieces, dtype=np.float32)
        return self._piece_array


@lru_cache(maxsize=1)
def _word_vectors() -> _WordVectors:
    return _WordVectors()


def neighbour_keys(vectors: npt.NDArray[np.float16]) -> npt.NDArray[np.int64]:
    """``(n, NEIGHBOUR_TABLES)`` bucket keys ``table << NEIGHBOUR_BITS | code``; -1 for
    a zero vector (indexed nowhere)."""
    v = vectors.astype(np.float32)
    n = len(v)
    if not n:
        return np.empty((0, NEIGHBOUR_TABLES), dtype=np.int64)
    bits = (v @ _planes(v.shape[1]) > 0).reshape(n, NEIGHBOUR_TABLES, NEIGHBOUR_BITS)
    weights = (1 << np.arange(NEIGHBOUR_BITS, dtype=np.int64))[None, None, :]
    codes = (bits.astype(np.int64) * weights).sum(axis=2)
    tables = np.arange(NEIGHBOUR_TABLES, dtype=np.int64)[None, :]
    keys: npt.NDArray[np.int64] = np.asarray((tables << NEIGHBOUR_BITS) | codes, dtype=np.int64)
    keys[~v.any(axis=1)] = -1
    return keys


def day_of(published: datetime | None) -> int | None:
    """Days since 1970-01-01 (UTC) of a publication time, for the time window."""
    if published is None:
        return None
    return int(published.timestamp() // 86400)


def cosines(
    query: npt.NDArray[np.float16], others: npt.NDArray[np.float16]
) -> npt.NDArray[np.float64]:
    """Cosines of float16 unit vectors, rounded to 4 places (the same in every path)."""
    sims = np.einsum("ij,j->i", others.astype(np.float32), query.astype(np.float32))
    return np.asarray(np.round(sims.astype(np.float64), 4), dtype=np.float64)


def best_neighbours(
    query: npt.NDArray[np.float16],
    query_day: int | None,
    others: Sequence[int],
    vectors: npt.NDArray[np.float16],
    days: Sequence[int | None],
    exclude: set[int],
) -> list[tuple[int, float]]:
    """The :data:`NEIGHBOUR_MAX` best of ``others`` (with their ``vectors`` and
    ``days``): cosine at least :data:`NEIGHBOUR_MIN_COSINE`, within the time window,
    not in ``exclude``; best cosine first, ties to the smaller id."""
    if not len(others):
        return []
    sims = cosines(query, vectors)
    ranked = []
    for other, sim, day in zip(others, sims.tolist(), days, strict=True):
        if other in exclude or sim < NEIGHBOUR_MIN_COSINE:
            continue
        if (
            query_day is not None
            and day is not None
            and abs(day - query_day) > NEIGHBOUR_WINDOW_DAYS
        ):
            continue
        ranked.append((-sim, other))
    ranked.sort()
    return [(other, -neg) for neg, other in ranked[:NEIGHBOUR_MAX]]


def _tables_by_bucket(
    keys: npt.NDArray[np.int64],
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Per hash table, its bucket keys sorted and the rows holding them (absent keys,
    -1, left out); within a bucket the rows stay in index order."""
    idx = np.arange(len(keys), dtype=np.int64)
    for t in range(keys.shape[1] if len(keys) else 0):
        col = keys[:, t]
        live = col >= 0
        k, members = col[live], idx[live]
        order = np.argsort(k, kind="stable")
        yield k[order], members[order]


def bucket_predecessors(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, where ``i`` is among the :data:`NEIGHBOUR_BUCKET_READ`
    latest members before ``j`` of a bucket of ``j`` (rows in index order); repeats
    removed. What the store's lookup reads when the rows are added in order."""
    n = len(keys)
    found: list[npt.NDArray[np.int64]] = []
    for k, members in _tables_by_bucket(keys):
        for d in range(1, min(NEIGHBOUR_BUCKET_READ, len(k) - 1) + 1):
            same = k[d:] == k[:-d]
            if not same.any():
                break
            found.append(members[:-d][same] * n + members[d:][same])
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def _close_predecessors(
    vectors: npt.NDArray[np.float16],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The pairs of :func:`bucket_predecessors` with a cosine of at least
    :data:`NEIGHBOUR_MIN_COSINE`, and their cosines (rounded as :func:`cosines` does).

    Per bucket (members in index order), each block of :data:`NEIGHBOUR_BUCKET_READ`
    members is multiplied by itself and the block before: one small matrix product
    instead of gathering two vectors per pair.
    """
    keys = neighbour_keys(vectors)
    v = vectors.astype(np.float32)
    n, read = len(v), NEIGHBOUR_BUCKET_READ
    codes: list[npt.NDArray[np.int64]] = []
    sims: list[npt.NDArray[np.float64]] = []
    for k, members in _tables_by_bucket(keys):
        edges = np.flatnonzero(np.diff(k)) + 1
        for lo, hi in zip(np.r_[0, edges], np.r_[edges, len(k)], strict=True):
            bucket = members[lo:hi]
            for start in range(0, len(bucket), read):
                rows = bucket[start : start + read]
                first = max(0, start - read)
                cols = bucket[first : start + len(rows)]
                if len(cols) < 2:
                    continue
                # einsum, not BLAS: threaded BLAS spends ms per tiny product on a busy machine
                gram = np.round(np.einsum("ij,kj->ik", v[rows], v[cols]).astype(np.float64), 4)
                p = np.arange(start, start + len(rows))[:, None]
                q = np.arange(first, first + len(cols))[None, :]
                ok = (q < p) & (q >= p - read) & (gram >= NEIGHBOUR_MIN_COSINE)
                r, c = np.nonzero(ok)
                codes.append(cols[c] * n + rows[r])
                sims.append(np.asarray(gram[r, c], dtype=np.float64))
    if not codes:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float64)
    all_codes, first_at = np.unique(np.concatenate(codes), return_index=True)
    all_sims = np.concatenate(sims)[first_at]
    return np.stack([all_codes // n, all_codes % n], axis=1), all_sims


def neighbour_pairs(
    vectors: npt.NDArray[np.float16],
    days: Sequence[int | None],
    exclude: set[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Neighbour candidate pairs ``(i, j)``, ``i < j``, of a batch in index order: for
    each ``j``, :func:`best_neighbours` among the bucket members read before it, as the
    store's lookup finds them; ``exclude`` holds the pairs already proposed.

    Vectorised: the cosines of the read pairs as small matrix products
    (:func:`_close_predecessors`), then one sort by ``(j, -cosine, i)`` keeps the first
    :data:`NEIGHBOUR_MAX` of each ``j``.
    """
    n = len(vectors)
    pairs, sims = _close_predecessors(vectors)
    if exclude:
        taken = np.fromiter((i * n + j for i, j in exclude), dtype=np.int64, count=len(exclude))
        fresh = ~np.isin(pairs[:, 0] * n + pairs[:, 1], taken)
        pairs, sims = pairs[fresh], sims[fresh]
    when = np.array([-(10**9) if d is None else d for d in days], dtype=np.int64)
    di, dj = when[pairs[:, 0]], when[pairs[:, 1]]
    dated = (di > -(10**9)) & (dj > -(10**9))
    inside = ~dated | (np.abs(di - dj) <= NEIGHBOUR_WINDOW_DAYS)
    pairs, sims = pairs[inside], sims[inside]
    order = np.lexsort((pairs[:, 0], -sims, pairs[:, 1]))
    pairs = pairs[order]
    first = np.ones(len(pairs), dtype=bool)
    later = pairs[:, 1]
    rank = np.zeros(len(pairs), dtype=np.int64)
    if len(pairs):
        first[1:] = later[1:] != later[:-1]
        starts = np.flatnonzero(first)
        rank = np.arange(len(pairs)) - np.repeat(starts, np.diff(np.append(starts, len(pairs))))
    top = pairs[rank < NEIGHBOUR_MAX]
    return sorted((int(i), int(j)) for i, j in top.tolist())
