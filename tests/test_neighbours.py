"""Embedding-neighbour candidates: a heavy spin that shares no fingerprint is found, the
same way in every path, and neighbours only propose (the verifier decides)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from provenance_samples import HEAVY_ORIGINAL, HEAVY_SPUN, ORIGINAL, SAME_STORY, UNRELATED
from unspin import provenance
from unspin.cli import app
from unspin.model import Article
from unspin.provenance.fingerprint import fingerprints
from unspin.provenance.index import NeighbourLookup, batch_candidates, verify
from unspin.provenance.neighbours import (
    NEIGHBOUR_BUCKET_READ,
    NEIGHBOUR_MAX,
    NEIGHBOUR_MIN_COSINE,
    NEIGHBOUR_TABLES,
    NEIGHBOUR_WINDOW_DAYS,
    bucket_predecessors,
    content_text,
    cosines,
    neighbour_keys,
    neighbour_pairs,
    neighbour_vectors,
)
from unspin.provenance.rewrite import sentence_embedder
from unspin.store import Store

runner = CliRunner()


def test_heavy_spin_is_proposed_by_its_neighbour_alone() -> None:
    texts = [HEAVY_ORIGINAL, UNRELATED, HEAVY_SPUN]
    fps = fingerprints(texts)
    assert batch_candidates(fps) == []  # no band, too few anchors
    vectors = neighbour_vectors(texts)
    assert batch_candidates(fps, vectors, [None] * 3) == [(0, 2, "meaning")]


def test_copies_names_the_original_of_a_heavy_spin(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in [("a", HEAVY_ORIGINAL), ("b", UNRELATED), ("c", HEAVY_SPUN)]:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "u.db"
    result = runner.invoke(app, ["--db", str(db), "add", "--no-claims", str(folder)])
    assert result.exit_code == 0, result.output
    out = runner.invoke(app, ["--db", str(db), "copies", "--json"])
    assert out.exit_code == 0, out.output
    relations = json.loads(out.output)["relations"]
    original, spun = Article.create(HEAVY_ORIGINAL).id, Article.create(HEAVY_SPUN).id
    assert [(r["source"], r["copy"], r["kind"]) for r in relations] == [
        (original, spun, "spun_copy")
    ]


def test_every_path_finds_the_same_neighbour_relations(tmp_path: Path) -> None:
    articles = [Article.create(t) for t in (HEAVY_ORIGINAL, ORIGINAL, UNRELATED, HEAVY_SPUN)]
    batch = {(r.source_id, r.copy_id, r.kind) for r in provenance.find_copies(articles)}
    assert (articles[0].id, articles[3].id, "spun_copy") in batch
    store = Store(tmp_path / "u.db")
    store.put_articles(articles)
    provenance.update(store, [a.id for a in articles])
    added = {(r.source_id, r.copy_id, r.kind) for r in store.copy_relations()}
    provenance.rebuild(store)
    rebuilt = {(r.source_id, r.copy_id, r.kind) for r in store.copy_relations()}
    assert added == rebuilt == batch


def test_a_neighbour_is_kept_only_as_a_spun_copy() -> None:
    a, b = Article.create(ORIGINAL), Article.create(SAME_STORY)
    assert [r.kind for r in verify([(a, b, "text")])] == ["same_story"]
    assert verify([(a, b, "meaning")]) == []
    o, s = Article.create(HEAVY_ORIGINAL), Article.create(HEAVY_SPUN)
    (rel,) = verify([(o, s, "meaning")])
    assert (rel.kind, rel.source_id) == ("spun_copy", o.id)


def test_dated_articles_far_apart_are_no_neighbours() -> None:
    vectors = neighbour_vectors([HEAVY_ORIGINAL, HEAVY_SPUN])
    day = 20_000
    none = np.empty(0, dtype=np.int64)
    assert neighbour_pairs(vectors, [day, day + 3], none) == [(0, 1)]
    assert neighbour_pairs(vectors, [day, day + 60], none) == []
    assert neighbour_pairs(vectors, [None, day + 60], none) == [(0, 1)]
    assert neighbour_pairs(vectors, [day, day + 3], np.array([0 * 2 + 1])) == []


def test_the_store_lookup_honours_the_time_window(tmp_path: Path) -> None:
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    far = [
        Article.create(HEAVY_ORIGINAL, published=t0),
        Article.create(HEAVY_SPUN, published=t0 + timedelta(days=90)),
    ]
    store = Store(tmp_path / "u.db")
    store.put_articles(far)
    report = provenance.update(store, [a.id for a in far])
    assert report.counts.get("candidates", 0) == 0
    assert store.copy_relations() == []
    near = [far[0], Article.create(HEAVY_SPUN, published=t0 + timedelta(days=2), url="x")]
    store = Store(tmp_path / "v.db")
    store.put_articles(near)
    report = provenance.update(store, [a.id for a in near])
    assert report.counts["candidates"] == 1 and report.counts["spun_copy"] == 1


def test_the_cached_lookup_answers_as_a_fresh_read_of_the_store(tmp_path: Path) -> None:
    # Few buckets of a tiny per-bucket read, so buckets fill, overflow and are read both
    # before and after the cache has them; every answer must be the store's own.
    rng = np.random.default_rng(7)
    articles = [Article.create(f"Article number {k} about topic {k % 5}.") for k in range(60)]
    store = Store(tmp_path / "u.db")
    store.put_articles(articles)
    seqs = store.article_seqs([a.id for a in articles])
    cached = NeighbourLookup(store, per_bucket=3)
    for k, article in enumerate(articles):
        keys = rng.integers(-1, 4, size=5).tolist()
        query = rng.integers(0, 4, size=3).tolist()
        seq = seqs[article.id]
        got_seqs, rows = cached.read(query, exclude=seq)
        latest: set[int] = set()
        for key in query:
            latest.update([s for s in store.neighbour_bucket(key, limit=4) if s != seq][:3])
        want = store.neighbour_rows(sorted(latest))
        ids = [cached.id_of(r) for r in rows.tolist()]
        days = [None if np.isnan(d) else int(d) for d in cached.days[rows]]
        assert list(zip(got_seqs.tolist(), ids, days, strict=True)) == [
            (s, i, d) for s, i, d, _ in want
        ]
        assert [v.astype(np.float16).tobytes() for v in cached.vectors[rows]] == [
            v for *_, v in want
        ]
        assert all(cached.seq_of(i) == s for s, i in zip(got_seqs.tolist(), ids, strict=True))
        vector = rng.standard_normal(8).astype(np.float16)
        cached.put(seq, article.id, k if k % 3 else None, vector, keys)


def test_keys_are_fixed_and_a_text_without_content_words_has_none() -> None:
    vectors = neighbour_vectors([HEAVY_ORIGINAL, "the of and 2024, 17 ."])
    keys = neighbour_keys(vectors)
    assert keys.shape == (2, NEIGHBOUR_TABLES)
    assert (keys[1] == -1).all() and (keys[0] >= 0).all()
    assert np.array_equal(keys[:1], neighbour_keys(neighbour_vectors([HEAVY_ORIGINAL])))


def test_bucket_predecessors_are_the_latest_members_before_each_article() -> None:
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 3, size=(150, 2)).astype(np.int64)
    keys[5] = -1
    got = {tuple(p) for p in bucket_predecessors(keys).tolist()}
    want = set()
    for t in range(keys.shape[1]):
        for j in range(len(keys)):
            if keys[j, t] < 0:
                continue
            before = [i for i in range(j) if keys[i, t] == keys[j, t]]
            want.update((i, j) for i in before[-NEIGHBOUR_BUCKET_READ:])
    assert got == want


def test_vectors_are_the_static_model_over_the_content_words() -> None:
    texts = [HEAVY_ORIGINAL, HEAVY_SPUN, ORIGINAL, "don't stop: 2024 Mayor O'Neill's plan"]
    model = sentence_embedder()
    want = model.encode([content_text(t) for t in texts])
    got = neighbour_vectors(texts).astype(np.float32)
    assert np.allclose(got, want, atol=2e-3)


def test_word_sums_filled_at_once_are_each_words_own_sum() -> None:
    """A batch's new words get their vectors in one pass (_WordVectors._fill): each the
    sum of its WordPiece vectors in order, to the last bit, as summing one word at a
    time gives; words of several pieces, of one, and of none (only [UNK]) included."""
    from unspin.provenance.neighbours import _WordVectors

    words = _WordVectors()
    text = (
        f"{HEAVY_ORIGINAL} {HEAVY_SPUN} antidisestablishmentarianism Pneumonoultramicroscopic "
        f"ŁÓDŹ naïve don't café storm storm {'x' * 120}"  # too long: [UNK], no piece
    )
    for chunk in text.split():
        words.chunks[chunk]  # ids given; vectors summed when read
    sums, pieces = words.sums(), words.pieces()
    assert len(words) > 30 and pieces.max() >= 4 and (pieces == 0).any()
    for word, i in words._ids.items():
        ids = words.model.token_ids(word)
        want = words.model.embeddings[ids].sum(axis=0) if len(ids) else np.zeros(words.dim)
        assert pieces[i] == len(ids)
        assert sums[i].tobytes() == want.astype(np.float32).tobytes(), word


def test_batch_pairs_are_each_articles_best_read_predecessors() -> None:
    rng = np.random.default_rng(5)
    base = rng.standard_normal((6, 256)).astype(np.float32)
    rows = base[rng.integers(0, 6, 300)] + 0.6 * rng.standard_normal((300, 256))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    vectors = rows.astype(np.float16)
    days = [None if d < 10 else int(d) for d in rng.integers(0, 100, 300)]
    keys = neighbour_keys(vectors)
    biggest = max(np.unique(keys[:, t], return_counts=True)[1].max() for t in range(len(keys[0])))
    assert biggest > NEIGHBOUR_BUCKET_READ  # buckets of more than one block
    read = bucket_predecessors(keys).tolist()
    exclude = {(i, j) for i, j in read[::7]}
    best: dict[int, list[tuple[float, int]]] = {}
    for i, j in read:
        sim = cosines(vectors[j], vectors[i][None, :])[0]
        di, dj = days[i], days[j]
        far = di is not None and dj is not None and abs(di - dj) > NEIGHBOUR_WINDOW_DAYS
        if sim >= NEIGHBOUR_MIN_COSINE and not far and (i, j) not in exclude:
            best.setdefault(j, []).append((-sim, i))
    want = sorted((i, j) for j, ranked in best.items() for _, i in sorted(ranked)[:NEIGHBOUR_MAX])
    assert len(want) > 100 and any(len(r) > NEIGHBOUR_MAX for r in best.values())
    taken = np.array(sorted(i * len(vectors) + j for i, j in exclude), dtype=np.int64)
    assert neighbour_pairs(vectors, days, taken) == want


def _best_by_loop(query, query_day, others, vectors, days, exclude):  # type: ignore[no-untyped-def]
    """best_neighbours written plainly, one candidate at a time (the reference)."""
    from unspin.provenance.neighbours import (
        NEIGHBOUR_MAX,
        NEIGHBOUR_MIN_COSINE,
        NEIGHBOUR_WINDOW_DAYS,
        cosines,
    )

    ranked = []
    for other, sim, day in zip(others, cosines(query, vectors).tolist(), days, strict=True):
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


def test_best_neighbours_are_those_a_plain_loop_finds() -> None:
    """Cosine floor, time window (undated kept: NaN), exclusions and ties to the
    smaller seq."""
    from unspin.provenance.neighbours import best_neighbours

    rng = np.random.default_rng(11)
    for trial in range(400):
        n = int(rng.integers(0, 30))
        base = rng.standard_normal(16)
        vecs = (base + rng.standard_normal((n, 16)) * rng.uniform(0.05, 1.5)).astype(np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        vecs16 = vecs.astype(np.float16)
        if n > 3 and trial % 5 == 0:
            vecs16[1] = vecs16[2]  # a tie
        query = (base / np.linalg.norm(base)).astype(np.float16)
        others = sorted(rng.choice(10_000, size=n, replace=False).tolist())
        days = [None if rng.random() < 0.3 else int(rng.integers(0, 20)) for _ in range(n)]
        day = None if rng.random() < 0.3 else int(rng.integers(0, 20))
        k = min(n, int(rng.integers(0, 4)))
        exclude = set(rng.choice(others, size=k, replace=False).tolist()) if k else set()
        want = _best_by_loop(query, day, others, vecs16, days, exclude)
        ids = np.array(others, dtype=np.int64)
        when = np.array([np.nan if d is None else d for d in days], dtype=np.float64)
        assert best_neighbours(query, day, ids, vecs16, when, exclude) == want
        # the lookup hands over float16 vectors widened to float32: the same answers
        got = best_neighbours(query, day, ids, vecs16.astype(np.float32), when, exclude)
        assert got == want
