"""The provenance index: find the articles that copy each other.

Three steps, each cheap enough to run for every added article:

1. **index**: each article's LSH band keys and anchors
   (:mod:`unspin.provenance.fingerprint`) go into the ``provenance_bands`` and
   ``provenance_anchors`` tables, so the index grows with the store and is never
   rebuilt;
2. **candidates**: the stored articles sharing the most band keys with the new one (at
   most :data:`MAX_CANDIDATES`), those sharing the most anchors by estimated
   containment (at most :data:`MAX_ANCHOR_CANDIDATES`,
   :mod:`unspin.provenance.candidates`), and its nearest embedding neighbours (at most
   :data:`unspin.provenance.neighbours.NEIGHBOUR_MAX`): never all pairs;
3. **verify** (:func:`verify`): each candidate sharing text is aligned word by word and
   classified (:func:`unspin.provenance.relate.relate`), one sharing only names and
   numbers is checked as a rewrite; every relation but ``unrelated`` is stored.

:func:`find_copies` and :func:`rebuild` do the same over a batch held in memory (one
numpy sort over the band keys, one over the anchors, :func:`batch_candidates`); the
Spark job finds the same candidates as joins.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from unspin.model import COPY_KINDS, Article, Relation, StageReport
from unspin.provenance.candidates import (
    ANCHOR_MAX_DF,
    MIN_SHARED,
    AnchorMatch,
    anchor_counts,
    anchor_pair_codes,
    anchor_score,
    buckets,
)
from unspin.provenance.fingerprint import (
    STABLE,
    WORD,
    Fingerprint,
    TokenTable,
    fingerprints,
)
from unspin.provenance.neighbours import (
    NEIGHBOUR_BUCKET_READ,
    best_neighbours,
    day_of,
    neighbour_keys,
    neighbour_pairs,
    neighbour_vectors,
)
from unspin.provenance.relate import relate, relate_rewrite
from unspin.provenance.rewrite import sentence_embedder
from unspin.provenance.wording import bigram_model
from unspin.store.relations import AnchorBatch, StoredAnchors
from unspin.workers import MIN_PARALLEL_ITEMS, Background, Stream, Workers

if TYPE_CHECKING:
    from unspin.store import Store

__all__ = [
    "Via",
    "batch_candidates",
    "candidate_pairs",
    "find_copies",
    "rebuild",
    "update",
    "verify",
]

log = logging.getLogger(__name__)

# How a candidate pair was proposed, which says how it is verified: ``text`` (shared
# bands, word or stable anchors) is aligned word by word; ``names`` (only names and
# numbers shared) is checked as a rewrite; ``meaning`` (only an embedding neighbour) is
# aligned without the costly rewrite check and kept only as a spun copy
# (:data:`MEANING_KINDS`): the fingerprints already judged how much verbatim text the
# pair shares (a follow-up reusing its outlet's background sentence is not a copy they
# missed), and a rewrite keeps the names and numbers the name anchors find; a heavy
# spin is what they cannot see.
Via = Literal["text", "names", "meaning"]
MEANING_KINDS = frozenset({"spun_copy"})

# Articles shorter than this many words are indexed but never related: too little text
# to tell a copy from a coincidence (a headline, a one-line brief).
MIN_WORDS = 20
# At most this many candidates are verified per new article, most shared bands first:
# room for a story copied 25 times while bounding the add latency (one alignment is
# ~10-30 ms; bench/provenance_speed.py: 14 ms median per add on 50k articles).
MAX_CANDIDATES = 25
# ... and at most this many more by shared anchors, best estimated containment first. A
# corpus whose articles share sentences with dozens of others (bench/real_copies.py
# --background: mixes of Wikinews sentences) otherwise verifies 25 per article; the
# ECB+ and SpinBot dev figures are the same at 10 (bench/real_copies.py).
MAX_ANCHOR_CANDIDATES = 10
# In a batch, a band bucket holding more articles than this is a boilerplate collision
# (a shared footer), not a copy family; its pairs are skipped (bench/provenance_speed.py).
MAX_BUCKET = 200
# Articles fingerprinted together by :func:`update`: the workers compute the next batch's
# fingerprints and vectors while the writer looks up and indexes this one.
UPDATE_BATCH = 256
# Articles indexed per transaction by :func:`update` (whole batches of UPDATE_BATCH). The
# index is three b-trees of random keys (anchors, bands, anchor counts) and each commit
# writes every page a posting touched: one commit per article spent 5 ms of its 13 ms
# (772 ECB+ articles into 1,000); 256 per commit wrote 412 MB of pages for the 772 ECB+
# articles into 100,000 (108,675 WAL frames, most of them pages the next commit dirtied
# again), 1,024 per commit 236 MB, and the add's fsyncs wait for every one of them
# (bench/add_speed.py; RESULTS "Add speed", sixth round). A killed run loses at most one
# transaction, which the next run redoes (provenance_indexed is in the same commit).
COMMIT_BATCH = 1024
# Articles read and fingerprinted together by :func:`rebuild` (one vectorised batch).
_REBUILD_CHUNK = 1000


def _too_short(article: Article) -> bool:
    return article.n_words < MIN_WORDS


def update(store: Store, ids: Sequence[str], workers: Workers | None = None) -> StageReport:
    """The stage's entry point: index ``ids`` (those not indexed yet) and relate each to
    the stored articles.

    Articles are handled in the order given, each checked against everything indexed
    before it, so copies within one batch are found too. Per batch, the candidates are
    looked up and the article indexed one after the other (each sees the ones before);
    then the candidate pairs are verified, on ``workers`` when given (the expensive,
    independent part), and the relations written in order: the same relations whatever
    the number of workers.

    Returns:
        Counts: ``indexed`` articles, ``candidates`` verified, and relations by kind.
    """
    workers = workers or Workers(1)
    todo = store.unindexed_ids(ids)
    if workers.jobs > 1 and len(todo) >= MIN_PARALLEL_ITEMS:
        warm_tables()  # before the workers fork, so they share the tables, not reload them
    seqs = store.article_seqs(todo)
    counts: dict[str, int] = defaultdict(int)
    lookup = NeighbourLookup(store)
    batches = [todo[k : k + UPDATE_BATCH] for k in range(0, len(todo), UPDATE_BATCH)]
    per_commit = max(1, COMMIT_BATCH // UPDATE_BATCH)
    ahead = _IndexInputs(store, workers, batches)
    for first in range(0, len(batches), per_commit):
        numbers = range(first, min(first + per_commit, len(batches)))
        with store.transaction():
            # Each article's candidates go to the workers as soon as they are known, so
            # they verify the first articles while this process indexes the next ones.
            pairs = workers.stream(verify, expected=sum(len(batches[n]) for n in numbers))
            anchors = AnchorBatch()  # written at the end of the transaction, in key order
            for n in numbers:
                _index_batch(store, lookup, ahead.batch(n), seqs, anchors, pairs, counts)
            store.put_anchor_batch(anchors)
            for relations in pairs.results():
                store.put_relations(relations)
                for r in relations:
                    counts[r.kind] += 1
    store.settle_recent_index()
    return StageReport("provenance", dict(counts))


def _index_batch(
    store: Store,
    lookup: NeighbourLookup,
    inputs: tuple[list[Article], list[Article], list[Fingerprint], npt.NDArray[np.float16]],
    seqs: dict[str, int],
    anchors: AnchorBatch,
    pairs: Stream[Sequence[tuple[Article, Article, Via]], list[Relation]],
    counts: dict[str, int],
) -> None:
    """Look up and index one batch of :func:`update`, article after article, inside its
    transaction: each article's candidates go to ``pairs``, its anchors to ``anchors``."""
    chunk, usable, fp_list, vectors = inputs
    fps = dict(zip((a.id for a in usable), fp_list, strict=True))
    nkeys = neighbour_keys(vectors)
    near = {a.id: (vectors[k], nkeys[k]) for k, a in enumerate(usable)}
    # The written anchor index does not change before the transaction ends (the batch's
    # anchors wait in ``anchors``): read once for every key of the batch.
    stored = store.stored_anchors(
        (k for fp in fp_list for k in fp.anchors.tolist()), max_df=ANCHOR_MAX_DF
    )
    for article in chunk:
        seq = seqs[article.id]
        counts["indexed"] += 1
        if article.id not in fps:
            store.put_bands(seq, [])
            continue
        vec, keys = near[article.id]
        candidates, common = _candidates(
            store, lookup, article, fps[article.id], seq, vec, keys, anchors, stored
        )
        pairs.put(candidates)
        store.put_bands(seq, fps[article.id].index_keys.tolist())
        anchors.add(seq, article.id, fps[article.id].anchors.tolist(), common)
        lookup.put(seq, article.id, day_of(article.published), vec, keys.tolist())
        counts["candidates"] += len(candidates)


