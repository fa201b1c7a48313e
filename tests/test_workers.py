"""--jobs: per-article work in worker processes, with the same results as one process."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from _corpus import articles, start_unspin, write_jsonl
from unspin import Unspin
from unspin.pipeline import PipelineConfig
from unspin.workers import (
    BACKGROUND_PER_JOB,
    CHUNK_ITEMS,
    MIN_PARALLEL_ITEMS,
    WORKER_NICE,
    Workers,
    default_jobs,
)

_STORE_ONLY = PipelineConfig(provenance=False, stories=False, claims=False)


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_map_keeps_input_order_and_uses_other_processes() -> None:
    items = list(range(MIN_PARALLEL_ITEMS * 4))
    with Workers(2) as workers:
        out = workers.map(_square_and_pid, items)
    assert [v for v, _ in out] == [x * x for x in items]
    assert {pid for _, pid in out} - {os.getpid()}, "the work ran in worker processes"


def test_stream_keeps_input_order_and_uses_other_processes() -> None:
    """Items handed over one at a time (a last partial chunk included) come back in input
    order; full chunks ran on the workers, and a short stream runs here."""
    items = list(range(MIN_PARALLEL_ITEMS * 3 + 5))
    with Workers(2) as workers:
        stream = workers.stream(_square_and_pid, expected=len(items))
        for x in items:
            stream.put(x)
        out = stream.results()
        short = workers.stream(_square_and_pid, expected=MIN_PARALLEL_ITEMS - 1)
        for x in items:
            short.put(x)
        here = short.results()
    assert [v for v, _ in out] == [x * x for x in items]
    assert {pid for _, pid in out} - {os.getpid()}, "the work ran in worker processes"
    assert out[-1][1] == os.getpid(), "the last partial chunk ran here"
    assert [v for v, _ in here] == [x * x for x in items]
    assert {pid for _, pid in here} == {os.getpid()}


def test_background_work_runs_on_the_workers_while_the_writer_streams() -> None:
    """Background work is taken up while the writer hands the workers its own (the pool
    started by a stream), and comes back complete and in input order."""
    background = list(range(1000, 1000 + MIN_PARALLEL_ITEMS * 4 + 3))
    items = list(range(MIN_PARALLEL_ITEMS * 2))
    with Workers(2) as workers:
        work = workers.background(_square_and_pid, background)
        stream = workers.stream(_square_and_pid, expected=len(items))
        for x in items:
            stream.put(x)
        out = stream.results()
        early = work.handed_over  # chunks the workers took up before the collect
        done = workers.collect(work)
    assert [v for v, _ in out] == [x * x for x in items]
    assert [v for v, _ in done] == [x * x for x in background]
    assert {pid for _, pid in done} - {os.getpid()}, "the background ran in worker processes"
    assert early >= BACKGROUND_PER_JOB * 2, "topped up as the writer handed over work"


def _niceness(_: int) -> int:
    return os.nice(0)


def test_background_work_keeps_going_while_the_writer_hands_over_nothing() -> None:
    """Once the pool runs, background chunks are handed over as earlier ones finish
    (the feeder thread), not only when the writer calls: a writer busy with work of its
    own finds the background done."""
    background = list(range(CHUNK_ITEMS * BACKGROUND_PER_JOB * 2 * 5))
    with Workers(2) as workers:
        work = workers.background(_square_and_pid, background)
        workers.map(_square_and_pid, list(range(MIN_PARALLEL_ITEMS)))  # starts the pool
        workers.top_up()  # as the writer does each time it hands over work
        deadline = time.monotonic() + 20
        while not work.exhausted and time.monotonic() < deadline:
            time.sleep(0.02)  # the writer's own work: no call into the pool
        exhausted = work.exhausted
        done = workers.collect(work)
    assert exhausted, "every chunk was handed over without the writer"
    assert [v for v, _ in done] == [x * x for x in background]
    assert {pid for _, pid in done} - {os.getpid()}


def _slow_square(x: int) -> int:
    time.sleep(0.01)  # enough that the pool breaks long before this work is done
    return x * x


def _dies_on_five(x: int) -> int:
    if x == 5:
        os._exit(1)  # a worker killed mid-chunk (out of memory, kill -9)
    return x


def test_a_worker_dying_in_background_work_fails_the_collect_not_the_feeder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pool breaks under the feeder thread: the writer gets the error when it
    collects, and the thread ends quietly (no unhandled exception)."""
    import threading
    from concurrent.futures.process import BrokenProcessPool

    raised: list[object] = []
    monkeypatch.setattr(threading, "excepthook", raised.append)
    with Workers(2) as workers:
        work = workers.background(_dies_on_five, list(range(CHUNK_ITEMS * 20)))
        more = workers.background(_slow_square, list(range(CHUNK_ITEMS * 40)))
        workers.map(_square_and_pid, list(range(MIN_PARALLEL_ITEMS)))  # starts the pool
        workers.top_up()
        deadline = time.monotonic() + 20
        while workers._feeder is not None and time.monotonic() < deadline:
            time.sleep(0.02)  # the feeder meets the broken pool handing over more work
        with pytest.raises(BrokenProcessPool):
            workers.collect(work)
        with pytest.raises(BrokenProcessPool):
            workers.collect(more)
    assert raised == []


