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
from itertools import chain

import numpy as np
import numpy.typing as npt

from unspin.provenance.rewrite import sentence_embedder
from unspin.text import FUNCTION_WORDS
from unspin.workers import thread_map

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
    but each distinct word is tokenised once per process, and each distinct
    whitespace-separated chunk of text searched for its content words once
    (:class:`_WordVectors`).
    """
    words = _word_vectors()
    if len(words) >= _WordVectors.MAX_WORDS:  # a long-running process reading the web
        words.clear()
    words.forget_chunks()
    chunk_ids = words.chunks.__getitem__
    per_text = [list(map(chunk_ids, t.split())) for t in texts]
    lengths = np.fromiter((sum(map(len, p)) for p in per_text), np.int64, len(per_text))
    flat = np.fromiter(
        chain.from_iterable(chain.from_iterable(per_text)), np.int64, int(lengths.sum())
    )
    del per_text
    # Word by word: the k-th content word of every text that has one, added to its sum
    # (rows sorted longest first, so those still adding are a prefix): each text's sum
    # is its words' vectors added in text order, whatever else the batch holds.
    order = np.argsort(-lengths, kind="stable")
    by_len, first = lengths[order], (np.cumsum(lengths) - lengths)[order]
    sums, counts = words.sums(), words.pieces()
    total = np.zeros((len(texts), words.dim), dtype=np.float32)
    pieces = np.zeros(len(texts), dtype=np.float32)
    for k in range(int(by_len[0]) if len(by_len) else 0):
        live = int(np.searchsorted(-by_len, -k, side="left"))
        ids = flat[first[:live] + k]
        total[:live] += sums[ids]
        pieces[:live] += counts[ids]
    out = np.zeros_like(total)
    nonzero = pieces > 0
    out[order[nonzero]] = total[nonzero] / pieces[nonzero, None]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out.astype(np.float16)


class _WordVectors:
    """Each distinct word's summed WordPiece vector and piece count, computed once, and
    each whitespace-separated chunk's content words as ids into them (``chunks``: no
    content word spans whitespace, so a text's words are its chunks' words in order)."""

    # The table is emptied, between batches, past this many words ...
    MAX_WORDS = 500_000
    # ... and the chunks past this many (about 30 MiB).
    MAX_CHUNKS = 200_000

    def __init__(self) -> None:
        self.model = sentence_embedder()
        self.dim = self.model.dim
        self.clear()

    def __len__(self) -> int:
        return len(self._ids)

    def clear(self) -> None:
        self._ids: dict[str, int] = {}
        self._unfilled: list[str] = []  # words given an id whose vector is not summed yet
        self.chunks = _Chunks(self)
        self._sum_array = np.zeros((1024, self.dim), dtype=np.float32)
        self._piece_array = np.zeros(1024, dtype=np.float32)

    def forget_chunks(self) -> None:
        if len(self.chunks) > self.MAX_CHUNKS:
            self.chunks = _Chunks(self)

    def id(self, word: str) -> int:
        key = word.lower()
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = len(self._ids)
            if found == len(self._piece_array):
                self._grow()
            self._unfilled.append(key)
        return found

    def _fill(self) -> None:
        """Sum the WordPiece vectors of the words given an id since the last fill, all
        at once: one tokenizer call and one gather per piece position, instead of numpy
        calls for each word (about 30 us a word, 0.43 s of the 0.55 s of the 772 ECB+ dev
        articles' vectors in a new process). Each word's sum adds its pieces' vectors in
        order, as ``embeddings[pieces].sum(axis=0)`` does: the same floats."""
        words, self._unfilled = self._unfilled, []
        if not words:
            return
        tokenizer, skip = self.model.tokenizer, self.model.special_ids
        chunk_lists = [tokenizer.chunks(w) for w in words]
        hits = iter(tokenizer.chunk_ids(list(chain.from_iterable(chunk_lists))))
        ids: list[int] = []
        counts = np.zeros(len(words), dtype=np.int64)
        for k, chunks in enumerate(chunk_lists):
            before = len(ids)
            for _ in chunks:
                ids.extend(i for i in next(hits) if i not in skip)
            counts[k] = len(ids) - before
        rows = np.arange(len(self._ids) - len(words), len(self._ids))
        self._piece_array[rows] = counts
        if not ids:
            return
        # The k-th piece of every word that has one, added to its sum in turn (the first
        # assigned, not added to zero, as sum does): mostly one step, a word is one piece.
        flat = np.asarray(ids, dtype=np.int64)
        first = np.cumsum(counts) - counts
        embeddings, sums = self.model.embeddings, self._sum_array
        for k in range(int(counts.max())):
            has = counts > k
            piece = embeddings[flat[first[has] + k]]
            if k == 0:
                sums[rows[has]] = piece
            else:
                sums[rows[has]] += piece

    def _grow(self) -> None:
        n = len(self._piece_array)
        self._sum_array = np.concatenate((self._sum_array, np.zeros_like(self._sum_array)))
        self._piece_array = np.concatenate((self._piece_array, np.zeros(n, np.float32)))

    def sums(self) -> npt.NDArray[np.float32]:
        self._fill()
        return self._sum_array[: len(self._ids)]

    def pieces(self) -> npt.NDArray[np.float32]:
        self._fill()
        return self._piece_array[: len(self._ids)]


class _Chunks(dict[str, tuple[int, ...]]):
    """Whitespace-free chunk of text → the ids of its content words (memoised)."""

    def __init__(self, words: _WordVectors) -> None:
        super().__init__()
        self._words = words

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        ids = self[chunk] = tuple(map(self._words.id, _content_words(chunk)))
        return ids


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
    query: npt.NDArray[np.float16], others: npt.NDArray[np.float16] | npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    """Cosines of float16 unit vectors (``others`` may come already widened to float32,
    which is exact), rounded to 4 places (the same in every path)."""
    sims = np.einsum("ij,j->i", np.asarray(others, dtype=np.float32), query.astype(np.float32))
    return np.asarray(np.round(sims.astype(np.float64), 4), dtype=np.float64)


def best_neighbours(
    query: npt.NDArray[np.float16],
    query_day: int | None,
    others: npt.NDArray[np.int64],
    vectors: npt.NDArray[np.float16] | npt.NDArray[np.float32],
    days: npt.NDArray[np.float64],
    exclude: set[int],
) -> list[tuple[int, float]]:
    """The :data:`NEIGHBOUR_MAX` best of ``others`` (their ids, with their ``vectors``
    and ``days``, NaN where undated): cosine at least :data:`NEIGHBOUR_MIN_COSINE`,
    within the time window, not in ``exclude``; best cosine first, ties to the smaller
    id."""
    if not len(others):
        return []
    sims = cosines(query, vectors)
    ok = sims >= NEIGHBOUR_MIN_COSINE
    if query_day is not None:
        ok &= ~(np.abs(days - query_day) > NEIGHBOUR_WINDOW_DAYS)  # NaN: undated, kept
    at = np.flatnonzero(ok)
    if exclude and len(at):
        at = at[~np.isin(others[at], np.fromiter(exclude, np.int64, count=len(exclude)))]
    order = at[np.lexsort((others[at], -sims[at]))][:NEIGHBOUR_MAX]
    return [(int(others[k]), float(sims[k])) for k in order]


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


# Blocks of one hash table multiplied at once by :func:`_table_best` (bounds memory:
# 512 blocks of 32 rows against 64 columns of 384 floats are about 75 MiB).
_BLOCKS_AT_ONCE = 512
# The publication day of an undated article (never outside the time window).
_UNDATED = -(10**9)


def _table_best(
    k: npt.NDArray[np.int64],
    members: npt.NDArray[np.int64],
    v: npt.NDArray[np.float32],
    when: npt.NDArray[np.int64],
    taken: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """In one hash table (bucket keys ``k`` sorted, their ``members`` in index order),
    each article's best :data:`NEIGHBOUR_MAX` read predecessors: pair codes ``i * n +
    j`` and cosines, ties kept (so a few more).

    A predecessor is read when it is among the :data:`NEIGHBOUR_BUCKET_READ` members
    before ``j`` in its bucket; it counts when its cosine (rounded as :func:`cosines`
    rounds) reaches :data:`NEIGHBOUR_MIN_COSINE`, the two are within the time window
    and the pair is not in ``taken`` (sorted codes). Each block of ``read`` members is
    multiplied by itself and the block before (all blocks of the table in a few
    batched products): a ``(blocks, read, 2 * read)`` grid whose cell ``(b, r, c)``
    pairs the member at ``start_b + r`` with the one at ``start_b - read + c``.
    """
    n, m, read = len(v), len(k), NEIGHBOUR_BUCKET_READ
    codes: list[npt.NDArray[np.int64]] = []
    sims: list[npt.NDArray[np.float64]] = []
    edges = np.flatnonzero(np.diff(k)) + 1
    lo, hi = np.r_[0, edges], np.r_[edges, m]
    lo, hi = lo[hi - lo >= 2], hi[hi - lo >= 2]  # a lone member reads nothing
    if not len(lo):
        return np.empty(0, np.int64), np.empty(0, np.float64)
    blocks = (hi - lo + read - 1) // read
    first = np.repeat(np.cumsum(blocks) - blocks, blocks)
    b_lo, b_hi = np.repeat(lo, blocks), np.repeat(hi, blocks)
    b_start = b_lo + read * (np.arange(len(b_lo)) - first)
    # Taken pairs inside this table's read windows, as grid cells (block, row, column).
    pos = np.full(n, -1, dtype=np.int64)
    pos[members] = np.arange(m)
    pi, pj = pos[taken // n], pos[taken % n]
    inside = (pi >= 0) & (pj >= 0) & (pj - pi >= 1) & (pj - pi <= read)
    pi, pj = pi[inside], pj[inside]
    same = k[pi] == k[pj]
    pi, pj = pi[same], pj[same]
    t_block = np.searchsorted(b_start, pj, side="right") - 1
    t_row = pj - b_start[t_block]
    t_col = pi - b_start[t_block] + read
    offsets = np.arange(2 * read)[None, :] - read
    for c0 in range(0, len(b_start), _BLOCKS_AT_ONCE):
        start = b_start[c0 : c0 + _BLOCKS_AT_ONCE]
        p = start[:, None] + np.arange(read)[None, :]
        q = start[:, None] + offsets
        row_ok = p < b_hi[c0 : c0 + _BLOCKS_AT_ONCE, None]
        col_ok = q >= b_lo[c0 : c0 + _BLOCKS_AT_ONCE, None]
        rows = members[np.minimum(p, m - 1)]
        cols = members[np.clip(q, 0, m - 1)]
        # einsum, not BLAS: threaded BLAS spends ms per small product on a busy machine
        gram = np.round(np.einsum("bij,bkj->bik", v[rows], v[cols]).astype(np.float64), 4)
        back = p[:, :, None] - q[:, None, :]
        ok = row_ok[:, :, None] & col_ok[:, None, :] & (back >= 1) & (back <= read)
        ok &= gram >= NEIGHBOUR_MIN_COSINE
        di, dj = when[cols][:, None, :], when[rows][:, :, None]
        ok &= (di == _UNDATED) | (dj == _UNDATED) | (np.abs(di - dj) <= NEIGHBOUR_WINDOW_DAYS)
        here = (t_block >= c0) & (t_block < c0 + len(start))
        ok[t_block[here] - c0, t_row[here], t_col[here]] = False
        masked = np.where(ok, gram, -np.inf)
        if masked.shape[2] > NEIGHBOUR_MAX:
            floor = np.partition(masked, -NEIGHBOUR_MAX, axis=2)[:, :, -NEIGHBOUR_MAX]
            ok &= masked >= floor[:, :, None]
        b, r, c = np.nonzero(ok)
        codes.append(cols[b, c] * n + rows[b, r])
        sims.append(gram[b, r, c])
    return np.concatenate(codes), np.concatenate(sims)


def neighbour_pairs(
    vectors: npt.NDArray[np.float16],
    days: Sequence[int | None],
    taken: npt.NDArray[np.int64],
) -> list[tuple[int, int]]:
    """Neighbour candidate pairs ``(i, j)``, ``i < j``, of a batch in index order: for
    each ``j``, :func:`best_neighbours` among the bucket members read before it, as the
    store's lookup finds them; ``taken`` holds the pairs already proposed, as sorted
    codes ``i * len(vectors) + j``.

    Vectorised: per hash table, the cosines of the read pairs as batched block products
    and each ``j``'s best :data:`NEIGHBOUR_MAX` there (:func:`_table_best`; an article
    among ``j``'s best overall is among its best in every table that reads it), then one
    sort by ``(j, -cosine, i)`` over the union keeps the first :data:`NEIGHBOUR_MAX`.
    """
    n = len(vectors)
    when = np.array([_UNDATED if d is None else d for d in days], dtype=np.int64)
    v = vectors.astype(np.float32)
    # The tables on threads (their block products and selections release the GIL):
    # 1.75 -> 1.03 s for the 24 tables of 20,000 articles on two cores.
    found = thread_map(
        lambda table: _table_best(table[0], table[1], v, when, taken),
        list(_tables_by_bucket(neighbour_keys(vectors))),
    )
    if not found:
        return []
    codes, first = np.unique(np.concatenate([c for c, _ in found]), return_index=True)
    sims = np.concatenate([s for _, s in found])[first]
    i, j = codes // n, codes % n
    order = np.lexsort((i, -sims, j))
    i, j = i[order], j[order]
    rank = np.zeros(len(j), dtype=np.int64)
    if len(j):
        starts = np.flatnonzero(np.r_[True, j[1:] != j[:-1]])
        rank = np.arange(len(j)) - np.repeat(starts, np.diff(np.r_[starts, len(j)]))
    top = rank < NEIGHBOUR_MAX
    return sorted(zip(i[top].tolist(), j[top].tolist(), strict=True))
