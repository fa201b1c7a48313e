"""Relations between articles and the provenance index (LSH band buckets) in SQLite.

Tables (migration ``0002_relations``):

* ``relations``: one row per related pair, oriented source → copy, with the evidence
  (substitutions and passages) as JSON;
* ``provenance_bands``: the LSH band keys of every indexed article (``key``, article
  ``seq``), a WITHOUT ROWID b-tree on ``(key, seq)``: looking up an article's ~56 keys
  finds every stored article sharing a band without scanning;
* ``provenance_indexed``: which articles are in the index (so provenance can catch up
  on articles stored while it was switched off).

Migration ``0008_provenance_anchors`` adds the anchor index (``provenance_anchors``, the
same shape as the bands), each anchor's article count (``provenance_anchor_df``) and
each article's anchor count by kind (``provenance_anchor_counts``).

Migration ``0010_provenance_neighbours`` adds the embedding-neighbour index
(:mod:`unspin.provenance.neighbours`): each article's content-word vector as a float16
blob with its publication day (``provenance_vectors``), and its LSH bucket keys
(``provenance_neighbour_keys``, a WITHOUT ROWID b-tree on ``(key, seq)``: a bucket's
latest members are a backward range scan).

Migration ``0015_provenance_recent`` splits the band and anchor indexes in two. An add's
postings fall all over a large index: the 772 ECB+ dev articles added into 100,000
stored dirtied 57,000 of its pages (223 MB written to the WAL, then checkpointed), a
cost per article that grows with the store. They now go to small ``*_recent`` tables of
the same shape (``provenance_recent_seqs`` lists their articles), which every lookup
reads beside the main ones; once these hold ``RECENT_SHARE`` of the indexed articles
(and at least ``RECENT_MIN_ARTICLES``), one pass in key order merges them into the main
tables (:meth:`RelationStore.settle_recent_index`, at the end of the provenance stage).
Index rebuilds and the Spark loader write the main tables directly. A posting is in
exactly one of the two, so every lookup reads the same as from one index.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from unspin.model import COPY_KINDS, Passage, Relation, SentenceMatch, Substitution, utcnow
from unspin.store.core import StoreBase, run_script
from unspin.store.marks import PROVENANCE_STAGE
from unspin.store.migrations import migration

__all__ = ["AnchorBatch", "AnchorHit", "RelationStore", "StoredAnchors"]


@migration("0002_relations")
def _create_relations(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE relations (
            source_id          TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            copy_id            TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            kind               TEXT NOT NULL,
            confidence         REAL NOT NULL,
            reused             REAL NOT NULL,
            coverage           REAL NOT NULL,
            substitution_rate  REAL NOT NULL,
            direction          TEXT NOT NULL,
            evidence           TEXT NOT NULL DEFAULT '{}',  -- JSON substitutions, passages
            found_at           TEXT NOT NULL,
            PRIMARY KEY (source_id, copy_id)
        );
        CREATE INDEX relations_copy ON relations (copy_id);
        CREATE INDEX relations_kind ON relations (kind);
        CREATE TABLE provenance_bands (
            key  INTEGER NOT NULL,
            seq  INTEGER NOT NULL,
            PRIMARY KEY (key, seq)
        ) WITHOUT ROWID;
        CREATE TABLE provenance_indexed (seq INTEGER PRIMARY KEY);
        """,
    )