def test_workers_yield_a_contended_core_to_the_writer() -> None:
    mine = os.nice(0)
    with Workers(2) as workers:
        theirs = set(workers.map(_niceness, list(range(MIN_PARALLEL_ITEMS))))
    assert theirs == {min(19, mine + WORKER_NICE)}


def test_background_work_without_a_pool_is_done_when_collected() -> None:
    background = list(range(MIN_PARALLEL_ITEMS * 2))
    with Workers(1) as workers:
        work = workers.background(_square_and_pid, background)
        done = workers.collect(work)
    with Workers(2) as workers:  # nothing started the pool: collecting starts it
        parallel = workers.collect(workers.background(_square_and_pid, background))
    assert [v for v, _ in done] == [v for v, _ in parallel] == [x * x for x in background]
    assert {pid for _, pid in done} == {os.getpid()}
    assert {pid for _, pid in parallel} - {os.getpid()}


def _slow_last_chunk(x: int) -> tuple[int, float]:
    if x >= CHUNK_ITEMS * 3:  # the last chunk takes a while
        time.sleep(0.5)
    return x * x, time.monotonic()


def test_collecting_one_result_at_a_time_hands_the_rest_over_at_once() -> None:
    """collect_iter hands every chunk not yet taken up to the workers before the first
    result is asked for, and gives each result as soon as its chunk is done: the writer
    has the first results while the workers still do the last."""
    background = list(range(CHUNK_ITEMS * 4))
    with Workers(2) as workers:
        work = workers.background(_slow_last_chunk, background)
        results = workers.collect_iter(work)
        exhausted = work.exhausted  # before the first result is asked for
        first_value, _ = next(results)
        got_first = time.monotonic()
        rest = list(results)
    assert exhausted, "every chunk was handed over when the collect began"
    assert [first_value] + [v for v, _ in rest] == [x * x for x in background]
    finished_last = max(t for _, t in rest)
    assert got_first < finished_last, "the first result came before the last chunk was done"
    with Workers(1) as workers:  # no pool: the chunks are done here, in order
        here = list(workers.collect_iter(workers.background(_square_and_pid, background)))
    assert [v for v, _ in here] == [x * x for x in background]


def test_small_batches_and_one_job_stay_in_this_process() -> None:
    with Workers(2) as workers:
        few = workers.map(_square_and_pid, list(range(MIN_PARALLEL_ITEMS - 1)))
    with Workers(1) as workers:
        many = workers.map(_square_and_pid, list(range(MIN_PARALLEL_ITEMS * 2)))
    assert {pid for _, pid in few + many} == {os.getpid()}


def test_jobs_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Workers(0)
    assert default_jobs() >= 1


