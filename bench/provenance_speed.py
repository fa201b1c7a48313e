"""Copy-detection speed and memory: unspin's index vs datasketch's MinHashLSH.

Corpus: ``--size`` articles (default 100,000) made of real sentences (Wikinews and
ECB+), each a random mix of 8-20 sentences so every article is distinct; a tenth of
them are copies of others: verbatim (plus a credit line), hand-edited (a sentence
dropped, one added, one moved) or spun (30 % of content words, WordNet synonyms).

Measured in one run, each method in its own forked process (peak memory = its peak
RSS minus the RSS it started with; the corpus itself is shared):

* **unspin (batch)**: fingerprints (word + stable-token MinHash, LSH bands, and the
  containment anchors), one sort for all colliding pairs and one for all pairs sharing
  anchors, then verification of every candidate (alignment, or the rewrite check for
  pairs sharing only names and numbers), each later article's pairs together as the
  store's batch path hands them over: once in one process, once on one worker process
  per core (``unspin.workers``, as ``unspin add`` does by default); the pair sorts and
  the neighbour tables' products run on one thread per core in both
  (``unspin.workers.thread_map``);
* **datasketch**: ``MinHash(num_perm=96)`` over the same word 5-shingles (same word
  tokens, one regex findall), built with ``MinHash.generator`` (its bulk path, shared
  permutations), ``MinHashLSH(params=(32, 3))`` (the bands unspin uses for words),
  insert all, query each; no verification;
* **incremental add**: the corpus in a SQLite store, indexed (``provenance.rebuild``),
  then the median latency of adding one article (half of them copies of stored ones)
  and finding its copies through the persistent index (``provenance.update``).

Recall is the share of injected copy pairs each method reports (unspin: verified as a
copy; datasketch: returned as a candidate).

Run: .venv/bin/python bench/provenance_speed.py [--size 100000] [--adds 50]
     [--no-store | --store-only]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _spinner import WORDNET, load_wordnet, spin  # noqa: E402
from harness import (  # noqa: E402
    current_rss_mb,
    in_child,
    machine,
    peak_rss_mb,
    record_results,
    shared_data,
)
from unspin.model import COPY_KINDS, Article  # noqa: E402
from unspin.text import sentences  # noqa: E402
from unspin.workers import default_jobs  # noqa: E402

SEED = 11
# Word tokens as unspin.text.tokenize finds them (one findall; both methods use it).
_WORDS = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:\.[^\W\d_])+|\w+(?:['\-]\w+)*")
COPY_SHARE = 0.1


def sentence_pool() -> list[str]:
    pool: list[str] = []
    for year in ("2019", "2020"):
        with shared_data("wikinews", f"wikinews_{year}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if not row["title"].startswith("TEST PAGE"):
                    pool.extend(
                        s
                        for s in sentences(Article.create(row["text"]).text)
                        if len(s.split()) >= 6
                    )
    with shared_data("ecbplus", "ecbplus_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            pool.extend(s for s in sentences(json.loads(line)["text"]) if len(s.split()) >= 6)
    return pool


def build_corpus(size: int) -> tuple[list[str], set[tuple[int, int]], dict[tuple[int, int], str]]:
    """Texts, the injected (source, copy) index pairs, and each pair's kind."""
    rng = random.Random(SEED)
    pool = sentence_pool()
    syn = load_wordnet()
    n_copies = int(size * COPY_SHARE)
    texts = [" ".join(rng.sample(pool, rng.randint(8, 20))) for _ in range(size - n_copies)]
    truth: dict[tuple[int, int], str] = {}
    for c in range(n_copies):
        src = rng.randrange(len(texts))
        kind = ("duplicate", "edited", "spun")[c % 3]
        base = texts[src]
        if kind == "duplicate":
            copy = base + " Copyright 2021 Example News."
        elif kind == "edited":
            sents = sentences(base)
            sents.pop(rng.randrange(len(sents)))
            sents.insert(rng.randrange(len(sents) + 1), rng.choice(pool))
            sents.insert(rng.randrange(len(sents) + 1), sents.pop(rng.randrange(len(sents))))
            copy = " ".join(sents)
        else:
            copy = spin(base, 0.3, syn, rng).text
        texts.append(copy)
        truth[(src, len(texts) - 1)] = kind
    return texts, set(truth), truth


