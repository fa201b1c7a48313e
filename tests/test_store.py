"""The SQLite store: migrations, WAL, idempotent upsert, metadata merge, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _relations import relation
from unspin.errors import NotFoundError, StoreError
from unspin.model import Article, Origin
from unspin.store import Store
from unspin.store.migrations import registered


def make(text: str, **meta) -> Article:
    return Article.create(text, **meta)


def test_new_database_is_wal_and_fully_migrated(db_path: Path) -> None:
    with Store(db_path) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.schema_version() == registered()
    assert db_path.exists()


def test_reopening_applies_nothing_twice(db_path: Path) -> None:
    Store(db_path).close()
    with Store(db_path) as s:
        rows = s.conn.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0]
    assert rows == len(registered())


def test_same_article_twice_is_one_row(store: Store) -> None:
    a = make("The bridge reopened on Monday after repairs.")
    first = store.put_articles([a])
    second = store.put_articles([a])
    assert [r.status for r in first] == ["added"]
    assert [r.status for r in second] == ["known"]
    assert store.count_articles() == 1


def test_new_metadata_merges_without_overwriting(store: Store) -> None:
    text = "The council approved the budget by seven votes to two."
    store.put_articles([make(text, title="Budget passes")])
    when = datetime(2026, 3, 1, 9, tzinfo=UTC)
    result = store.put_articles(
        [make(text, title="Other title", author="A. Writer", published=when)]
    )
    assert result[0].status == "updated"
    stored = store.get_article(result[0].id)
    assert stored.title == "Budget passes"
    assert stored.author == "A. Writer"
    assert stored.published == when


def test_same_text_at_a_new_url_is_a_republication(store: Store) -> None:
    text = "Flood waters receded overnight across the valley, officials said."
    a = make(text, url="https://one.example/a", site="One")
    b = make(text, url="https://two.example/b", site="Two")
    store.put_articles([a])
    assert store.put_articles([b])[0].status == "republished"
    assert [p.site for p in store.appearances(a.id)] == ["One", "Two"]
    assert store.count_republished() == 1


def test_round_trip_keeps_every_field(store: Store) -> None:
    from unspin.model import BoilerplateLine

    a = make(
        "Para one.\n\nPara two.",
        title="T",
        url="https://x.example/1",
        site="X",
        author="Au",
        published=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        language="en",
        origin=Origin("feed", "feed.xml", "entry-1"),
        boilerplate=(BoilerplateLine("Share", "share"),),
    )
    store.put_articles([a])
    got = store.get_article(a.id)
    assert got.paragraphs == ("Para one.", "Para two.")
    assert (got.title, got.url, got.site, got.author, got.language) == (
        "T",
        "https://x.example/1",
        "X",
        "Au",
        "en",
    )
    assert got.origin == Origin("feed", "feed.xml", "entry-1")
    assert got.boilerplate == a.boilerplate
    assert got.published == a.published


def test_prefix_lookup_and_errors(store: Store) -> None:
    a = make("Alpha story text here.")
    store.put_articles([a])
    assert store.get_article(a.id[:6]).id == a.id
    with pytest.raises(NotFoundError, match="no article"):
        store.get_article("ffffffffffff")


def test_full_text_search(store: Store) -> None:
    store.put_articles(
        [
            make("Earthquake shakes the coast.", title="Quake"),
            make("Council meets.", title="Council"),
        ]
    )
    assert [a.title for a in store.search_articles("earthquake coast")] == ["Quake"]
    assert store.search_articles('"; DROP TABLE articles; --') == []


def test_read_only_refuses_writes(db_path: Path) -> None:
    Store(db_path).close()
    with Store(db_path, read_only=True) as s, pytest.raises(StoreError, match="read-only"):
        s.put_articles([make("Some text.")])


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="bad.db"):
        Store(bad)


def test_failed_batch_leaves_nothing_half_written(store: Store) -> None:
    store.put_articles([make("Kept article.")])

    class Boom(Exception):
        pass

    def articles():
        yield make("First of a failing batch.")
        raise Boom

    with pytest.raises(Boom):
        store.put_articles(articles())
    assert store.count_articles() == 1


_WRITER = textwrap.dedent(
    """
    import sys
    from unspin.model import Article
    from unspin.store import Store
    s = Store(sys.argv[1])
    i = 0
    while True:
        batch = [Article.create(f"Article number {i}-{j} about the harbour bridge.") for j in range(50)]
        s.put_articles(batch)
        i += 1
        print(i, flush=True)
    """
)


def test_killed_ingest_leaves_a_consistent_database(db_path: Path) -> None:
    """Kill a writer mid-stream: the database opens and holds every committed batch whole."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    committed = 0
    deadline = time.time() + 60
    while committed < 5 and time.time() < deadline:
        committed = int(proc.stdout.readline().strip() or committed)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert committed >= 5
    with Store(db_path) as s:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = s.count_articles()
    assert n >= committed * 50
    assert n % 50 == 0, "a batch was half written"
    # FTS index agrees with the table
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == n