def _everything(db: Path) -> dict[str, Any]:
    """Every row the later stages wrote that does not depend on the clock."""
    con = sqlite3.connect(db)
    q = con.execute
    try:
        return {
            "relations": q(
                "SELECT source_id, copy_id, kind, confidence, reused, coverage, direction "
                "FROM relations ORDER BY source_id, copy_id"
            ).fetchall(),
            "claims": q(
                'SELECT article_id, pos, kind, start, "end", data FROM claims ORDER BY article_id, pos'
            ).fetchall(),
            "members": q(
                "SELECT s.id, m.article_id, m.score, m.reason FROM story_members m JOIN stories s "
                "ON s.id = m.story_id ORDER BY m.article_id"
            ).fetchall(),
            # Story signals run on the workers: the vectors and term counts they leave.
            "embeddings": q(
                "SELECT a.id, e.model, e.vector FROM embeddings e "
                "JOIN articles a ON a.seq = e.article_seq ORDER BY a.id, e.model"
            ).fetchall(),
            "stories": q(
                "SELECT id, title, title_article, n_articles, vector_sum, terms, merged_into "
                "FROM stories ORDER BY id"
            ).fetchall(),
            "merges": q(
                "SELECT kept, absorbed, article_id, score, reason FROM story_merges ORDER BY id"
            ).fetchall(),
            "substitutions": q("SELECT COUNT(*) FROM spin_substitutions").fetchone()[0],
            # Extraction and cleaning run on the workers too (ingest.built_articles).
            "articles": q(
                "SELECT seq, id, title, site, author, published, text FROM articles ORDER BY seq"
            ).fetchall(),
            # A batch's anchors are written at its end (store.relations.AnchorBatch).
            # ... to the recent index (store.relations, migration 0015_provenance_recent).
            "anchors": q(
                "SELECT key, seq FROM provenance_anchors UNION ALL "
                "SELECT key, seq FROM provenance_anchors_recent ORDER BY key, seq"
            ).fetchall(),
            "anchor_df": q(
                "SELECT key, n FROM provenance_anchor_df UNION ALL "
                "SELECT key, n FROM provenance_anchor_df_recent ORDER BY key"
            ).fetchall(),
            "bands": q(
                "SELECT key, seq FROM provenance_bands UNION ALL "
                "SELECT key, seq FROM provenance_bands_recent ORDER BY key, seq"
            ).fetchall(),
            "anchor_counts": q(
                "SELECT seq, word, stable, name FROM provenance_anchor_counts ORDER BY seq"
            ).fetchall(),
        }
    finally:
        con.close()


def test_add_gives_the_same_results_whatever_the_jobs(tmp_path: Path) -> None:
    """A batch large enough for the workers to take part: relations, claims and stories
    equal row for row between --jobs 1 and --jobs 2."""
    src = write_jsonl(tmp_path / "batch.jsonl", articles(150, seed=7))
    results = []
    for jobs in ("1", "2"):
        db = tmp_path / f"jobs{jobs}.db"
        proc = start_unspin(db, "add", str(src), "--jobs", jobs)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(_everything(db))
    one, two = results
    assert one["relations"] and one["claims"] and one["members"] and one["embeddings"]
    assert one == two