# Texts per item of the index inputs handed to the workers: fingerprints and vectors are
# vectorised over the texts of one call.
_INPUTS_PER_ITEM = 16
# The token table _index_inputs keeps between calls in one process, started afresh past
# this many tokens (a long-running process reading the web meets ever new ones).
_WORKER_TABLE_TOKENS = 500_000
_worker_table: TokenTable | None = None


_Inputs = tuple[list[Fingerprint], npt.NDArray[np.float16]]


def _index_inputs(texts: Sequence[str]) -> _Inputs:
    """The fingerprints and neighbour vectors of ``texts`` (one token table per process,
    kept between calls). Each text's are the same whatever the batch holds."""
    global _worker_table
    if _worker_table is None or len(_worker_table) > _WORKER_TABLE_TOKENS:
        _worker_table = TokenTable()
    return fingerprints(texts, _worker_table), neighbour_vectors(texts)


# Texts per worker item of batch_inputs: a quarter of a rebuild's chunk, so both workers
# are busy and each fingerprints enough texts at once to amortise numpy's per-call cost.
_BATCH_INPUTS_ITEM = _REBUILD_CHUNK // 4


def batch_inputs(
    texts: Sequence[str], workers: Workers | None = None
) -> tuple[list[Fingerprint], npt.NDArray[np.float16]]:
    """The fingerprints and neighbour vectors of a batch of ``texts``, computed on
    ``workers`` (a few hundred texts an item) when given more than one: the same values
    as one process computes (each text's are the same whatever the batch holds)."""
    workers = workers or Workers(1)
    if workers.jobs <= 1 or len(texts) < 2 * _BATCH_INPUTS_ITEM:
        return _index_inputs(texts)
    items = [texts[k : k + _BATCH_INPUTS_ITEM] for k in range(0, len(texts), _BATCH_INPUTS_ITEM)]
    return _joined(workers.map(_index_inputs, items, min_items=2, chunk=1))