def test_outlets_are_counted_from_site_or_host(store: Store) -> None:
    store.put_articles(
        [
            make("First report on the harbour.", site="Coastal Times"),
            make("Second report on the harbour.", url="https://www.harbour-news.example/a"),
            make("Third report on the harbour.", url="https://harbour-news.example/b"),
            make("A note with no source at all."),
        ]
    )
    assert store.count_outlets() == 2
    # Metadata merged in later also sets the outlet.
    store.put_articles([make("A note with no source at all.", site="Night Desk")])
    assert store.count_outlets() == 3


def test_outlet_migration_backfills_an_older_database(db_path: Path) -> None:
    with Store(db_path) as s:
        s.put_articles([make("An older article.", url="https://old.example/x")])
        with s.conn:
            s.conn.execute("DROP INDEX articles_outlet")
            s.conn.execute("ALTER TABLE articles DROP COLUMN outlet")
            s.conn.execute("DELETE FROM _migrations WHERE name = '0006_outlets'")
    with Store(db_path) as s:
        assert s.count_outlets() == 1
        assert s.conn.execute("SELECT outlet FROM articles").fetchone()[0] == "old.example"


def test_embeddings_round_trip_and_follow_their_article(store: Store) -> None:
    arts = [make(f"Article number {i} of the embedding test.") for i in range(3)]
    store.put_articles(arts)
    vectors = {a.id: np.full(4, i + 0.5, dtype=np.float32) for i, a in enumerate(arts)}
    store.put_embeddings("m", dict(reversed(vectors.items())))
    got = store.get_embeddings("m", [a.id for a in arts] + ["nope"])
    assert set(got) == set(vectors)
    assert all(np.array_equal(got[k], v) for k, v in vectors.items())
    assert store.get_embeddings("other", [arts[0].id]) == {}
    with store.transaction() as conn:
        conn.execute("DELETE FROM articles WHERE id = ?", (arts[0].id,))
    assert set(store.get_embeddings("m", list(vectors))) == {arts[1].id, arts[2].id}