def test_anchors_held_to_the_end_of_a_batch_find_what_written_ones_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Provenance indexing writes a transaction's anchors at its end. Indexed one
    article per transaction (each written before the next is looked up), in several
    batches per transaction and several transactions, and all in one, the store holds
    the same relations and the same anchor tables (the lookups themselves:
    tests/test_store.py)."""
    from unspin.pipeline import PipelineConfig, run_pending
    from unspin.provenance import index
    from unspin.store import Store

    records = articles(120, seed=11)
    results = []
    for batch, commit in ((1, 1), (16, 48), (index.UPDATE_BATCH, index.COMMIT_BATCH)):
        monkeypatch.setattr(index, "UPDATE_BATCH", batch)
        monkeypatch.setattr(index, "COMMIT_BATCH", commit)
        db = tmp_path / f"batch{batch}.db"
        with Unspin(db) as u:
            u.add([str(write_jsonl(tmp_path / "in.jsonl", records))], pipeline=_STORE_ONLY)
        with Store(db) as store:
            run_pending(store, PipelineConfig(stories=False, claims=False))
        got = _everything(db)
        results.append({k: got[k] for k in ("relations", "anchors", "anchor_df", "anchor_counts")})
    one, several, many = results
    assert one["relations"] and one["anchors"]
    # Copies within the batch share anchors that only the batch's own articles hold.
    assert any(n > 1 for _, n in one["anchor_df"])
    assert one == several == many


def test_built_articles_on_workers_keep_every_outcome_in_order(tmp_path: Path) -> None:
    """Articles built on two workers are the ones built here, failures included, in the
    order read."""
    from unspin.ingest import IngestFailure, built_articles, iter_articles, read_deferred

    records: list[Any] = list(articles(60, seed=3))
    records[5] = {"url": "https://example.com/empty", "text": "   "}
    records[40] = {"url": "https://example.com/none"}
    src = write_jsonl(tmp_path / "mixed.jsonl", records)
    here = list(iter_articles([str(src)]))
    with Workers(2) as workers:
        there = list(built_articles(read_deferred([str(src)]), workers))
    assert [type(x) for x in there] == [type(x) for x in here]
    assert [str(x) for x in there if isinstance(x, IngestFailure)] == [
        str(x) for x in here if isinstance(x, IngestFailure)
    ]
    assert len([x for x in here if isinstance(x, IngestFailure)]) == 2
    assert [(a.id, a.text, a.title) for a in there if not isinstance(a, IngestFailure)] == [
        (a.id, a.text, a.title) for a in here if not isinstance(a, IngestFailure)
    ]


def test_rebuild_on_workers_gives_the_relations_of_one_process(tmp_path: Path) -> None:
    """A provenance rebuild fingerprinting its articles and verifying its candidate pairs
    on two workers, in items of a few texts and blocks of a few pairs (so several are in
    flight), stores the relations one process does."""
    from unspin import Unspin
    from unspin.provenance import index

    src = write_jsonl(tmp_path / "batch.jsonl", articles(150, seed=7))
    db = tmp_path / "u.db"
    with Unspin(db) as u:
        u.add([str(src)])
    before = _everything(db)["relations"]
    assert before
    block, item = index._VERIFY_BLOCK, index._BATCH_INPUTS_ITEM
    index._VERIFY_BLOCK, index._BATCH_INPUTS_ITEM = 40, 30
    try:
        with Unspin(db) as u:
            counts = u.rebuild_provenance(jobs=2)
    finally:
        index._VERIFY_BLOCK, index._BATCH_INPUTS_ITEM = block, item
    assert counts["candidates"] > 3 * 40
    assert _everything(db)["relations"] == before


def test_index_inputs_on_workers_equal_the_whole_batch() -> None:
    """Fingerprints and neighbour vectors computed on two workers, sixteen texts at a time,
    equal those of the whole batch in one call, byte for byte."""
    import numpy as np

    from unspin.provenance.fingerprint import fingerprints
    from unspin.provenance.index import _index_inputs
    from unspin.provenance.neighbours import neighbour_vectors

    texts = [a["text"] for a in articles(80, seed=11)]
    items = [texts[k : k + 16] for k in range(0, len(texts), 16)]
    with Workers(2) as workers:
        parts = workers.collect(workers.background(_index_inputs, items, min_items=2))
    fps = [fp for part, _ in parts for fp in part]
    vectors = np.concatenate([v for _, v in parts])
    whole = fingerprints(texts)
    assert [
        (f.keys.tobytes(), f.word_shingles, f.stable_shingles, f.anchors.tobytes()) for f in fps
    ] == [
        (f.keys.tobytes(), f.word_shingles, f.stable_shingles, f.anchors.tobytes()) for f in whole
    ]
    assert vectors.tobytes() == neighbour_vectors(texts).tobytes()


def test_batch_inputs_on_workers_equal_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """``batch_inputs`` spreads a batch over the workers in items (here of 25 texts) and
    returns what one process computes, in input order, byte for byte."""
    from unspin.provenance import index

    texts = [a["text"] for a in articles(90, seed=5)]
    one_fps, one_vectors = index.batch_inputs(texts)
    monkeypatch.setattr(index, "_BATCH_INPUTS_ITEM", 25)
    with Workers(2) as workers:
        fps, vectors = index.batch_inputs(texts, workers)
        assert workers._pool is not None  # the items went to the workers
    assert [(f.keys.tobytes(), f.anchors.tobytes()) for f in fps] == [
        (f.keys.tobytes(), f.anchors.tobytes()) for f in one_fps
    ]
    assert vectors.tobytes() == one_vectors.tobytes()


def test_story_signals_are_the_same_on_workers() -> None:
    """Each article's story signals (WordPiece, static embedding, names and numbers)
    computed on two workers, one article at a time, equal the one-process batch byte
    for byte, in input order."""
    from unspin.embed import StaticEmbedder
    from unspin.model import Article
    from unspin.stories.assign import _signals, signals

    batch = [Article.create(a["text"]) for a in articles(MIN_PARALLEL_ITEMS * 2, seed=3)]
    here = signals(batch, StaticEmbedder.shared())
    with Workers(2) as workers:
        there = _signals(batch, None, workers)
    assert [s.id for s in there] == [a.id for a in batch]
    assert [s.vector.tobytes() for s in there] == [s.vector.tobytes() for s in here]
    assert [(s.terms, s.ts, s.title) for s in there] == [(s.terms, s.ts, s.title) for s in here]


def test_story_signals_prefetched_in_the_background_are_those_computed_here(
    tmp_path: Path,
) -> None:
    """An add's stories stage finds its signals computed ahead on the workers (the
    pipeline's early work): the prefetch covers the articles in no story yet, in ingest
    order, with the signals one process computes; the stage's batches mix prefetched
    and fresh ones in input order. One job, or too few articles: no prefetch."""
    from unspin.embed import StaticEmbedder
    from unspin.stories import prefetch
    from unspin.stories.assign import _signals, signals

    db = tmp_path / "p.db"
    records = articles(MIN_PARALLEL_ITEMS + 8, seed=5)
    with Unspin(db) as u:
        u.add([str(write_jsonl(tmp_path / "in.jsonl", records))], pipeline=_STORE_ONLY)
        store = u.store
        ids = [a.id for a in store.get_articles(store.unclustered_ids())]
        batch = store.get_articles(ids)
        here = signals(batch, StaticEmbedder.shared())
        with Workers(1) as one:
            assert prefetch(store, ids, one) is None
        with Workers(2) as workers:
            assert prefetch(store, ids[: MIN_PARALLEL_ITEMS - 1], workers) is None
            early = prefetch(store, ids, workers)
            assert early is not None and early.ids == ids
            got = workers.collect(early.work)
            # Half prefetched, half computed by the stage, in the batch's order.
            mixed = _signals(batch[::-1], None, workers, {s.id: s for s in got[: len(got) // 2]})
    assert [s.vector.tobytes() for s in got] == [s.vector.tobytes() for s in here]
    assert [(s.id, s.terms, s.ts) for s in got] == [(s.id, s.terms, s.ts) for s in here]
    assert [s.id for s in mixed] == [a.id for a in batch[::-1]]
    assert [s.vector.tobytes() for s in mixed] == [s.vector.tobytes() for s in here[::-1]]


def test_prefetched_claims_are_written_batch_by_batch_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claims stage writes each batch as soon as its prefetched claims are in (the
    workers extract the next meanwhile), mixing prefetched and freshly extracted
    articles in ingest order: the rows one process writes."""
    from unspin import claims

    monkeypatch.setattr(claims, "CLAIMS_BATCH", 16)
    monkeypatch.setattr(claims, "PREFETCH_ARTICLES", 40)  # the rest extracted by the stage
    records = articles(MIN_PARALLEL_ITEMS * 2 + 8, seed=11)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    rows = {}
    written: list[list[str]] = []
    for jobs in (1, 2):
        db = tmp_path / f"claims{jobs}.db"
        with Unspin(db) as u:
            u.add([str(src)], pipeline=_STORE_ONLY)
            store = u.store
            ids = store.unextracted_all(claims.EXTRACTOR_VERSION)
            if jobs == 2:
                put = store.put_claims_many

                def recording(items: Any, version: int, put: Any = put) -> int:
                    items = list(items)
                    written.append([i for i, _ in items])
                    return int(put(items, version))

                monkeypatch.setattr(store, "put_claims_many", recording)
            with Workers(jobs) as workers:
                early = claims.prefetch(store, ids, workers)
                assert (early is None) == (jobs == 1)
                claims.update(store, ids, workers, prefetched=early)
        rows[jobs] = _everything(db)["claims"]
    assert rows[1] and rows[1] == rows[2]
    assert written == [ids[k : k + 16] for k in range(0, len(ids), 16)]


