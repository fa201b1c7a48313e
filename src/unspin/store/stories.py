"""Stories, their members and merges, article embeddings and term statistics in SQLite.

Tables (migration ``0003_stories``):

* ``embeddings``: one vector per (article, model), float16 bytes;
* ``stories``: one row per story with its running state (sum of member vectors, term
  weights, time span) so a new article is compared without reading every member;
  ``merged_into`` names the story that absorbed it;
* ``story_members``: which story each article is in, the score and why it joined;
* ``story_merges``: each merge, the article that bridged the two stories and why;
* ``story_terms``: document frequency of every entity/number term (IDF for matching).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from unspin.errors import NotFoundError
from unspin.model import COPY_KINDS, utcnow
from unspin.store.core import StoreBase, run_script
from unspin.store.marks import STORIES_STAGE
from unspin.store.migrations import migration

__all__ = ["StoryRow", "StoryStore"]


@migration("0003_stories")
def _create_stories(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE embeddings (
            article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            model       TEXT NOT NULL,
            vector      BLOB NOT NULL,            -- float16, little-endian
            PRIMARY KEY (article_id, model)
        ) WITHOUT ROWID;
        CREATE TABLE stories (
            id            TEXT PRIMARY KEY,
            seq           INTEGER NOT NULL UNIQUE,
            title         TEXT,
            title_article TEXT,
            first_ts      REAL,                   -- UTC epoch seconds; NULL if no dated member
            last_ts       REAL,
            n_articles    INTEGER NOT NULL,
            vector_sum    BLOB NOT NULL,          -- float32 sum of member embeddings
            terms         TEXT NOT NULL DEFAULT '{}',  -- JSON {term: summed weight}
            merged_into   TEXT,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        CREATE INDEX stories_last ON stories (last_ts);
        CREATE INDEX stories_first ON stories (first_ts);
        CREATE TABLE story_members (
            article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            story_id    TEXT NOT NULL,
            score       REAL NOT NULL,
            reason      TEXT NOT NULL,
            joined_seq  INTEGER NOT NULL
        );
        CREATE INDEX story_members_story ON story_members (story_id);
        CREATE TABLE story_merges (
            id          INTEGER PRIMARY KEY,
            kept        TEXT NOT NULL,
            absorbed    TEXT NOT NULL,
            article_id  TEXT,
            score       REAL NOT NULL,
            reason      TEXT NOT NULL,
            merged_at   TEXT NOT NULL
        );
        CREATE INDEX story_merges_kept ON story_merges (kept);
        CREATE TABLE story_terms (
            term  TEXT PRIMARY KEY,
            df    INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    )


@migration("0011_story_members_seq")
def _index_member_seq(conn: sqlite3.Connection) -> None:
    # put_story_members numbers new members after the largest joined_seq: without an
    # index that is a scan of every membership, once per batch and once per split story
    # (42 scans, 0.4 s of a 1,000-article batch at 100,000 stored).
    run_script(conn, "CREATE INDEX story_members_seq ON story_members (joined_seq);")


@migration("0012_embeddings_by_seq")
def _key_embeddings_by_seq(conn: sqlite3.Connection) -> None:
    # Keyed by the article's ingest number, not its id: a batch's new vectors go to the
    # end of the table instead of a random page each (article ids are content hashes).
    # At 100,000 stored, the 1,000 vectors of a batch wrote 2,590 pages (page splits; 70 %
    # of the batch's commit) keyed by id.
    run_script(
        conn,
        """
        CREATE TABLE embeddings_by_seq (
            article_seq INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
            model       TEXT NOT NULL,
            vector      BLOB NOT NULL,            -- float16, little-endian
            PRIMARY KEY (article_seq, model)
        ) WITHOUT ROWID;
        INSERT INTO embeddings_by_seq (article_seq, model, vector)
            SELECT a.seq, e.model, e.vector FROM embeddings e JOIN articles a ON a.id = e.article_id
            ORDER BY a.seq, e.model;
        DROP TABLE embeddings;
        ALTER TABLE embeddings_by_seq RENAME TO embeddings;
        """,
    )


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One row of ``stories`` as stored (the clustering state of a story)."""

    id: str
    seq: int
    title: str | None
    title_article: str | None
    first_ts: float | None
    last_ts: float | None
    n_articles: int
    vector_sum: np.ndarray
    # The story's names and numbers with their counts, as stored (JSON): read by
    # :attr:`terms` only where they are needed (an add loads up to 10,000 live stories a
    # batch and scores a few hundred of them by their terms).
    terms_json: str
    merged_into: str | None

    @property
    def terms(self) -> dict[str, float]:
        """The story's names and numbers with their counts."""
        terms: dict[str, float] = json.loads(self.terms_json)
        return terms