@migration("0008_provenance_anchors")
def _create_anchors(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE provenance_anchors (
            key  INTEGER NOT NULL,
            seq  INTEGER NOT NULL,
            PRIMARY KEY (key, seq)
        ) WITHOUT ROWID;
        -- how many articles hold each anchor: common ones are skipped at query time
        CREATE TABLE provenance_anchor_df (key INTEGER PRIMARY KEY, n INTEGER NOT NULL);
        -- each article's anchors by kind (word, stable, name), for containment estimates
        CREATE TABLE provenance_anchor_counts (
            seq     INTEGER PRIMARY KEY,
            word    INTEGER NOT NULL,
            stable  INTEGER NOT NULL,
            name    INTEGER NOT NULL
        );
        """,
    )


@migration("0010_provenance_neighbours")
def _create_neighbours(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE provenance_vectors (
            seq  INTEGER PRIMARY KEY,
            day  INTEGER,            -- days since 1970-01-01 of publication, NULL undated
            vec  BLOB NOT NULL       -- float16 content-word vector, unit length
        );
        CREATE TABLE provenance_neighbour_keys (
            key  INTEGER NOT NULL,
            seq  INTEGER NOT NULL,
            PRIMARY KEY (key, seq)
        ) WITHOUT ROWID;
        """,
    )