def test_a_claim_crosses_to_the_writer_intact() -> None:
    """Claims are pickled as their constructor's arguments (model.Claim.__reduce__):
    every field, defaults and not, comes back, from a worker process too."""
    import pickle

    from unspin.model import Claim

    claim = Claim(
        "a1", "quote", 3, 9, "words", 0, 20, "the sentence", 2.5, "text", "minute", "age",
        "about", "Ann Lee", "said", "say", True, True, ("ctx", "words"), "dateline",
    )  # fmt: skip
    plain = Claim("a2", "date", 0, 4, "June", 0, 10, "In June it")
    assert pickle.loads(pickle.dumps([claim, plain])) == [claim, plain]
    with Workers(2) as workers:
        back = workers.map(_same, [claim, plain] * MIN_PARALLEL_ITEMS)
    assert back == [claim, plain] * MIN_PARALLEL_ITEMS


def _same(x: Any) -> Any:
    return x


def test_embedding_stops_at_max_tokens_with_the_same_ids() -> None:
    """Tokenising stops once max_tokens ids are found: the same ids as cutting the whole
    text's, specials ([UNK]) dropped before counting."""
    import numpy as np

    from unspin.embed import StaticEmbedder

    emb = StaticEmbedder.shared()
    text = " ".join(a["text"] for a in articles(3, seed=5)) + " " + "q" * 150 + " end"
    raw = np.fromiter(emb.tokenizer.encode(text), dtype=np.int64)
    assert emb._skip[raw].any(), "the text holds an [UNK] (a word over 100 characters)"
    full = raw[~emb._skip[raw]]
    for n in (0, 1, 7, 100, len(full) - 1, len(full), len(full) + 5):
        assert np.array_equal(emb.token_ids(text, n), full[:n]), n
    assert np.array_equal(emb.token_ids(text), full)


def test_thread_map_returns_every_result_in_input_order() -> None:
    """numpy work spread over threads comes back as a plain loop gives it, in order."""
    import numpy as np

    from unspin.workers import thread_map

    rng = np.random.default_rng(3)
    arrays = [rng.integers(0, 1000, size=5000 + k) for k in range(7)]
    assert [a.tolist() for a in thread_map(np.sort, arrays)] == [
        np.sort(a).tolist() for a in arrays
    ]
    assert thread_map(len, []) == []


def _threads_used_inside(n: int) -> bool:
    """In a worker: whether thread_map ran every item on the worker's own thread."""
    import threading

    from unspin.workers import thread_map

    return all(
        thread_map(lambda _: threading.current_thread() is threading.main_thread(), range(n))
    )


def test_thread_map_in_a_worker_uses_no_threads_of_its_own() -> None:
    """The pool already spreads work over the cores: inside a worker, thread_map runs on
    the worker's own thread, so two workers never run four threads on two cores."""
    with Workers(2) as workers:
        assert all(workers.map(_threads_used_inside, [6] * 40))