def _recall(found: set[tuple[int, int]], truth: dict[tuple[int, int], str]) -> dict[str, float]:
    by_kind: dict[str, list[bool]] = {}
    for (a, b), kind in truth.items():
        by_kind.setdefault(kind, []).append((min(a, b), max(a, b)) in found)
    out = {k: sum(v) / len(v) for k, v in by_kind.items()}
    out["all"] = sum(sum(v) for v in by_kind.values()) / len(truth)
    return out


def _pair_groups(
    articles: list[Article], pairs: Sequence[tuple[int, int, str]]
) -> tuple[
    list[list[tuple[Article, Article, Any]]], list[dict[frozenset[str], list[tuple[int, int]]]]
]:
    """The candidate pairs as ``verify`` takes them from the store's batch path
    (``provenance.index.by_later``), each later article's pairs together; and per group,
    the pairs of corpus indices behind each pair of article ids (identical texts share an
    id, and verify the same way)."""
    from unspin.provenance.index import by_later

    groups: list[list[tuple[Article, Article, Any]]] = []
    where: list[dict[frozenset[str], list[tuple[int, int]]]] = []
    last = -1
    for k in by_later(pairs):
        i, j, via = pairs[k]
        if j != last:
            groups.append([])
            where.append({})
            last = j
        groups[-1].append((articles[i], articles[j], via))
        where[-1].setdefault(frozenset((articles[i].id, articles[j].id)), []).append((i, j))
    return groups, where


def run_unspin(texts: list[str], truth: dict[tuple[int, int], str], jobs: int, out: Any) -> None:
    from unspin.provenance.index import batch_candidates, batch_inputs, verify, warm_tables
    from unspin.workers import Workers

    start_rss = current_rss_mb()
    if jobs > 1:
        warm_tables()  # before the workers fork, as the product does
    found: set[tuple[int, int]] = set()
    with Workers(jobs) as workers:
        t0 = time.perf_counter()
        # Fingerprints and neighbour vectors a thousand texts at a time, as
        # provenance.rebuild computes them (undated: no time window).
        fps: list[Any] = []
        parts = []
        for k in range(0, len(texts), 1000):
            chunk_fps, chunk_vectors = batch_inputs(texts[k : k + 1000], workers)
            fps.extend(chunk_fps)
            parts.append(chunk_vectors)
        vectors = np.concatenate(parts)
        t1 = time.perf_counter()
        pairs = batch_candidates(fps, vectors)  # LSH bands, containment anchors, neighbours
        t2 = time.perf_counter()
        articles = [Article.create(t) for t in texts]
        groups, where = _pair_groups(articles, pairs)
        for relations, pair_of in zip(workers.map(verify, groups), where, strict=True):
            for rel in relations:
                if rel.kind in COPY_KINDS:
                    found.update(pair_of[frozenset((rel.source_id, rel.copy_id))])
        t3 = time.perf_counter()
    cand = {(i, j) for i, j, _ in pairs}
    out.put(
        {
            "fingerprint_s": t1 - t0,
            "candidates_s": t2 - t1,
            "verify_s": t3 - t2,
            "candidates": len(pairs),
            "neighbour_candidates": sum(via == "meaning" for _, _, via in pairs),
            "found": len(found),
            "recall": _recall(found, truth),
            "candidate_recall": _recall(cand, truth),
            "peak_mb": peak_rss_mb() - start_rss,
        }
    )


def run_datasketch(texts: list[str], truth: dict[tuple[int, int], str], out: Any) -> None:
    from datasketch import MinHash, MinHashLSH

    start_rss = current_rss_mb()
    t0 = time.perf_counter()
    lsh = MinHashLSH(num_perm=96, params=(32, 3))

    def shingle_sets() -> Any:
        for text in texts:
            w = _WORDS.findall(text.lower())  # the same word tokens unspin fingerprints
            yield [" ".join(w[k : k + 5]).encode("utf-8") for k in range(max(1, len(w) - 4))]

    # MinHash.generator reuses one set of permutations (datasketch's fast bulk path).
    hashes = list(MinHash.generator(shingle_sets(), num_perm=96, seed=1))
    for i, m in enumerate(hashes):
        lsh.insert(i, m)
    t1 = time.perf_counter()
    found: set[tuple[int, int]] = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i:
                found.add((min(i, j), max(i, j)))
    t2 = time.perf_counter()
    out.put(
        {
            "index_s": t1 - t0,
            "query_s": t2 - t1,
            "found": len(found),
            "recall": _recall(found, truth),
            "peak_mb": peak_rss_mb() - start_rss,
        }
    )