def _joined(parts: Sequence[_Inputs]) -> _Inputs:
    """The fingerprints and neighbour vectors of consecutive parts of a batch, as one."""
    dim = sentence_embedder().dim
    vectors = np.concatenate([np.empty((0, dim), np.float16), *(v for _, v in parts)])
    return [fp for part, _ in parts for fp in part], vectors


class _IndexInputs:
    """Each batch of :func:`update`: its articles, those long enough to index, their
    fingerprints and neighbour vectors. With workers, the next batch's are computed on
    them, sixteen texts at a time (background work ahead of all other), while the writer
    looks up and indexes this one; alone, the whole batch here when asked."""

    def __init__(self, store: Store, workers: Workers, batches: Sequence[Sequence[str]]) -> None:
        self.store = store
        self.workers = workers
        self.batches = batches
        self._next: (
            tuple[int, list[Article], list[Article], Background[list[str], _Inputs]] | None
        ) = None

    def _start(self, n: int) -> None:
        chunk = self.store.get_articles(self.batches[n])
        usable = [a for a in chunk if not _too_short(a)]
        texts = [a.text for a in usable]
        step = _INPUTS_PER_ITEM if self.workers.jobs > 1 else max(1, len(texts))
        items = [texts[k : k + step] for k in range(0, len(texts), step)]
        work = self.workers.background(_index_inputs, items, first=True, min_items=2)
        self._next = (n, chunk, usable, work)

    def batch(
        self, n: int
    ) -> tuple[list[Article], list[Article], list[Fingerprint], npt.NDArray[np.float16]]:
        """Batch ``n`` (asked in order): articles, usable ones, fingerprints, vectors."""
        if self._next is None or self._next[0] != n:
            self._start(n)
        assert self._next is not None
        _, chunk, usable, work = self._next
        parts = self.workers.collect(work)
        if n + 1 < len(self.batches):
            self._start(n + 1)
        fps, vectors = _joined(parts)
        return chunk, usable, fps, vectors