def _row(r: sqlite3.Row) -> StoryRow:
    return StoryRow(
        id=r["id"],
        seq=r["seq"],
        title=r["title"],
        title_article=r["title_article"],
        first_ts=r["first_ts"],
        last_ts=r["last_ts"],
        n_articles=r["n_articles"],
        vector_sum=np.frombuffer(r["vector_sum"], dtype="<f4").copy(),
        terms_json=r["terms"],
        merged_into=r["merged_into"],
    )


class StoryStore(StoreBase):
    """Story persistence (mixed into :class:`unspin.store.Store`)."""

    # --- embeddings ---------------------------------------------------------------

    def put_embeddings(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Store one vector per article id for ``model`` (replacing older ones).

        Raises:
            NotFoundError: an id is not a stored article.
        """
        with self.transaction() as conn:
            seqs = self.article_seqs(list(vectors))
            missing = [aid for aid in vectors if aid not in seqs]
            if missing:
                raise NotFoundError(f"{missing[0]}: no article with this id in {self.path}")
            # In key order: the new rows append to the table's last pages.
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (article_seq, model, vector) VALUES (?, ?, ?)",
                (
                    (seqs[aid], model, np.asarray(vectors[aid], dtype="<f2").tobytes())
                    for aid in sorted(vectors, key=seqs.__getitem__)
                ),
            )

    def get_embeddings(self, model: str, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors (float32) of ``model`` for those of ``ids`` that have one."""
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            q = (
                "SELECT a.id, e.vector FROM articles a JOIN embeddings e "
                "ON e.article_seq = a.seq AND e.model = ? "
                f"WHERE a.id IN ({', '.join('?' * len(chunk))})"
            )
            for aid, blob in self.conn.execute(q, (model, *chunk)):
                found[aid] = np.frombuffer(blob, dtype="<f2").astype(np.float32)
        return found

    # --- clustering state ---------------------------------------------------------

    def story_rows(
        self,
        *,
        since: float | None = None,
        until: float | None = None,
        undated: bool = True,
        latest: int | None = None,
    ) -> list[StoryRow]:
        """Live (not merged) stories whose time span meets ``[since, until]``, by seq.

        Args:
            since, until: epoch seconds; ``None`` leaves that side open.
            undated: also return stories with no dated member.
            latest: at most this many, the latest started (highest seq).
        """
        where = ["merged_into IS NULL"]
        params: list[float] = []
        span = []
        # With a span, the unary + keep SQLite (which has no statistics) off the first_ts
        # and seq indexes, whose scans read every story: a stream's window is its latest
        # week, which the last_ts index finds (at 100,000 stored, 6 ms instead of 70-200).
        if since is not None:
            span.append("last_ts >= ?")
            params.append(since)
        if until is not None:
            span.append("+first_ts <= ?")
            params.append(until)
        if span:
            dated = " AND ".join(span)
            where.append(f"(({dated}) OR first_ts IS NULL)" if undated else f"({dated})")
        elif not undated:
            where.append("first_ts IS NOT NULL")
        order = "+seq" if span else "seq"
        q = f"SELECT * FROM stories WHERE {' AND '.join(where)} ORDER BY {order}"
        if latest is None:
            return [_row(r) for r in self.conn.execute(q, params).fetchall()]
        rows = [
            _row(r) for r in self.conn.execute(f"{q} DESC LIMIT ?", (*params, latest)).fetchall()
        ]
        return rows[::-1]

    def next_story_seq(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM stories").fetchone()[0])

    def save_story_rows(self, rows: Iterable[StoryRow]) -> None:
        """Insert or replace stories' state rows."""
        now = utcnow().isoformat()
        with self.transaction() as conn:
            for s in rows:
                conn.execute(
                    "INSERT INTO stories (id, seq, title, title_article, first_ts, last_ts, "
                    "n_articles, vector_sum, terms, merged_into, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    "title = excluded.title, title_article = excluded.title_article, "
                    "first_ts = excluded.first_ts, last_ts = excluded.last_ts, "
                    "n_articles = excluded.n_articles, vector_sum = excluded.vector_sum, "
                    "terms = excluded.terms, merged_into = excluded.merged_into, "
                    "updated_at = excluded.updated_at",
                    (
                        s.id,
                        s.seq,
                        s.title,
                        s.title_article,
                        s.first_ts,
                        s.last_ts,
                        s.n_articles,
                        np.asarray(s.vector_sum, dtype="<f4").tobytes(),
                        s.terms_json,
                        s.merged_into,
                        now,
                        now,
                    ),
                )

    def put_story_members(self, members: Iterable[tuple[str, str, float, str]]) -> None:
        """Record ``(article_id, story_id, score, reason)`` memberships in arrival order."""
        with self.transaction() as conn:
            seq = conn.execute("SELECT COALESCE(MAX(joined_seq), 0) FROM story_members").fetchone()[
                0
            ]
            for article_id, story_id, score, reason in members:
                seq += 1
                conn.execute(
                    "INSERT OR REPLACE INTO story_members VALUES (?, ?, ?, ?, ?)",
                    (article_id, story_id, score, reason, seq),
                )

    def move_story_members(self, absorbed: str, kept: str) -> None:
        """Move every member of story ``absorbed`` to story ``kept`` (after a merge)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE story_members SET story_id = ? WHERE story_id = ?", (kept, absorbed)
            )

    def put_story_merge(
        self, kept: str, absorbed: str, article_id: str | None, score: float, reason: str
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO story_merges (kept, absorbed, article_id, score, reason, merged_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kept, absorbed, article_id, score, reason, utcnow().isoformat()),
            )

    def term_df(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies of ``terms`` (absent terms are left out)."""
        wanted = list(set(terms))
        found: dict[str, int] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            q = f"SELECT term, df FROM story_terms WHERE term IN ({', '.join('?' * len(chunk))})"
            found.update({t: int(d) for t, d in self.conn.execute(q, chunk)})
        return found

    def add_term_df(self, counts: Mapping[str, int]) -> None:
        """Add ``counts`` to the stored document frequencies."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO story_terms (term, df) VALUES (?, ?) "
                "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
                sorted(counts.items()),
            )

    def count_story_members(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM story_members").fetchone()[0])

    def unclustered_ids(self, ids: Sequence[str] | None = None) -> list[str]:
        """Ids (of ``ids``, or the whole store, in ingest order) not yet in a story."""
        if ids is None:
            return self.pending_after_mark(
                STORIES_STAGE,
                "SELECT a.seq, a.id FROM articles a WHERE a.seq > ? AND NOT EXISTS "
                "(SELECT 1 FROM story_members m WHERE m.article_id = a.id) ORDER BY a.seq",
            )
        member: set[str] = set()
        wanted = list(ids)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            q = f"SELECT article_id FROM story_members WHERE article_id IN ({', '.join('?' * len(chunk))})"
            member.update(r[0] for r in self.conn.execute(q, chunk))
        return [i for i in wanted if i not in member]

    def article_ids_by_time(self) -> list[str]:
        """Every article id in publication order (undated last), then ingest order."""
        q = "SELECT id FROM articles ORDER BY published_ts IS NULL, published_ts, seq"
        return [r[0] for r in self.conn.execute(q)]

    def copy_sources(self, ids: Sequence[str]) -> dict[str, str]:
        """For each of ``ids`` that provenance found to be a copy: its source's id."""
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relations'"
        ).fetchone()
        if not exists:
            return {}
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            kinds = sorted(COPY_KINDS)
            # The unary + keeps SQLite (which has no statistics) off the kind index, whose
            # scan reads every copy relation: the copy_id index finds a batch's in a few
            # ms (at 100,000 stored, 4 ms a chunk instead of 75). Ties in confidence go to
            # the relation of the first kind, then the first found, as that scan gave them.
            q = (
                f"SELECT copy_id, source_id FROM relations WHERE +kind IN "
                f"({', '.join('?' * len(kinds))}) AND copy_id IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY confidence DESC, kind, rowid"
            )
            for copy_id, source_id in self.conn.execute(q, [*kinds, *chunk]):
                out.setdefault(copy_id, source_id)
        return out

    def clear_stories(self) -> None:
        """Forget every story, membership, merge and term count (before a rebuild)."""
        with self.transaction() as conn:
            for table in ("story_members", "story_merges", "stories", "story_terms"):
                conn.execute(f"DELETE FROM {table}")

    # --- reading ------------------------------------------------------------------

    def story_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The story id of each of ``article_ids`` that is in one."""
        out: dict[str, str] = {}
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i : i + 500])
            q = f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({', '.join('?' * len(chunk))})"
            out.update({a: s for a, s in self.conn.execute(q, chunk)})
        return out

    def resolve_story_id(self, id_or_prefix: str) -> str:
        """The full id of the one story starting with ``id_or_prefix`` (merged ones follow
        ``merged_into`` to the story that absorbed them).

        Raises:
            NotFoundError: no story, or several, match.
        """
        prefix = id_or_prefix.strip().lower()
        if not prefix:
            raise NotFoundError("empty story id")
        rows = self.conn.execute(
            "SELECT id, merged_into FROM stories WHERE id >= ? AND id < ? LIMIT 2",
            (prefix, prefix + "\uffff"),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"{id_or_prefix}: no story with this id in {self.path}")
        if len(rows) > 1:
            raise NotFoundError(f"{id_or_prefix}: ambiguous story id prefix; give more characters")
        sid, merged = rows[0]
        seen = {sid}
        while merged:
            if merged in seen:
                break
            seen.add(merged)
            sid = merged
            merged = self.conn.execute(
                "SELECT merged_into FROM stories WHERE id = ?", (sid,)
            ).fetchone()[0]
        return str(sid)

    def list_story_rows(self, *, limit: int | None = None, offset: int = 0) -> list[StoryRow]:
        """Live stories, newest first (by latest member; undated stories last)."""
        q = (
            "SELECT * FROM stories WHERE merged_into IS NULL "
            "ORDER BY last_ts IS NULL, last_ts DESC, seq DESC LIMIT ? OFFSET ?"
        )
        return [_row(r) for r in self.conn.execute(q, (-1 if limit is None else limit, offset))]

    def get_story_row(self, story_id: str) -> StoryRow:
        r = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if r is None:
            raise NotFoundError(f"{story_id}: no story with this id in {self.path}")
        return _row(r)

    def story_member_rows(self, story_ids: Sequence[str]) -> dict[str, list[sqlite3.Row]]:
        """Members of each story: article id, score, reason, outlet fields, published time."""
        out: dict[str, list[sqlite3.Row]] = {s: [] for s in story_ids}
        for i in range(0, len(story_ids), 500):
            chunk = list(story_ids[i : i + 500])
            q = (
                "SELECT m.story_id, m.article_id, m.score, m.reason, m.joined_seq, a.title, a.url, "
                "a.site, a.published, a.published_ts FROM story_members m "
                "JOIN articles a ON a.id = m.article_id "
                f"WHERE m.story_id IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY a.published_ts IS NULL, a.published_ts, m.joined_seq"
            )
            for r in self.conn.execute(q, chunk):
                out[r["story_id"]].append(r)
        return out

    def story_merge_rows(self, story_id: str) -> list[sqlite3.Row]:
        """Merges into ``story_id``, oldest first."""
        return list(
            self.conn.execute("SELECT * FROM story_merges WHERE kept = ? ORDER BY id", (story_id,))
        )

    def count_stories(self) -> int:
        return int(
            self.conn.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[
                0
            ]
        )