def test_embeddings_of_an_unknown_article_are_refused(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no article"):
        store.put_embeddings("m", {"0" * 24: np.zeros(4, dtype=np.float32)})


def test_embeddings_migration_keeps_the_vectors_of_an_older_database(db_path: Path) -> None:
    art = make("An article embedded before the embeddings were keyed by seq.")
    vector = np.arange(4, dtype="<f2")
    with Store(db_path) as s:
        s.put_articles([art])
        with s.conn:
            s.conn.execute("DROP TABLE embeddings")
            s.conn.execute(
                "CREATE TABLE embeddings (article_id TEXT NOT NULL REFERENCES articles (id) "
                "ON DELETE CASCADE, model TEXT NOT NULL, vector BLOB NOT NULL, "
                "PRIMARY KEY (article_id, model)) WITHOUT ROWID"
            )
            s.conn.execute("INSERT INTO embeddings VALUES (?, 'm', ?)", (art.id, vector.tobytes()))
            s.conn.execute("DELETE FROM _migrations WHERE name = '0012_embeddings_by_seq'")
    with Store(db_path) as s:
        assert np.array_equal(s.get_embeddings("m", [art.id])[art.id], vector)


def _anchor_keys(rng: np.random.Generator, n: int) -> list[int]:
    """``n`` anchor keys from a small space (so articles share some), the kind (1-3) in
    the low two bits as fingerprints write it, a few repeated."""
    keys = [
        int(k) * 4 + int(kind)
        for k, kind in zip(rng.integers(0, 60, n), rng.integers(1, 4, n), strict=True)
    ]
    return keys + keys[:2]


def test_anchors_of_a_batch_held_back_are_found_as_written_ones(tmp_path: Path) -> None:
    """Anchors held in an AnchorBatch (written at the end of a batch, in key order) are
    found by anchor_candidates as if written one article at a time, and leave the same
    tables once written: postings, article counts per key (common keys counted, not
    posted) and counts per article. Reading the written index once per held batch
    (stored_anchors, as provenance.update does) finds the same too."""
    from unspin.store.relations import AnchorBatch

    rng = np.random.default_rng(5)
    texts = [f"Article number {i} of the anchor batch test." for i in range(24)]
    paths = [tmp_path / "written.db", tmp_path / "held.db", tmp_path / "viewed.db"]
    stores = [Store(p) for p in paths]
    found: list[list[object]] = [[], [], []]
    keys = [_anchor_keys(rng, 12) for _ in texts]
    for store in stores:
        store.put_articles([Article.create(t) for t in texts])
    seqs = stores[0].article_seqs([Article.create(t).id for t in texts])
    ids = [Article.create(t).id for t in texts]
    every_key = [k for ks in keys for k in ks]
    for which, store in enumerate(stores):
        batch = AnchorBatch()
        view = store.stored_anchors(every_key, max_df=4) if which == 2 else None
        for i, article_id in enumerate(ids):
            if which and i == 10:  # the first ten written, the rest held back
                store.put_anchor_batch(batch)
                batch = AnchorBatch()
                view = store.stored_anchors(every_key, max_df=4) if which == 2 else None
            hits, common = store.anchor_candidates(
                keys[i],
                exclude=seqs[article_id],
                max_df=4,
                min_shared=(2, 2, 1),
                pending=batch if which else None,
                stored=view,
            )
            found[which].append((hits, common))
            if which == 0:
                one = AnchorBatch()  # written before the next article is looked up
                one.add(seqs[article_id], article_id, keys[i], common)
                store.put_anchor_batch(one)
            else:
                batch.add(seqs[article_id], article_id, keys[i], common)
        if which:
            store.put_anchor_batch(batch)
    assert found[0] == found[1] == found[2]
    assert any(hits for hits, _ in found[0]) and any(common for _, common in found[0])
    tables = []
    for store in stores:
        q = store.conn.execute
        tables.append(
            [
                *_index_tables(store)[1:],  # postings and article counts, main and recent
                q("SELECT * FROM provenance_anchor_counts ORDER BY seq").fetchall(),
            ]
        )
        store.close()
    written = [[tuple(r) for r in t] for t in tables[0]]
    assert written == [[tuple(r) for r in t] for t in tables[1]]
    assert written == [[tuple(r) for r in t] for t in tables[2]]


@settings(max_examples=200, deadline=None)
@given(
    stored=st.dictionaries(
        st.integers(0, 40), st.lists(st.integers(0, 30), max_size=8, unique=True), max_size=25
    ),
    held=st.dictionaries(
        st.integers(0, 40), st.lists(st.integers(31, 40), max_size=4, unique=True), max_size=10
    ),
    rare=st.lists(st.integers(0, 40), max_size=30, unique=True),
    exclude=st.integers(0, 40),
    min_shared=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4)),
)
def test_shared_anchors_counted_at_once_equal_a_count_posting_by_posting(
    stored: dict[int, list[int]],
    held: dict[int, list[int]],
    rare: list[int],
    exclude: int,
    min_shared: tuple[int, int, int],
) -> None:
    """The articles sharing rare anchors with a lookup, and how many of each kind, as
    anchor_candidates counts them (numpy, over all postings at once), equal a count
    posting by posting over the written and the held-back postings: kind 0 keys ignored,
    the querying article left out, hits in ascending order."""
    from unspin.store.relations import AnchorBatch, _shared_by_kind

    def posting_by_posting(
        sources: list[dict[int, list[int]]],
    ) -> list[tuple[int, tuple[int, ...]]]:
        shared: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for postings in sources:
            for k in rare:
                if k & 3:
                    for seq in postings.get(k, ()):
                        if seq != exclude:
                            shared[seq][(k & 3) - 1] += 1
        return [
            (seq, tuple(c))
            for seq, c in sorted(shared.items())
            if any(c[i] >= min_shared[i] for i in range(3))
        ]

    both = _shared_by_kind(rare, stored, AnchorBatch(postings=held), exclude, min_shared)
    assert list(zip(*both, strict=True)) == posting_by_posting([stored, held])
    assert all(type(seq) is int for seq in both[0])
    alone = _shared_by_kind(rare, stored, None, exclude, min_shared)
    assert list(zip(*alone, strict=True)) == posting_by_posting([stored])