def run_incremental(texts: list[str], adds: int, out: Any) -> None:
    from unspin import provenance
    from unspin.store import Store

    rng = random.Random(SEED + 1)
    syn = load_wordnet()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "speed.db")
        t0 = time.perf_counter()
        batch = [Article.create(t) for t in texts]
        for k in range(0, len(batch), 2000):
            store.put_articles(batch[k : k + 2000])
        t1 = time.perf_counter()
        counts = provenance.rebuild(store)
        t2 = time.perf_counter()
        latencies = []
        found = 0
        for n in range(adds):
            base = texts[rng.randrange(len(texts))]
            if n % 2:
                text = spin(base, 0.3, syn, rng).text
            else:
                sents = sentences(base)
                keep = sorted(rng.sample(range(len(sents)), k=max(2, len(sents) // 2)))
                text = " ".join(sents[k] for k in keep)
                text += f" Reported by desk {n}."
            article = Article.create(text)
            store.put_articles([article])
            s = time.perf_counter()
            res = provenance.update(store, [article.id]).counts
            latencies.append(time.perf_counter() - s)
            found += sum(v for k, v in res.items() if k in COPY_KINDS) > 0
        out.put(
            {
                "store_s": t1 - t0,
                "rebuild_s": t2 - t1,
                "rebuild_counts": counts,
                "median_add_ms": statistics.median(latencies) * 1000,
                "p90_add_ms": sorted(latencies)[int(0.9 * len(latencies))] * 1000,
                "adds_with_copy_found": found,
                "adds": adds,
            }
        )


def _store_lines(n: int, inc: dict[str, Any]) -> list[str]:
    return [
        f"- SQLite store of {n:,} articles: stored in {inc['store_s']:.0f} s, provenance index built and all pairs "
        f"verified (`provenance.rebuild`) in {inc['rebuild_s']:.0f} s ({inc['rebuild_counts']}).",
        f"- Adding one article to the {n:,}-article store and finding its copies (`provenance.update`): "
        f"median **{inc['median_add_ms']:.0f} ms**, p90 {inc['p90_add_ms']:.0f} ms over {inc['adds']} adds; "
        f"{inc['adds_with_copy_found']} of {inc['adds']} (all copies: excerpts or 30 % spins) found their source.",
    ]


def _record_store_only(
    args: argparse.Namespace, n: int, n_words: float, n_copies: int, inc: dict[str, Any]
) -> None:
    text = "\n".join(
        [
            f"Corpus: {n:,} articles ({n_words:.0f} words on average; real Wikinews/ECB+ sentences mixed), "
            f"{n_copies:,} injected copies. {machine()}. Incremental part only (`--store-only`).",
            "",
            *_store_lines(n, inc),
        ]
    )
    print(text)
    if not args.no_record:
        record_results(f"Provenance incremental add ({n:,} articles)", text, data=_data())


def _data() -> list[Path]:
    """The files the corpus is built from (their hash is stamped on the figures)."""
    return [shared_data("wikinews"), shared_data("ecbplus", "ecbplus_dev.jsonl"), WORDNET]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000, help="articles in the corpus")
    ap.add_argument("--adds", type=int, default=50, help="single adds timed against the store")
    ap.add_argument("--no-store", action="store_true", help="skip the SQLite incremental part")
    ap.add_argument(
        "--store-only", action="store_true", help="only the SQLite part (no batch comparison)"
    )
    ap.add_argument(
        "--no-record", action="store_true", help="print only; do not append to RESULTS.md"
    )
    args = ap.parse_args()
    t = time.perf_counter()
    texts, _pairs, truth = build_corpus(args.size)
    n_words = sum(len(x.split()) for x in texts) / len(texts)
    print(
        f"corpus: {len(texts)} articles, {len(truth)} injected copies, {n_words:.0f} words avg ({time.perf_counter() - t:.0f} s)"
    )
    n = len(texts)
    if args.store_only:
        inc = in_child(run_incremental, texts, args.adds)
        print("incremental", inc)
        _record_store_only(args, n, n_words, len(truth), inc)
        return
    jobs = default_jobs()
    ours = in_child(run_unspin, texts, truth, 1)
    print("unspin", ours)
    both = in_child(run_unspin, texts, truth, jobs) if jobs > 1 else None
    print(f"unspin --jobs {jobs}", both)
    peer = in_child(run_datasketch, texts, truth)
    print("datasketch", peer)
    inc = None if args.no_store else in_child(run_incremental, texts, args.adds)
    print("incremental", inc)

    ours_cand_s = ours["fingerprint_s"] + ours["candidates_s"]
    ours_total = ours_cand_s + ours["verify_s"]
    peer_total = peer["index_s"] + peer["query_s"]
    both_cand_s = both["fingerprint_s"] + both["candidates_s"] if both else 0.0
    both_total = both_cand_s + both["verify_s"] if both else 0.0

    def rec(r: dict[str, float]) -> str:
        return f"{r['all']:.3f} (dup {r['duplicate']:.3f}, edited {r['edited']:.3f}, spun {r['spun']:.3f})"

    body = [
        f"Corpus: {n:,} articles ({n_words:.0f} words on average; real Wikinews/ECB+ sentences mixed), "
        f"{len(truth):,} injected copies (a third each verbatim, hand-edited, spun 30 %). {machine()}.",
        "",
        "| method | time | articles/s | peak extra memory | pairs reported | recall of injected copies |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| unspin candidates (fingerprint + LSH sort; one process, its pair sorts on {jobs} threads) | {ours_cand_s:.1f} s | {n / ours_cand_s:,.0f} | "
        f"{ours['peak_mb']:.0f} MiB | {ours['candidates']:,} candidates | {rec(ours['candidate_recall'])} |",
        *(
            [
                f"| unspin candidates, fingerprints and vectors on {jobs} worker processes | "
                f"{both_cand_s:.1f} s | {n / both_cand_s:,.0f} | {both['peak_mb']:.0f} MiB (main process) | "
                f"{both['candidates']:,} candidates | {rec(both['candidate_recall'])} |"
            ]
            if both
            else []
        ),
        f"| unspin end to end (+ alignment verification) | {ours_total:.1f} s | {n / ours_total:,.0f} | "
        f"{ours['peak_mb']:.0f} MiB | {ours['found']:,} copies | {rec(ours['recall'])} |",
        *(
            [
                f"| unspin end to end, verification on {jobs} worker processes | {both_total:.1f} s | "
                f"{n / both_total:,.0f} | {both['peak_mb']:.0f} MiB (main process) | "
                f"{both['found']:,} copies | {rec(both['recall'])} |"
            ]
            if both
            else []
        ),
        f"| datasketch MinHashLSH (candidates only) | {peer_total:.1f} s | {n / peer_total:,.0f} | "
        f"{peer['peak_mb']:.0f} MiB | {peer['found']:,} candidates | {rec(peer['recall'])} |",
        "",
        f"- Throughput, candidates vs datasketch: **{peer_total / ours_cand_s:.2f}x** in one process"
        + (f", **{peer_total / both_cand_s:.2f}x** with {jobs} workers; " if both else "; ")
        + f"end to end with verification: **{peer_total / ours_total:.2f}x** in one process"
        + (f", **{peer_total / both_total:.2f}x** verifying on {jobs} workers." if both else "."),
        f"- Verification: {ours['verify_s']:.1f} s for {ours['candidates']:,} candidate pairs in one process "
        f"({1000 * ours['verify_s'] / max(1, ours['candidates']):.2f} ms a pair)"
        + (f", {both['verify_s']:.1f} s on {jobs} workers." if both else "."),
    ]
    if inc:
        body += _store_lines(n, inc)
    text = "\n".join(body)
    print(text)
    if not args.no_record:
        record_results(f"Provenance speed ({n:,} articles)", text, data=_data())


if __name__ == "__main__":
    main()