def warm_tables() -> None:
    """Load the read-only tables verification reads (lexicon, bigram model, embedding
    model): worker processes forked afterwards share their pages instead of each loading
    its own copy."""
    bigram_model()
    sentence_embedder()


def _candidates(
    store: Store,
    lookup: NeighbourLookup,
    article: Article,
    fp: Fingerprint,
    seq: int,
    vector: npt.NDArray[np.float16],
    keys: npt.NDArray[np.int64],
    pending: AnchorBatch | None = None,
    stored: StoredAnchors | None = None,
) -> tuple[list[tuple[Article, Article, Via]], frozenset[int]]:
    """The candidate pairs ``(indexed, new, via)`` of a new article that its
    fingerprint and its embedding neighbours point at, and its anchors too common to
    index (``pending``: anchors of the batch not written yet; ``stored``: the written
    anchors, read for the batch)."""
    found = [
        i
        for i, _ in store.band_candidates(fp.index_keys.tolist(), exclude=seq, limit=MAX_CANDIDATES)
    ]
    textual = set(found)
    anchored, common = _anchor_candidates(
        store, fp, seq, exclude=textual, pending=pending, stored=stored
    )
    for other_id, match in anchored:
        found.append(other_id)
        if match.textual:
            textual.add(other_id)
    near = set(_neighbour_candidates(lookup, article, seq, vector, keys, set(found)))
    found.extend(sorted(near))
    others = [o for o in store.get_articles(found) if not _too_short(o)]
    return [(o, article, _via(o.id, textual, near)) for o in others], common


def _via(other_id: str, textual: set[str], near: set[str]) -> Via:
    if other_id in textual:
        return "text"
    return "meaning" if other_id in near else "names"


def _anchor_candidates(
    store: Store,
    fp: Fingerprint,
    seq: int,
    exclude: set[str],
    pending: AnchorBatch | None = None,
    stored: StoredAnchors | None = None,
) -> tuple[list[tuple[str, AnchorMatch]], frozenset[int]]:
    """Stored articles sharing enough anchors with ``fp``, best estimated containment
    first, and the anchors of ``fp`` too common to look up."""
    own = anchor_counts(fp.anchors)
    scored = []
    hits, common = store.anchor_candidates(
        fp.anchors.tolist(),
        exclude=seq,
        max_df=ANCHOR_MAX_DF,
        min_shared=MIN_SHARED,
        pending=pending,
        stored=stored,
    )
    for hit in hits:
        match = anchor_score(hit.shared, own, hit.own)
        if match is not None and hit.article_id not in exclude:
            scored.append((-match.score, hit.article_id, match))
    scored.sort(key=lambda t: (t[0], t[1]))
    top = scored[:MAX_ANCHOR_CANDIDATES]
    return [(article_id, match) for _, article_id, match in top], common