def _index_tables(store: Store) -> list[list[tuple[int, ...]]]:
    """The band and anchor index as lookups read it: main and recent tables together."""
    q = store.conn.execute
    df: dict[int, int] = defaultdict(int)
    for table in ("provenance_anchor_df", "provenance_anchor_df_recent"):
        for k, n in q(f"SELECT key, n FROM {table}"):
            df[int(k)] += int(n)
    return [
        sorted(
            tuple(r)
            for t in ("provenance_bands", "provenance_bands_recent")
            for r in q(f"SELECT key, seq FROM {t}")
        ),
        sorted(
            tuple(r)
            for t in ("provenance_anchors", "provenance_anchors_recent")
            for r in q(f"SELECT key, seq FROM {t}")
        ),
        sorted(df.items()),
    ]


def test_the_recent_index_reads_as_one_with_the_main_one(tmp_path: Path) -> None:
    """Postings written by adds wait in the recent tables; lookups read them beside the
    main ones. Whatever the split between the two (all in main as a rebuild writes,
    half in each, merged), every band and anchor lookup finds the same, and merging
    leaves the main tables as a rebuild would with the recent ones empty."""
    from unspin.store.relations import AnchorBatch

    rng = np.random.default_rng(11)
    texts = [f"Article number {i} of the recent index test." for i in range(30)]
    ids = [Article.create(t).id for t in texts]
    anchor_keys = [_anchor_keys(rng, 10) for _ in texts]
    band_keys = [[int(k) for k in rng.integers(0, 40, 8)] for _ in texts]
    stores = [Store(tmp_path / "main.db"), Store(tmp_path / "split.db")]
    for store in stores:
        store.put_articles([Article.create(t) for t in texts])
    seqs = stores[0].article_seqs(ids)

    def bulk(store: Store, part: range) -> None:
        store.put_bands_bulk(
            sorted((k, seqs[ids[i]]) for i in part for k in set(band_keys[i])),
            (seqs[ids[i]] for i in part),
        )
        store.put_anchors_bulk(sorted({(k, seqs[ids[i]]) for i in part for k in anchor_keys[i]}))

    bulk(stores[0], range(len(texts)))
    bulk(stores[1], range(12))
    batch = AnchorBatch()
    for i in range(12, len(texts)):  # as provenance.update writes an add's articles
        stores[1].put_bands(seqs[ids[i]], band_keys[i])
        batch.add(seqs[ids[i]], ids[i], list(dict.fromkeys(anchor_keys[i])), frozenset())
    stores[1].put_anchor_batch(batch)

    def lookups(store: Store) -> list[object]:
        found: list[object] = []
        for i, article_id in enumerate(ids):
            seq = seqs[article_id]
            found.append(store.band_candidates(band_keys[i], exclude=seq, limit=5))
            found.append(store.anchor_candidates(anchor_keys[i], exclude=seq, max_df=3))
        return found

    whole = lookups(stores[0])
    assert any(whole[0::2]) and any(hits for hits, _ in whole[1::2])
    assert any(common for _, common in whole[1::2])
    recent = stores[1].conn.execute("SELECT COUNT(*) FROM provenance_anchors_recent")
    assert recent.fetchone()[0] > 0
    assert lookups(stores[1]) == whole
    assert _index_tables(stores[1]) == _index_tables(stores[0])
    stores[1].merge_recent_index()
    assert lookups(stores[1]) == whole
    q = stores[1].conn.execute
    for table in (
        "provenance_bands_recent",
        "provenance_anchors_recent",
        "provenance_anchor_df_recent",
        "provenance_recent_seqs",
    ):
        assert q(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    main = [
        q("SELECT key, seq FROM provenance_bands ORDER BY key, seq").fetchall(),
        q("SELECT key, seq FROM provenance_anchors ORDER BY key, seq").fetchall(),
        q("SELECT key, n FROM provenance_anchor_df ORDER BY key").fetchall(),
    ]
    assert [[tuple(r) for r in t] for t in main] == _index_tables(stores[0])
    for store in stores:
        store.close()


def test_the_recent_index_is_merged_once_it_holds_enough_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """settle_recent_index merges only past both the least number of articles and the
    share of the indexed ones, and a rebuild empties the recent tables with the rest."""
    from unspin.store import relations

    monkeypatch.setattr(relations, "RECENT_MIN_ARTICLES", 2)
    monkeypatch.setattr(relations, "RECENT_SHARE", 0.3)
    texts = [f"Article number {i} of the merge test." for i in range(8)]
    with Store(tmp_path / "m.db") as store:
        store.put_articles([Article.create(t) for t in texts])
        seqs = sorted(store.article_seqs([Article.create(t).id for t in texts]).values())
        store.put_bands_bulk([(1, s) for s in seqs[:4]], seqs[:4])
        q = store.conn.execute

        def recent() -> int:
            return int(q("SELECT COUNT(*) FROM provenance_recent_seqs").fetchone()[0])

        store.put_bands(seqs[4], [1, 2])
        store.put_bands(seqs[5], [])  # nothing posted: not counted as waiting
        assert recent() == 1 and not store.settle_recent_index()  # fewer than 2
        store.put_bands(seqs[6], [2])
        assert recent() == 2 and not store.settle_recent_index()  # under 0.3 of 7 indexed
        store.put_bands(seqs[7], [3])
        assert recent() == 3 and store.settle_recent_index()  # 0.3 of 8 is 2.4
        assert recent() == 0
        assert q("SELECT COUNT(*) FROM provenance_bands_recent").fetchone()[0] == 0
        assert q("SELECT COUNT(*) FROM provenance_bands").fetchone()[0] == 8
        store.put_bands(seqs[7] + 1, [4])  # a seq with no article: still just a posting
        store.clear_provenance()
        assert recent() == 0
        assert q("SELECT COUNT(*) FROM provenance_bands_recent").fetchone()[0] == 0


def _plans(store: Store, call) -> list[str]:
    """The query plans of the SELECTs on ``relations`` that ``call()`` runs."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.conn.set_trace_callback(None)
    plans = []
    for sql in seen:
        if sql.lstrip().upper().startswith("SELECT") and "FROM relations" in sql:
            rows = store.conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            plans.append(" | ".join(str(r[-1]) for r in rows))
    return plans


def test_copy_sources_name_the_surest_source_and_read_by_the_copy_index(store: Store) -> None:
    a, b, c, d = (make(f"Copy source test article {k} with its own words.") for k in "abcd")
    store.put_articles([a, b, c, d])
    # d copies a, b and c: b is the surest; a and c tie below it.
    store.put_relations(
        [
            relation(a.id, d.id, "edited_copy", 0.7),
            relation(b.id, d.id, "spun_copy", 0.9),
            relation(c.id, d.id, "edited_copy", 0.7),
        ]
    )
    assert store.copy_sources([d.id]) == {d.id: b.id}
    store.put_relations([relation(b.id, d.id, "spun_copy", 0.5)])
    # A tie goes to the relation found first of the first kind: a before c.
    assert store.copy_sources([d.id, a.id]) == {d.id: a.id}
    # A batch asks for hundreds of ids at once (the plan the planner picks for those).
    many = [d.id, *(f"{k:020x}" for k in range(499))]
    plans = _plans(store, lambda: store.copy_sources(many))
    assert plans and all("relations_copy" in p for p in plans), plans


def test_unlearned_copy_relations_read_by_the_id_indexes(store: Store) -> None:
    a, b = (make(f"Unlearned copy test article {k} with its own words.") for k in "ab")
    store.put_articles([a, b])
    store.put_relations([relation(a.id, b.id, "edited_copy", 0.8)])
    assert [(r.source_id, r.copy_id) for r in store.unlearned_copy_relations([b.id])] == [
        (a.id, b.id)
    ]
    many = [b.id, *(f"{k:020x}" for k in range(399))]
    plans = _plans(store, lambda: store.unlearned_copy_relations(many))
    assert plans and all("relations_kind" not in p for p in plans), plans