@migration("0015_provenance_recent")
def _create_recent_index(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE provenance_bands_recent (
            key  INTEGER NOT NULL,
            seq  INTEGER NOT NULL,
            PRIMARY KEY (key, seq)
        ) WITHOUT ROWID;
        CREATE TABLE provenance_anchors_recent (
            key  INTEGER NOT NULL,
            seq  INTEGER NOT NULL,
            PRIMARY KEY (key, seq)
        ) WITHOUT ROWID;
        CREATE TABLE provenance_anchor_df_recent (key INTEGER PRIMARY KEY, n INTEGER NOT NULL);
        -- the articles whose postings wait in the recent tables (how full they are)
        CREATE TABLE provenance_recent_seqs (seq INTEGER PRIMARY KEY);
        """,
    )


# The recent index is merged into the main one once it holds postings of this many
# articles, or of this share of the indexed ones if more: small enough that an add's
# postings fall on few of its pages, large enough that merges (each rewriting most of
# the main index's pages) are rare. See RelationStore.settle_recent_index.
RECENT_MIN_ARTICLES = 1000
RECENT_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class AnchorHit:
    """A stored article sharing anchors with a query: shared and own counts by kind."""

    article_id: str
    shared: tuple[int, int, int]
    own: tuple[int, int, int]


def _kind_counts(keys: Sequence[int]) -> tuple[int, int, int]:
    kinds = [int(k) & 3 for k in keys]
    return kinds.count(1), kinds.count(2), kinds.count(3)


@dataclass
class AnchorBatch:
    """The anchors of a batch of articles being indexed, held here until the batch is
    written in one sorted pass (:meth:`RelationStore.put_anchor_batch`): a batch's
    postings fall all over the anchor index, and written one article at a time they
    cost a b-tree descent each (bench/add_speed.py, 100,000 stored: 1.2 CPU s for 768
    articles, 0.8 s sorted). :meth:`RelationStore.anchor_candidates` reads them beside
    the stored ones, so each article still meets every article indexed before it."""

    postings: dict[int, list[int]] = field(default_factory=dict)  # key -> seqs
    df: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    counts: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # seq -> by kind
    ids: dict[int, str] = field(default_factory=dict)  # seq -> article id

    def add(self, seq: int, article_id: str, keys: Sequence[int], common: frozenset[int]) -> None:
        """One article's anchor keys: each counted in its key's article count, posted
        unless in ``common`` (held by more articles than any lookup reads: no lookup
        would read the posting), and counted by kind for the article."""
        for k in keys:
            key = int(k)
            self.df[key] += 1
            if key not in common:
                seqs = self.postings.setdefault(key, [])
                if seq not in seqs:
                    seqs.append(seq)
        self.counts[seq] = _kind_counts(keys)
        self.ids[seq] = article_id


@dataclass
class StoredAnchors:
    """The written anchor index as a batch of lookups sees it, read once for the whole
    batch (:meth:`RelationStore.stored_anchors`): each key's article count and the
    postings of the keys rare enough to look up. One ``GROUP BY`` per article over its
    ~100 rare keys cost 2 of the writer's 8 CPU s adding the 772 ECB+ dev articles into
    100,000 (bench/add_speed.py); the batch's keys read in key order, and counted here,
    cost less. Valid while the index is not written: :func:`unspin.provenance.index.update`
    holds a transaction's anchors in an :class:`AnchorBatch` until its end."""

    df: dict[int, int] = field(default_factory=dict)  # key -> articles holding it
    postings: dict[int, list[int]] = field(default_factory=dict)  # key -> seqs
    # seq -> (id, anchor counts by kind), or None (no longer stored): read when first hit
    articles: dict[int, tuple[str, tuple[int, int, int]] | None] = field(default_factory=dict)


# Keys per ``IN (...)`` list: well below SQLite's limit on bound parameters.
_IN_CHUNK = 5000


def _chunks(values: Sequence[int]) -> list[Sequence[int]]:
    return [values[k : k + _IN_CHUNK] for k in range(0, len(values), _IN_CHUNK)]


def _shared_by_kind(
    rare: Sequence[int],
    stored: Mapping[int, Sequence[int]],
    pending: AnchorBatch | None,
    exclude: int,
    min_shared: tuple[int, int, int],
) -> tuple[list[int], list[tuple[int, int, int]]]:
    """The articles (``seq``, ascending) posted under the keys ``rare`` that share at
    least ``min_shared`` anchors of some kind, and how many of each kind they share.

    Counted over all postings at once (numpy) rather than one posting at a time: adding
    the 772 ECB+ dev articles to 1,000 stored (bench/add_speed.py's corpus), each
    lookup meets about 500 articles, of which 64 share enough; the lookups took
    0.45-0.48 CPU s counted posting by posting, 0.28-0.29 s counted at once.
    """
    runs: list[Sequence[int]] = []
    run_kinds: list[int] = []
    for postings in (stored, pending.postings) if pending is not None else (stored,):
        for k in rare:
            kind = k & 3  # the kind in the key's low bits
            if kind:
                run = postings.get(k)
                if run:
                    runs.append(run)
                    run_kinds.append(kind - 1)
    if not runs:
        return [], []
    lengths = np.fromiter(map(len, runs), dtype=np.int64, count=len(runs))
    holders = np.fromiter(chain.from_iterable(runs), dtype=np.int64, count=int(lengths.sum()))
    kinds = np.repeat(np.asarray(run_kinds, dtype=np.int64), lengths)
    keep = holders != exclude
    holders, kinds = holders[keep], kinds[keep]
    if not len(holders):
        return [], []
    seqs, where = np.unique(holders, return_inverse=True)
    counts = np.bincount(where * 3 + kinds, minlength=3 * len(seqs)).reshape(-1, 3)
    ok = (
        (counts[:, 0] >= min_shared[0])
        | (counts[:, 1] >= min_shared[1])
        | (counts[:, 2] >= min_shared[2])
    )
    by_kind: list[tuple[int, int, int]] = [(w, s, n) for w, s, n in counts[ok].tolist()]
    return seqs[ok].tolist(), by_kind


def _evidence(rel: Relation) -> str:
    return json.dumps(
        {
            "substitutions": [
                [s.source, s.copy, s.source_start, s.source_end, s.copy_start, s.copy_end]
                for s in rel.substitutions
            ],
            "passages": [
                [p.source_start, p.source_end, p.copy_start, p.copy_end, p.matched, p.substituted]
                for p in rel.passages
            ],
            "sentences": [
                [m.source_start, m.source_end, m.copy_start, m.copy_end, m.similarity]
                for m in rel.sentences
            ],
            "added_facts": list(rel.added_facts),
            "common_source": rel.common_source,
            "order_kept": rel.order_kept,
            "facts_carried": rel.facts_carried,
        },
        ensure_ascii=False,
    )


def _relation_from_row(row: sqlite3.Row) -> Relation:
    ev = json.loads(row["evidence"])
    return Relation(
        source_id=row["source_id"],
        copy_id=row["copy_id"],
        kind=row["kind"],
        confidence=row["confidence"],
        reused=row["reused"],
        coverage=row["coverage"],
        substitution_rate=row["substitution_rate"],
        direction=row["direction"],
        substitutions=tuple(Substitution(*s) for s in ev.get("substitutions", [])),
        passages=tuple(Passage(*p) for p in ev.get("passages", [])),
        sentences=tuple(SentenceMatch(*m) for m in ev.get("sentences", [])),
        added_facts=tuple(ev.get("added_facts", [])),
        common_source=ev.get("common_source"),
        order_kept=ev.get("order_kept"),
        facts_carried=ev.get("facts_carried"),
    )


class RelationStore(StoreBase):
    """Relations and the provenance index (mixed into :class:`unspin.store.Store`)."""

    def put_relations(self, relations: Iterable[Relation]) -> int:
        """Store ``relations`` (one row per pair, replacing an earlier judgement of it)."""
        n = 0
        now = utcnow().isoformat()
        with self.transaction() as conn:
            for rel in relations:
                conn.execute(
                    "DELETE FROM relations WHERE (source_id = ? AND copy_id = ?) "
                    "OR (source_id = ? AND copy_id = ?)",
                    (rel.source_id, rel.copy_id, rel.copy_id, rel.source_id),
                )
                conn.execute(
                    "INSERT INTO relations (source_id, copy_id, kind, confidence, reused, "
                    "coverage, substitution_rate, direction, evidence, found_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        rel.source_id,
                        rel.copy_id,
                        rel.kind,
                        rel.confidence,
                        rel.reused,
                        rel.coverage,
                        rel.substitution_rate,
                        rel.direction,
                        _evidence(rel),
                        now,
                    ),
                )
                n += 1
        return n

    def relations_of(
        self, article_id: str, *, kinds: Sequence[str] | None = None
    ) -> list[Relation]:
        """Every stored relation in which ``article_id`` is the source or the copy."""
        q = "SELECT * FROM relations WHERE (source_id = ? OR copy_id = ?)"
        args: list[object] = [article_id, article_id]
        if kinds:
            q += f" AND kind IN ({', '.join('?' * len(kinds))})"
            args.extend(kinds)
        rows = self.conn.execute(q + " ORDER BY confidence DESC, source_id, copy_id", args)
        return [_relation_from_row(r) for r in rows]

    def copy_relations(self) -> list[Relation]:
        """Every stored copy relation (duplicate, edited copy, spun copy)."""
        kinds = sorted(COPY_KINDS)
        rows = self.conn.execute(
            f"SELECT * FROM relations WHERE kind IN ({', '.join('?' * len(kinds))}) "
            "ORDER BY source_id, copy_id",
            kinds,
        )
        return [_relation_from_row(r) for r in rows]

    def count_relations(self) -> dict[str, int]:
        """Stored relations by kind."""
        rows = self.conn.execute("SELECT kind, COUNT(*) FROM relations GROUP BY kind")
        return {str(k): int(n) for k, n in rows}

    def unindexed_ids(self, ids: Sequence[str] | None = None) -> list[str]:
        """Ids (of ``ids``, or of the whole store) not yet in the provenance index, in
        ingest order (read after the stage's mark: :meth:`pending_after_mark`)."""
        found = self.pending_after_mark(
            PROVENANCE_STAGE,
            "SELECT a.seq, a.id FROM articles a WHERE a.seq > ? AND NOT EXISTS "
            "(SELECT 1 FROM provenance_indexed p WHERE p.seq = a.seq) ORDER BY a.seq",
        )
        if ids is None:
            return found
        wanted = set(ids)
        return [i for i in found if i in wanted]

    def put_bands(self, seq: int, keys: Iterable[int]) -> None:
        """Add one article's band keys to the (recent) index and mark it indexed."""
        rows = [(int(k), seq) for k in keys]
        with self.transaction() as conn:
            if rows:
                conn.executemany(
                    "INSERT OR IGNORE INTO provenance_bands_recent (key, seq) VALUES (?, ?)",
                    rows,
                )
                conn.execute(
                    "INSERT OR IGNORE INTO provenance_recent_seqs (seq) VALUES (?)", (seq,)
                )
            conn.execute("INSERT OR IGNORE INTO provenance_indexed (seq) VALUES (?)", (seq,))

    def put_bands_bulk(self, rows: Iterable[tuple[int, int]], seqs: Iterable[int]) -> None:
        """Add many ``(key, seq)`` rows at once, to the main index (index rebuilds, which
        write it all; sort them for speed)."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO provenance_bands (key, seq) VALUES (?, ?)", rows
            )
            conn.executemany(
                "INSERT OR IGNORE INTO provenance_indexed (seq) VALUES (?)", ((s,) for s in seqs)
            )

    def put_anchor_batch(self, batch: AnchorBatch) -> None:
        """Write a batch's anchors (see :class:`AnchorBatch`) to the recent index, each
        table in key order."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO provenance_anchors_recent (key, seq) VALUES (?, ?)",
                sorted((k, s) for k, seqs in batch.postings.items() for s in seqs),
            )
            conn.executemany(
                "INSERT INTO provenance_anchor_df_recent (key, n) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET n = n + excluded.n",
                sorted(batch.df.items()),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO provenance_recent_seqs (seq) VALUES (?)",
                ((seq,) for seq in sorted(batch.counts)),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO provenance_anchor_counts (seq, word, stable, name) "
                "VALUES (?, ?, ?, ?)",
                sorted((seq, *c) for seq, c in batch.counts.items()),
            )

    def put_anchors_bulk(self, rows: Sequence[tuple[int, int]]) -> None:
        """Add many ``(key, seq)`` anchor rows at once, to the main index (index rebuilds;
        sort them for speed)."""
        df: dict[int, int] = defaultdict(int)
        per_seq: dict[int, list[int]] = defaultdict(list)
        for key, seq in rows:
            df[key] += 1
            per_seq[seq].append(key)
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO provenance_anchors (key, seq) VALUES (?, ?)", rows
            )
            conn.executemany(
                "INSERT INTO provenance_anchor_df (key, n) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET n = n + excluded.n",
                sorted(df.items()),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO provenance_anchor_counts (seq, word, stable, name) "
                "VALUES (?, ?, ?, ?)",
                ((seq, *_kind_counts(keys)) for seq, keys in sorted(per_seq.items())),
            )

    def stored_anchors(self, keys: Iterable[int], *, max_df: int) -> StoredAnchors:
        """The written anchor index's view of ``keys`` (see :class:`StoredAnchors`): each
        key's article count, and the postings of those held by at most ``max_df``
        articles, read in key order in a few queries."""
        wanted = sorted({int(k) for k in keys})
        view = StoredAnchors()
        df = view.df
        for chunk in _chunks(wanted):
            marks = ", ".join("?" * len(chunk))
            # fetchall: one call for all rows, not one per row through the cursor's
            # error-mapping __next__ (most of the rows an add reads are read here).
            df.update(
                self.conn.execute(
                    f"SELECT key, n FROM provenance_anchor_df WHERE key IN ({marks})", chunk
                ).fetchall()
            )
            for k, n in self.conn.execute(
                f"SELECT key, n FROM provenance_anchor_df_recent WHERE key IN ({marks})", chunk
            ).fetchall():
                df[k] = df.get(k, 0) + n
        rare = sorted(k for k, n in df.items() if n <= max_df)
        postings = view.postings
        for table in ("provenance_anchors", "provenance_anchors_recent"):
            for chunk in _chunks(rare):
                marks = ", ".join("?" * len(chunk))
                for k, seq in self.conn.execute(
                    f"SELECT key, seq FROM {table} WHERE key IN ({marks})", chunk
                ).fetchall():
                    postings.setdefault(k, []).append(seq)
        return view

    def anchor_candidates(
        self,
        keys: Sequence[int],
        *,
        exclude: int,
        max_df: int,
        min_shared: tuple[int, int, int] = (1, 1, 1),
        pending: AnchorBatch | None = None,
        stored: StoredAnchors | None = None,
    ) -> tuple[list[AnchorHit], frozenset[int]]:
        """Indexed articles sharing anchors with ``keys``, skipping anchors held by more
        than ``max_df`` articles (boilerplate, common phrases and names), and articles
        sharing fewer than ``min_shared`` anchors of every kind (word, stable, name).
        ``pending``: anchors of articles indexed but not written yet, which count as
        if they were. ``stored``: the written index's view of a batch holding ``keys``
        (:meth:`stored_anchors`, read since the index was last written); without it,
        read for ``keys`` alone.

        Returns:
            The hits, by ``seq``, and the keys skipped as common.
        """
        if not len(keys):
            return [], frozenset()
        unique = list(dict.fromkeys(int(k) for k in keys))
        if stored is None:
            stored = self.stored_anchors(unique, max_df=max_df)
        df = stored.df
        held = pending.df if pending is not None else {}
        rare: list[int] = []
        common: set[int] = set()
        for k in unique:
            n = df.get(k, 0) + held.get(k, 0)
            if n > max_df:
                common.add(k)
            elif n:
                rare.append(k)
        if not rare:
            return [], frozenset(common)
        hits, shared = _shared_by_kind(rare, stored.postings, pending, exclude, min_shared)
        found = []
        for seq, counts in zip(hits, shared, strict=True):
            if pending is not None and seq in pending.counts:
                found.append(AnchorHit(pending.ids[seq], counts, pending.counts[seq]))
            else:
                article = self._anchor_article(stored, seq)
                if article is not None:  # no article or counts row: no hit, as a join reads
                    found.append(AnchorHit(article[0], counts, article[1]))
        return found, frozenset(common)

    def _anchor_article(
        self, stored: StoredAnchors, seq: int
    ) -> tuple[str, tuple[int, int, int]] | None:
        """The id and anchor counts by kind of written article ``seq`` (read once per
        view); ``None`` if it is no longer stored."""
        if seq not in stored.articles:
            row = self.conn.execute(
                "SELECT a.id, c.word, c.stable, c.name FROM articles a "
                "JOIN provenance_anchor_counts c ON c.seq = a.seq WHERE a.seq = ?",
                (seq,),
            ).fetchone()
            stored.articles[seq] = (
                None if row is None else (str(row[0]), (int(row[1]), int(row[2]), int(row[3])))
            )
        return stored.articles[seq]

    def band_candidates(
        self, keys: Sequence[int], *, exclude: int, limit: int
    ) -> list[tuple[str, int]]:
        """Indexed articles sharing a band key with ``keys``: ``(id, shared bands)``.

        Ordered by shared bands (most first), at most ``limit``; ``exclude`` is the
        querying article's own ``seq``.
        """
        if not len(keys):
            return []
        marks = ", ".join("?" * len(keys))
        wanted = [int(k) for k in keys]
        rows = self.conn.execute(
            "SELECT a.id, c.n FROM (SELECT seq, COUNT(*) AS n FROM ("
            f"SELECT seq FROM provenance_bands WHERE key IN ({marks}) UNION ALL "
            f"SELECT seq FROM provenance_bands_recent WHERE key IN ({marks})"
            ") WHERE seq != ? GROUP BY seq ORDER BY n DESC, seq LIMIT ?) c "
            "JOIN articles a ON a.seq = c.seq ORDER BY c.n DESC, a.seq",
            (*wanted, *wanted, exclude, limit),
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def settle_recent_index(self) -> bool:
        """Merge the recent index into the main one if it has grown past
        ``RECENT_MIN_ARTICLES`` articles and ``RECENT_SHARE`` of the indexed ones
        (:meth:`merge_recent_index`); whether it did."""
        q = self.conn.execute
        recent = int(q("SELECT COUNT(*) FROM provenance_recent_seqs").fetchone()[0])
        if recent < RECENT_MIN_ARTICLES:
            return False
        indexed = int(q("SELECT COUNT(*) FROM provenance_indexed").fetchone()[0])
        if recent < RECENT_SHARE * indexed:
            return False
        self.merge_recent_index()
        return True

    def merge_recent_index(self) -> None:
        """Move every posting and article count of the recent index into the main one,
        in key order: one pass over the main index's pages for many adds' postings."""
        with self.transaction() as conn:
            for table in ("provenance_bands", "provenance_anchors"):
                conn.execute(
                    f"INSERT OR IGNORE INTO {table} (key, seq) "
                    f"SELECT key, seq FROM {table}_recent ORDER BY key, seq"
                )
                conn.execute(f"DELETE FROM {table}_recent")
            conn.execute(
                "INSERT INTO provenance_anchor_df (key, n) "
                "SELECT key, n FROM provenance_anchor_df_recent WHERE true ORDER BY key "
                "ON CONFLICT (key) DO UPDATE SET n = n + excluded.n"
            )
            conn.execute("DELETE FROM provenance_anchor_df_recent")
            conn.execute("DELETE FROM provenance_recent_seqs")

    def put_neighbours(self, rows: Sequence[tuple[int, int | None, bytes, Sequence[int]]]) -> None:
        """Add articles' neighbour vectors and bucket keys: ``(seq, day, vector bytes,
        keys)`` each (keys below 0 are not indexed)."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO provenance_vectors (seq, day, vec) VALUES (?, ?, ?)",
                ((seq, day, vec) for seq, day, vec, _ in rows),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO provenance_neighbour_keys (key, seq) VALUES (?, ?)",
                sorted((int(k), seq) for seq, _, _, keys in rows for k in keys if k >= 0),
            )

    def neighbour_bucket(self, key: int, *, limit: int) -> list[int]:
        """The latest ``limit`` indexed articles (``seq``, latest first) of neighbour
        bucket ``key``."""
        return [
            int(r[0])
            for r in self.conn.execute(
                "SELECT seq FROM provenance_neighbour_keys WHERE key = ? ORDER BY seq DESC LIMIT ?",
                (int(key), limit),
            ).fetchall()
        ]

    def neighbour_rows(self, seqs: Sequence[int]) -> list[tuple[int, str, int | None, bytes]]:
        """The neighbour vectors of indexed articles ``seqs``: ``(seq, id, day, vector
        bytes)``, by seq."""
        out: list[tuple[int, str, int | None, bytes]] = []
        ordered = sorted(seqs)
        for i in range(0, len(ordered), 500):
            chunk = ordered[i : i + 500]
            rows = self.conn.execute(
                "SELECT v.seq, a.id, v.day, v.vec FROM provenance_vectors v "
                f"JOIN articles a ON a.seq = v.seq WHERE v.seq IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY v.seq",
                chunk,
            ).fetchall()
            out.extend(
                (int(r[0]), str(r[1]), None if r[2] is None else int(r[2]), bytes(r[3]))
                for r in rows
            )
        return out

    def clear_provenance(self) -> None:
        """Empty the provenance index and every relation (before a rebuild)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM provenance_bands")
            conn.execute("DELETE FROM provenance_indexed")
            conn.execute("DELETE FROM provenance_anchors")
            conn.execute("DELETE FROM provenance_anchor_df")
            conn.execute("DELETE FROM provenance_bands_recent")
            conn.execute("DELETE FROM provenance_anchors_recent")
            conn.execute("DELETE FROM provenance_anchor_df_recent")
            conn.execute("DELETE FROM provenance_recent_seqs")
            conn.execute("DELETE FROM provenance_anchor_counts")
            conn.execute("DELETE FROM provenance_vectors")
            conn.execute("DELETE FROM provenance_neighbour_keys")
            conn.execute("DELETE FROM relations")
            # The relations come back rebuilt: what spin learning counted from them is
            # re-learned from scratch (spin.learn.update), not added to.
            conn.execute("DELETE FROM spin_learned")