class NeighbourLookup:
    """The store's neighbour buckets, read through a cache that lives for one
    :func:`update`: each bucket's latest members and each member's vector are read from
    the store once, then kept current as the update indexes its articles (it is the
    store's only writer meanwhile). A batch's articles fall into the same buckets (24
    tables of 64) and read the same latest members, so most lookups of a large add
    touch no table; the answers are those of the store's tables.
    """

    def __init__(self, store: Store, per_bucket: int = NEIGHBOUR_BUCKET_READ) -> None:
        self.store = store
        self.per_bucket = per_bucket
        # key -> the latest per_bucket + 1 members, latest first (one more than a lookup
        # reads: the querying article itself is left out).
        self._members: dict[int, list[int]] = {}
        # Each article read or indexed: its row in the float32 matrix of vectors (float16
        # as stored, widened once: exact), by seq (-1: not read), its id and its day
        # (NaN: undated).
        self._row_of = np.full(0, -1, dtype=np.int64)
        self._seq_of: dict[str, int] = {}
        self._ids: list[str] = []
        self._days = np.zeros(0, dtype=np.float64)
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    def _bucket(self, key: int) -> list[int]:
        members = self._members.get(key)
        if members is None:
            members = self.store.neighbour_bucket(key, limit=self.per_bucket + 1)
            self._members[key] = members
        return members

    def _rows(self, seqs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        inside = seqs < len(self._row_of)
        rows = np.full(len(seqs), -1, dtype=np.int64)
        rows[inside] = self._row_of[seqs[inside]]
        return rows

    def _remember(
        self, seq: int, article_id: str, day: int | None, vector: npt.NDArray[Any]
    ) -> None:
        n = len(self._ids)
        if n == len(self._matrix):
            size = max(1024, 2 * n)
            grown = np.zeros((size, len(vector)), dtype=np.float32)
            if n:
                grown[:n] = self._matrix[:n]
            self._matrix = grown
            self._days = np.resize(self._days, size)
        if seq >= len(self._row_of):
            row_of = np.full(max(2 * len(self._row_of), seq + 1, 1024), -1, dtype=np.int64)
            row_of[: len(self._row_of)] = self._row_of
            self._row_of = row_of
        self._matrix[n] = vector
        self._days[n] = np.nan if day is None else day
        self._row_of[seq] = n
        self._seq_of[article_id] = seq
        self._ids.append(article_id)

    def read(
        self, keys: Sequence[int], *, exclude: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The latest ``per_bucket`` indexed articles of each bucket in ``keys`` (below
        0: none), other than ``exclude``: their seqs, in order, and their rows here
        (:attr:`vectors`, :attr:`days`, :meth:`id_of`)."""
        found: list[int] = []
        for key in keys:
            if key >= 0:
                found.extend([s for s in self._bucket(key) if s != exclude][: self.per_bucket])
        seqs = np.unique(np.array(found, dtype=np.int64))
        missing = seqs[self._rows(seqs) < 0]
        if len(missing):
            for seq, article_id, day, vec in self.store.neighbour_rows(missing.tolist()):
                self._remember(seq, article_id, day, np.frombuffer(vec, dtype=np.float16))
        rows = self._rows(seqs)
        kept = rows >= 0
        return seqs[kept], rows[kept]

    @property
    def vectors(self) -> npt.NDArray[np.float32]:
        return self._matrix

    @property
    def days(self) -> npt.NDArray[np.float64]:
        return self._days

    def id_of(self, row: int) -> str:
        return self._ids[row]

    def seq_of(self, article_id: str) -> int | None:
        """The seq of an article read or indexed here, else None."""
        return self._seq_of.get(article_id)

    def put(
        self,
        seq: int,
        article_id: str,
        day: int | None,
        vector: npt.NDArray[np.float16],
        keys: Sequence[int],
    ) -> None:
        """Index an article's vector and bucket keys in the store and in the cache."""
        self.store.put_neighbours([(seq, day, vector.tobytes(), keys)])
        if seq >= len(self._row_of) or self._row_of[seq] < 0:
            self._remember(seq, article_id, day, vector)
        for key in keys:
            members = self._members.get(key) if key >= 0 else None
            if members is None or seq in members:
                continue
            members.append(seq)
            members.sort(reverse=True)
            del members[self.per_bucket + 1 :]


def _neighbour_candidates(
    lookup: NeighbourLookup,
    article: Article,
    seq: int,
    vector: npt.NDArray[np.float16],
    keys: npt.NDArray[np.int64],
    exclude: set[str],
) -> list[str]:
    """Stored articles nearest to ``vector`` among its buckets' latest members (see
    :mod:`unspin.provenance.neighbours`), not in ``exclude``."""
    seqs, rows = lookup.read(keys.tolist(), exclude=seq)
    if not len(seqs):
        return []
    best = best_neighbours(
        vector,
        day_of(article.published),
        seqs,
        lookup.vectors[rows],
        lookup.days[rows],
        exclude={s for s in map(lookup.seq_of, exclude) if s is not None},
    )
    row_of = dict(zip(seqs.tolist(), rows.tolist(), strict=True))
    return [lookup.id_of(row_of[s]) for s, _ in best]


def verify(pairs: Sequence[tuple[Article, Article, Via]]) -> list[Relation]:
    """Relations of candidate pairs ``(earlier, later, via)``, ``unrelated`` left out.

    A candidate sharing text (word runs or their skeleton) is aligned word by word; one
    sharing only names and numbers is checked as a rewrite alone; an embedding
    neighbour is aligned and kept only as a spun copy (see :data:`Via`). Verifying the
    pairs of one later article together is faster (the aligner keeps its index of the
    later text's words, :func:`unspin.provenance.align.align`), as :func:`update`
    hands them over.
    """
    return [rel for rel in verify_each(pairs) if rel is not None]


def verify_each(pairs: Sequence[tuple[Article, Article, Via]]) -> list[Relation | None]:
    """:func:`verify` pair by pair: each pair's relation, or None where it keeps none."""
    out: list[Relation | None] = []
    for a, b, via in pairs:
        if via == "names":
            rel: Relation | None = relate_rewrite(a, b)
        else:
            rel = relate(a, b, rewrites=via == "text")
        if rel is not None and (
            rel.kind == "unrelated" or (via == "meaning" and rel.kind not in MEANING_KINDS)
        ):
            rel = None
        out.append(rel)
    return out


def by_later(pairs: Sequence[tuple[int, int, Via]]) -> list[int]:
    """The positions of candidate ``pairs`` ``(earlier, later, via)`` ordered by the later
    article, then the earlier: the order in which they verify fastest (:func:`verify`)."""
    if not pairs:
        return []
    ij = np.asarray([(i, j) for i, j, _ in pairs], dtype=np.int64)
    order: list[int] = np.lexsort((ij[:, 0], ij[:, 1])).tolist()
    return order


def rebuild(store: Store, workers: Workers | None = None) -> dict[str, int]:
    """Drop the provenance index and relations and rebuild both from every article
    (fingerprints, neighbour vectors and the verification of candidate pairs on
    ``workers`` when given).

    The batch path: articles are fingerprinted a thousand at a time (vectorised, see
    :func:`unspin.provenance.fingerprint.fingerprints`; :func:`batch_inputs`), one sort
    finds the colliding pairs (:func:`candidate_pairs`), each pair is verified, and the
    band keys are written sorted in one transaction. Finds the same relations as adding
    the articles one by one (the earlier-stored article is ``a`` in :func:`relate`).
    """
    store.clear_provenance()
    workers = workers or Workers(1)
    ids: list[str] = []
    seqs: list[int] = []
    parts: list[_Inputs] = []
    days: list[int | None] = []
    all_seqs: list[int] = []
    chunk: list[Article] = []

    def flush() -> None:
        seq_of = store.article_seqs([a.id for a in chunk])
        all_seqs.extend(seq_of[a.id] for a in chunk)
        usable = [a for a in chunk if not _too_short(a)]
        ids.extend(a.id for a in usable)
        seqs.extend(seq_of[a.id] for a in usable)
        parts.append(batch_inputs([a.text for a in usable], workers))
        days.extend(day_of(a.published) for a in usable)
        chunk.clear()

    for article in store.iter_articles():
        chunk.append(article)
        if len(chunk) == _REBUILD_CHUNK:
            flush()
    flush()
    counts: dict[str, int] = defaultdict(int)
    fps, vecs = _joined(parts)
    pairs = batch_candidates(fps, vecs, days)
    counts["candidates"] = len(pairs)
    relations = _verify_batch(store, ids, pairs, workers)
    for rel in relations:
        counts[rel.kind] += 1
    index_keys = [fp.index_keys for fp in fps]
    keys = np.concatenate([np.empty(0, dtype=np.int64), *index_keys])
    owners = np.repeat(np.asarray(seqs, dtype=np.int64), [len(k) for k in index_keys])
    order = np.lexsort((owners, keys))  # b-tree order: appends, no page splits
    rows = zip(keys[order].tolist(), owners[order].tolist(), strict=True)
    anchor_owners = np.repeat(np.asarray(seqs, dtype=np.int64), [len(fp.anchors) for fp in fps])
    anchor_keys = np.concatenate([np.empty(0, dtype=np.int64), *(fp.anchors for fp in fps)])
    order = np.lexsort((anchor_owners, anchor_keys))
    anchor_rows = list(zip(anchor_keys[order].tolist(), anchor_owners[order].tolist(), strict=True))
    nkeys = neighbour_keys(vecs)
    with store.transaction():
        store.put_relations(relations)
        store.put_bands_bulk(rows, all_seqs)
        store.put_anchors_bulk(anchor_rows)
        store.put_neighbours(
            [
                (seq, day, vec.tobytes(), keys)
                for seq, day, vec, keys in zip(seqs, days, vecs, nkeys.tolist(), strict=True)
            ]
        )
    # The stage's mark, lowered when the index was emptied, caught up now: else the next
    # add would read every stored article to find the few it brings (0.4-0.5 s at
    # 100,000 stored), work a rebuild has the time for.
    store.unindexed_ids()
    counts["indexed"] = len(all_seqs)
    return dict(counts)


# Candidate pairs of a rebuild whose articles are read from the store at once.
_VERIFY_BLOCK = 2000


# A block's pairs on their way to verification, each later article's as one item.
_VerifyStream = Stream[list[tuple[Article, Article, Via]], list[Relation | None]]


def _verify_batch(
    store: Store, ids: Sequence[str], pairs: Sequence[tuple[int, int, Via]], workers: Workers
) -> list[Relation]:
    """The relations of a batch's candidate ``pairs`` (indices into ``ids``), in pair
    order: verified in the order of :func:`by_later`, each later article's pairs together
    (on ``workers``), the articles of each block of pairs read in one query, at most two
    blocks in flight (what a block holds is bounded, whatever the size of the batch)."""
    if workers.jobs > 1 and len(pairs) >= MIN_PARALLEL_ITEMS:
        warm_tables()  # before the workers fork, so they share the tables
    order = by_later(pairs)
    found: list[Relation | None] = [None] * len(pairs)
    waiting: tuple[_VerifyStream, list[int]] | None = None

    def collect(stream: _VerifyStream, at: list[int]) -> None:
        rels = (rel for part in stream.results() for rel in part)
        for k, rel in zip(at, rels, strict=True):
            found[k] = rel

    for start in range(0, len(order), _VERIFY_BLOCK):
        at = order[start : start + _VERIFY_BLOCK]
        block = [pairs[k] for k in at]
        wanted = sorted({ids[k] for i, j, _ in block for k in (i, j)})
        article = {a.id: a for a in store.get_articles(wanted)}
        stream: _VerifyStream = workers.stream(verify_each, expected=len(block))
        group: list[tuple[Article, Article, Via]] = []
        for n, (i, j, via) in enumerate(block):
            group.append((article[ids[i]], article[ids[j]], via))
            if n + 1 == len(block) or block[n + 1][1] != j:
                stream.put(group)
                group = []
        if waiting is not None:
            collect(*waiting)
        waiting = (stream, at)
    if waiting is not None:
        collect(*waiting)
    return [rel for rel in found if rel is not None]


def _group_pairs(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, of rows sharing a key in any column, with repeats."""
    n, nb = keys.shape
    flat = keys.ravel()
    owner = np.repeat(np.arange(n, dtype=np.int64), nb)
    flat, owner, starts, ends = buckets(flat, owner)
    sizes = ends - starts
    out: list[npt.NDArray[np.int64]] = []
    two = starts[sizes == 2]
    if len(two):
        out.append(np.stack([owner[two], owner[two + 1]], axis=1))
    for s, e in zip(
        starts[(sizes > 2) & (sizes <= MAX_BUCKET)],
        ends[(sizes > 2) & (sizes <= MAX_BUCKET)],
        strict=True,
    ):
        members = owner[s:e]
        ii, jj = np.triu_indices(len(members), k=1)
        out.append(np.stack([members[ii], members[jj]], axis=1))
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(out)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.sort(pairs, axis=1)


def candidate_pairs(fps: Sequence[Fingerprint]) -> list[tuple[int, int, int]]:
    """Every pair of fingerprints sharing an LSH band: ``(i, j, shared bands)``, i < j.

    One sort over all keys of the batch; fingerprints of kinds without shingles (too
    short) get keys that collide with nothing.
    """
    n = len(fps)
    codes, shared = _band_pair_codes(fps)
    return [
        (i, j, s)
        for i, j, s in zip(
            (codes // n).tolist(), (codes % n).tolist(), shared.tolist(), strict=True
        )
    ]


def _band_pair_codes(
    fps: Sequence[Fingerprint],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The pairs of :func:`candidate_pairs` as sorted codes ``i * len(fps) + j``, and
    the bands each pair shares."""
    none = np.empty(0, dtype=np.int64)
    if not fps:
        return none, none
    keys = np.stack([fp.keys for fp in fps]).copy()
    n = len(fps)
    for i, fp in enumerate(fps):  # unusable kinds: unique negative sentinels
        if not fp.word_shingles:
            keys[i, : WORD.bands] = -(i * 1000 + np.arange(WORD.bands) + 1)
        if not fp.stable_shingles:
            keys[i, WORD.bands :] = -(i * 1000 + 500 + np.arange(STABLE.bands) + 1)
    pairs = _group_pairs(keys)
    if not len(pairs):
        return none, none
    codes = pairs[:, 0] * n + pairs[:, 1]
    uniq, shared = np.unique(codes, return_counts=True)
    return uniq.astype(np.int64), shared.astype(np.int64)


def _best_per_later(
    codes: npt.NDArray[np.int64], scores: npt.NDArray[np.float64], n: int, k: int
) -> npt.NDArray[np.bool_]:
    """Which of the pairs ``codes`` (``i * n + j``) are among the ``k`` best of their
    ``j`` by score (ties: the earlier ``i``)."""
    i, j = codes // n, codes % n
    order = np.lexsort((i, -scores, j))
    js = j[order]
    starts = np.flatnonzero(np.r_[True, js[1:] != js[:-1]]) if len(js) else js
    rank = np.arange(len(js)) - np.repeat(starts, np.diff(np.r_[starts, len(js)]))
    keep = np.zeros(len(codes), dtype=bool)
    keep[order[rank < k]] = True
    return keep


def batch_candidates(
    fps: Sequence[Fingerprint],
    vectors: npt.NDArray[np.float16] | None = None,
    days: Sequence[int | None] | None = None,
) -> list[tuple[int, int, Via]]:
    """Candidate pairs of a batch, ``(i, j, via)`` with ``i < j``: sharing an LSH band
    or enough anchors (``text`` unless only names and numbers are shared), each later
    article ``j`` with at most :data:`MAX_ANCHOR_CANDIDATES` by anchors; with the
    batch's neighbour ``vectors`` (:func:`unspin.provenance.neighbours.neighbour_vectors`)
    and publication ``days``, also its embedding neighbours, as the index finds them."""
    n = len(fps)
    band, _ = _band_pair_codes(fps)
    # As the incremental index does: each later article keeps its MAX_ANCHOR_CANDIDATES best
    # anchor candidates among those its bands did not already give (ties: the earlier).
    code, share, textual = anchor_pair_codes(fps, MAX_BUCKET)
    fresh = ~np.isin(code, band, assume_unique=True)
    code, share, textual = code[fresh], share[fresh], textual[fresh]
    best = _best_per_later(code, share, n, MAX_ANCHOR_CANDIDATES)
    code, textual = code[best], textual[best]
    parts = [band, code[textual], code[~textual]]
    if vectors is not None:
        when = list(days) if days is not None else [None] * len(fps)
        taken = np.sort(np.concatenate([band, code]))
        parts.append(
            np.array([i * n + j for i, j in neighbour_pairs(vectors, when, taken)], np.int64)
        )
    vias = np.concatenate([np.full(len(p), k, dtype=np.int8) for k, p in enumerate(parts)])
    codes = np.concatenate(parts)
    order = np.argsort(codes, kind="stable")
    codes, vias = codes[order], vias[order]
    return [
        (i, j, _VIAS[v])
        for i, j, v in zip((codes // n).tolist(), (codes % n).tolist(), vias.tolist(), strict=True)
    ]


# The ``via`` of each part of :func:`batch_candidates`'s pairs, in order.
_VIAS: tuple[Via, ...] = ("text", "text", "names", "meaning")


def find_copies(articles: Sequence[Article], *, keep_same_story: bool = False) -> list[Relation]:
    """Every related pair among ``articles`` (held in memory), verified by alignment.

    Args:
        articles: the batch; earlier ones are kept as sources when the direction rule
            cannot decide.
        keep_same_story: also return ``same_story`` relations (default: copies only).

    Returns:
        The relations, in candidate order.
    """
    usable = [a for a in articles if not _too_short(a)]
    fps = fingerprints(a.text for a in usable)
    vectors = neighbour_vectors([a.text for a in usable])
    days = [day_of(a.published) for a in usable]
    pairs = batch_candidates(fps, vectors, days)
    order = by_later(pairs)
    found: list[Relation | None] = [None] * len(pairs)
    verified = verify_each([(usable[pairs[k][0]], usable[pairs[k][1]], pairs[k][2]) for k in order])
    for k, rel in zip(order, verified, strict=True):
        found[k] = rel
    return [
        rel
        for rel in found
        if rel is not None
        and (rel.kind in COPY_KINDS or (keep_same_story and rel.kind == "same_story"))
    ]
